"""One tagged PDF from parts printed one after the other (a long catalog: printed in parts so
memory stays flat, and kept so that an edit reprints only the parts it changed).

A printed part is made *joinable* once, when it is printed: its objects renumbered into a range
of its own (`first`..`last`, chosen apart from the other kept parts'), its pages pointing at the
joined document's page tree, its structure elements at the joined Document element, its
parent-tree keys moved into its range; then written as one line of JSON (what the join needs:
its pages, structure elements, parent tree, bookmarks, named destinations) and the objects'
bytes. Joining parts is then copying those bytes and writing the few objects they share
(catalog, page tree, structure root, bookmarks, cross-reference table): nothing is parsed
again, which is what keeps a reprinted catalog fast (joining with pypdf's cloning took longer
than printing the part that changed).

A joinable part is checked as it is read (its shape and a digest of its bytes): a damaged one
is a ValueError, and the caller prints it again.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    PdfObject,
    StreamObject,
    TextStringObject,
)

FORMAT = 1  # raise it when what a joinable part holds, or how, changes
# The joined document's own objects that parts point at: fixed numbers below every part's range.
PAGES, CATALOG, DOCUMENT, TREE = 1, 2, 3, 4
FIRST_FREE = 16  # the lowest number a part's range may start at
LAST_NUMBER = 8_388_607  # the most objects a PDF reader must accept (PDF 1.7, annex C)
_CATALOG_KEPT = ("/Lang", "/MarkInfo", "/ViewerPreferences", "/Metadata")  # from the first part


@dataclass
class Part:
    """A joinable part: what the join needs (header) and its objects' bytes (body)."""

    header: dict[str, Any]
    body: bytes

    @property
    def first(self) -> int:
        return self.header["first"]

    @property
    def last(self) -> int:
        return self.header["last"]

    @property
    def pages(self) -> int:
        return len(self.header["pages"])

    def to_bytes(self) -> bytes:
        return json.dumps(self.header, separators=(",", ":")).encode("ascii") + b"\n" + self.body


def joinable(pdf: bytes, place: Callable[[int], int]) -> Part:
    """A printed part (a WeasyPrint PDF with one Document element) made joinable, its objects
    numbered from place(how many numbers it needs)."""
    reader = PdfReader(io.BytesIO(pdf))
    root: Any = reader.trailer["/Root"].get_object()
    tree: Any = root["/StructTreeRoot"].get_object()
    document: Any = tree["/K"][0].get_object()
    shared = {  # the part's own objects that the joined document's take the place of
        _idnum(root.raw_get("/Pages")): PAGES,
        _idnum(reader.trailer.raw_get("/Root")): CATALOG,
        _idnum(tree["/K"].get_object()[0]): DOCUMENT,
        _idnum(root.raw_get("/StructTreeRoot")): TREE,
    }
    dropped = set(shared) | _outline_numbers(root) | {_idnum(tree.raw_get("/ParentTree"))}
    if "/Info" in reader.trailer:
        dropped.add(_idnum(reader.trailer.raw_get("/Info")))
    kept, entries = [n for n in _numbers(reader) if n not in dropped], _parent_tree(reader)
    first = place(len(kept) + sum(not isinstance(value, IndirectObject) for value in entries[1::2]))
    numbers = {old: first + i for i, old in enumerate(kept)}
    objects: dict[int, Any] = {numbers[old]: reader.get_object(old) for old in kept}
    nums = []
    for key, value in zip(entries[::2], entries[1::2], strict=True):
        if isinstance(value, IndirectObject):
            nums.append([int(key) + first, numbers[value.idnum]])
        else:  # written in the tree: given a number of its own
            number = first + len(objects)
            objects[number] = value
            nums.append([int(key) + first, number])
    page_numbers = {_idnum(page.indirect_reference): i for i, page in enumerate(reader.pages)}
    for page in (cast(Any, reader.get_object(number)) for number in page_numbers):  # the objects written
        page[NameObject("/StructParents")] = NumberObject(int(page.get("/StructParents", 0)) + first)
        for annotation in page.get("/Annots", []):
            annotation = annotation.get_object()
            if "/StructParent" in annotation:
                annotation[NameObject("/StructParent")] = NumberObject(int(annotation["/StructParent"]) + first)
    renumber = {**numbers, **shared}
    body, table = io.BytesIO(), []
    for number, obj in objects.items():
        table.append([number, body.tell()])
        body.write(b"%d 0 obj\n" % number)
        _renumbered(obj, renumber).write_to_stream(body)
        body.write(b"\nendobj\n")
    extra = DictionaryObject({NameObject(k): root.raw_get(k) for k in _CATALOG_KEPT if k in root})
    header = {
        "format": FORMAT,
        "first": first,
        "last": first + len(objects) - 1,
        "objects": table,
        "pages": [numbers[_idnum(page.indirect_reference)] for page in reader.pages],
        "kids": [numbers[_idnum(kid)] for kid in document["/K"].get_object()],
        "nums": nums,
        "bookmarks": [[title, page_numbers[page], dest] for title, page, dest in _bookmarks(reader, reader.outline)],
        "dests": _dests(reader, page_numbers),
        "catalog": _written(_renumbered(extra, renumber)),
        "info": _written(cast(PdfObject, reader.trailer["/Info"].get_object()))
        if "/Info" in reader.trailer
        else "<<>>",
    }
    value = body.getvalue()
    header["digest"] = _digest(header, value)
    return Part(header, value)


def _digest(header: dict[str, Any], body: bytes) -> str:
    """A digest of a part's header (all but the digest) and body."""
    shown = json.dumps({k: v for k, v in header.items() if k != "digest"}, sort_keys=True).encode()
    return hashlib.sha256(shown + b"\0" + body).hexdigest()


def _numbers(reader: PdfReader) -> list[int]:
    """Every object number in a PDF but its object streams and cross-reference streams."""
    found = []
    for number in sorted(set(reader.xref_objStm) | set(reader.xref.get(0, {}))):
        obj = reader.get_object(number)
        if obj is None or (isinstance(obj, StreamObject) and obj.get("/Type") in ("/ObjStm", "/XRef")):
            continue
        found.append(number)
    return found


def _parent_tree(reader: PdfReader) -> list[Any]:
    root: Any = reader.trailer["/Root"].get_object()
    tree: Any = root["/StructTreeRoot"].get_object()
    parents: Any = tree["/ParentTree"].get_object()
    if "/Kids" in parents:
        raise ValueError("a parent tree of more than one node")  # WeasyPrint writes one
    return list(parents.get("/Nums", []))


def _idnum(reference: Any) -> int:
    if not isinstance(reference, IndirectObject):
        raise ValueError("expected an indirect object")
    return reference.idnum


def _outline_numbers(root: Any) -> set[int]:
    """The outline's objects (its root and every item)."""
    if "/Outlines" not in root:
        return set()
    found, waiting = {_idnum(root.raw_get("/Outlines"))}, [root["/Outlines"].get_object()]
    while waiting:
        item = waiting.pop()
        for key in ("/First", "/Next"):
            if key in item and _idnum(item.raw_get(key)) not in found:
                found.add(_idnum(item.raw_get(key)))
                waiting.append(item[key].get_object())
    return found


def _renumbered(obj: PdfObject, numbers: dict[int, int]) -> PdfObject:
    """obj with every reference to another object renumbered (in place: read once, written once)."""
    if isinstance(obj, IndirectObject):
        if obj.idnum not in numbers:
            raise ValueError(f"a reference to an object the join leaves out ({obj.idnum})")
        return IndirectObject(numbers[obj.idnum], 0, None)
    if isinstance(obj, DictionaryObject):  # streams too
        for key in list(obj.keys()):
            obj[NameObject(key)] = _renumbered(obj.raw_get(key), numbers)
    elif isinstance(obj, ArrayObject):
        for i, item in enumerate(obj):
            obj[i] = _renumbered(item, numbers)
    return obj


def _written(obj: PdfObject) -> str:
    stream = io.BytesIO()
    obj.write_to_stream(stream)
    return stream.getvalue().decode("latin-1")


def _bookmarks(reader: PdfReader, outline: Any) -> list[tuple[str, int, list]]:
    """(title, the part's page object number, the destination's kind and place) of every bookmark, in order."""
    found: list[tuple[str, int, list]] = []
    for item in outline:
        if isinstance(item, list):
            found += _bookmarks(reader, item)
        else:
            found.append((str(item.title), _idnum(item.page), _place(item)))
    return found


def _dests(reader: PdfReader, pages: dict[int, int]) -> list[list]:
    return [[name, pages[_idnum(dest.page)], _place(dest)] for name, dest in sorted(reader.named_destinations.items())]


def _place(destination: Any) -> list:
    """A destination's kind and numbers: ["/XYZ", left, top, zoom] (None for null)."""
    values = [destination.get(key) for key in ("/Left", "/Top", "/Zoom")] if destination.typ == "/XYZ" else []
    return [str(destination.typ), *(None if isinstance(v, NullObject) or v is None else float(v) for v in values)]


def read_part(data: bytes) -> Part:
    """A joinable part read back, checked (its shape and digest): ValueError when damaged."""
    line, _newline, body = data.partition(b"\n")
    header = json.loads(line)
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ValueError("not a joinable part of this version")
    if header.get("digest") != _digest(header, body):
        raise ValueError("its bytes do not match their digest")
    first, last = header["first"], header["last"]
    if not (type(first) is int and type(last) is int and FIRST_FREE <= first <= last <= LAST_NUMBER):
        raise ValueError("its objects' numbers are out of range")
    table = header["objects"]
    if [n for n, _ in table] != list(range(first, last + 1)) or any(
        type(o) is not int or not 0 <= o < len(body) for _, o in table
    ):
        raise ValueError("its table of objects does not match its range")
    inside = lambda n: type(n) is int and first <= n <= last  # noqa: E731
    if not all(inside(n) for n in header["pages"] + header["kids"]) or not all(
        inside(k) and inside(n) for k, n in header["nums"]
    ):
        raise ValueError("it names objects outside its range")
    if not all(type(p) is int and 0 <= p < len(header["pages"]) for _t, p, _d in header["bookmarks"] + header["dests"]):
        raise ValueError("a bookmark leads to a page it does not have")
    return Part(header, body)


def join(parts: list[Part]) -> bytes:
    """One PDF of the parts' pages in order, with one structure tree (a Document element holding
    every part's elements), the first part's catalog entries (language, PDF/UA marks, metadata)
    and bookmarks (its first, the catalog's name, over every part's others), named destinations
    (the first of each name)."""
    ranges = sorted((part.first, part.last) for part in parts)
    if any(a[1] >= b[0] for a, b in itertools.pairwise(ranges)):
        raise ValueError("two parts share object numbers")
    out, offsets = io.BytesIO(), dict[int, int]()
    out.write(b"%PDF-1.7\n%\xb5\xed\xae\xfb\n")
    pages, kids, nums, bookmarks, count = [], [], [], [], 0
    dests: dict[str, tuple[int, list]] = {}
    for part in parts:
        start = out.tell()
        offsets.update((number, start + offset) for number, offset in part.header["objects"])
        out.write(part.body)
        pages += part.header["pages"]
        kids += part.header["kids"]
        nums += part.header["nums"]
        bookmarks += [(title, count + page, place) for title, page, place in part.header["bookmarks"]]
        for name, page, place in part.header["dests"]:
            dests.setdefault(name, (count + page, place))
        count += part.pages
    ref = lambda number: IndirectObject(number, 0, None)  # noqa: E731
    dest = lambda page, place: ArrayObject([ref(pages[page]), *_place_objects(place)])  # noqa: E731
    own: dict[int, PdfObject] = {}
    next_number = max(last for _first, last in ranges) + 1
    outline, next_number = _outline(bookmarks, dest, next_number, own)
    info = next_number
    own[PAGES] = _dict(Type=NameObject("/Pages"), Kids=ArrayObject(map(ref, pages)), Count=NumberObject(len(pages)))
    own[DOCUMENT] = _dict(
        Type=NameObject("/StructElem"), S=NameObject("/Document"), P=ref(TREE), K=ArrayObject(map(ref, kids))
    )
    parent_tree = next_number + 1
    own[parent_tree] = _dict(Nums=ArrayObject(v for key, n in sorted(nums) for v in (NumberObject(key), ref(n))))
    own[TREE] = _dict(
        Type=NameObject("/StructTreeRoot"),
        K=ArrayObject([ref(DOCUMENT)]),
        ParentTree=ref(parent_tree),
        ParentTreeNextKey=NumberObject(max((key for key, _n in nums), default=-1) + 1),
    )
    names = ArrayObject(v for name in sorted(dests) for v in (TextStringObject(name), dest(*dests[name])))
    catalog = _dict(Type=NameObject("/Catalog"), Pages=ref(PAGES), StructTreeRoot=ref(TREE))
    if outline is not None:
        catalog[NameObject("/Outlines")] = ref(outline)
        catalog[NameObject("/PageMode")] = NameObject("/UseOutlines")
    if names:
        catalog[NameObject("/Names")] = _dict(Dests=_dict(Names=names))
    for number, obj in sorted(own.items()):
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n" % number)
        obj.write_to_stream(out)
        out.write(b"\nendobj\n")
    first = parts[0].header
    offsets[CATALOG] = out.tell()  # with the first part's entries (written as they were) inside
    out.write(b"%d 0 obj\n" % CATALOG + _written(catalog)[:-2].encode("latin-1"))
    out.write(first["catalog"][2:].encode("latin-1") + b"\nendobj\n")
    offsets[info] = out.tell()
    out.write(b"%d 0 obj\n" % info + first["info"].encode("latin-1") + b"\nendobj\n")
    return _finished(out, offsets, info)


def _outline(
    bookmarks: list[tuple[str, int, list]], dest: Any, number: int, own: dict[int, PdfObject]
) -> tuple[int | None, int]:
    """The outline's objects (numbered from number) into own: the first bookmark over all others."""
    if not bookmarks:
        return None, number
    root, heading, children = number, number + 1, list(range(number + 2, number + 1 + len(bookmarks)))
    ref = lambda n: IndirectObject(n, 0, None)  # noqa: E731
    own[root] = _dict(
        Type=NameObject("/Outlines"), First=ref(heading), Last=ref(heading), Count=NumberObject(len(bookmarks))
    )
    (title, page, place), rest = bookmarks[0], bookmarks[1:]
    top = own[heading] = _dict(Title=TextStringObject(title), Parent=ref(root), Dest=dest(page, place))
    if children:
        top.update({NameObject("/First"): ref(children[0]), NameObject("/Last"): ref(children[-1])})
        top[NameObject("/Count")] = NumberObject(len(children))
    for i, (n, (title, page, place)) in enumerate(zip(children, rest, strict=True)):
        item = _dict(Title=TextStringObject(title), Parent=ref(heading), Dest=dest(page, place))
        if i:
            item[NameObject("/Prev")] = ref(children[i - 1])
        if i + 1 < len(children):
            item[NameObject("/Next")] = ref(children[i + 1])
        own[n] = item
    return root, number + 1 + len(bookmarks)


def _place_objects(place: list) -> list[PdfObject]:
    kind, *numbers = place
    return [NameObject(kind), *(NullObject() if v is None else FloatObject(v) for v in numbers)]


def _dict(**entries: PdfObject) -> DictionaryObject:
    return DictionaryObject({NameObject(f"/{key}"): value for key, value in entries.items()})


def _finished(out: io.BytesIO, offsets: dict[int, int], info: int) -> bytes:
    """The cross-reference table (a section for each run of numbers) and the trailer."""
    numbers = sorted(offsets)
    runs: list[list[int]] = []
    for number in numbers:
        if runs and runs[-1][-1] == number - 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    start = out.tell()
    out.write(b"xref\n0 1\n0000000000 65535 f \n")
    for run in runs:
        out.write(b"%d %d\n" % (run[0], len(run)))
        out.write(b"".join(b"%010d 00000 n \n" % offsets[n] for n in run))
    trailer = _dict(Size=NumberObject(numbers[-1] + 1), Root=IndirectObject(CATALOG, 0, None))
    trailer[NameObject("/Info")] = IndirectObject(info, 0, None)
    out.write(b"trailer\n" + _written(trailer).encode("latin-1") + b"\nstartxref\n%d\n%%%%EOF\n" % start)
    return out.getvalue()
