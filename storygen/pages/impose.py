"""PDFs made from printed PDFs (pypdf): the booklet (a catalog's parts are joined by `join`).

Impose: the story's pages, two to a landscape sheet, in saddle-stitch order.

Print the booklet double-sided, flipping on the short edge, fold the stack in half
and staple on the fold: the pages read in order.

Each story page becomes a Form XObject drawn, scaled, onto its half sheet: its content
stream is copied, never parsed, which is ten times faster than merging pages. The story's
tags come along (PDF/UA like the story): its structure tree, language and marks, each
element's content found in the form drawn on its sheet.
"""

from __future__ import annotations

import io
from typing import Any, cast

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
)

from .paper import PAGE_MM, POINTS_PER_MM

SHEET_POINTS = {
    paper: (round(height * POINTS_PER_MM, 2), round(width * POINTS_PER_MM, 2))  # landscape
    for paper, (width, height) in PAGE_MM.items()
}


def saddle_stitch_order(pages: int) -> list[tuple[int | None, int | None]]:
    """(left, right) page numbers (1-based; None for a blank) for each side of each sheet.

    `pages` is padded with blanks to a multiple of 4. Sheet i carries, on its front,
    pages n-2i and 2i+1, and on its back, pages 2i+2 and n-2i-1.
    """
    n = -(-pages // 4) * 4
    real = lambda page: page if page <= pages else None  # noqa: E731
    sides = []
    for i in range(n // 4):
        sides.append((real(n - 2 * i), real(2 * i + 1)))
        sides.append((real(2 * i + 2), real(n - 2 * i - 1)))
    return sides


def impose_booklet(pdf: bytes, paper: str, right_to_left: bool = False) -> bytes:
    """A booklet PDF from a story PDF: each page scaled into half a landscape sheet; for a
    language read right to left, bound on the right (each sheet's two pages swapped)."""
    reader, writer = PdfReader(io.BytesIO(pdf)), PdfWriter()
    sheet_w, sheet_h = SHEET_POINTS[paper]
    forms: dict[int, IndirectObject] = {}
    drawn_on: dict[int, tuple[Any, IndirectObject]] = {}  # story page (object number) -> (sheet, form)
    for sides in saddle_stitch_order(len(reader.pages)):
        sides = sides[::-1] if right_to_left else sides
        sheet = writer.add_blank_page(sheet_w, sheet_h)
        drawing, xobjects = [], DictionaryObject()
        for slot, number in enumerate(sides):
            if number is None:
                continue
            page = reader.pages[number - 1]
            if number not in forms:
                forms[number] = _form(writer, page)
                drawn_on[_number(page)] = (sheet.indirect_reference, forms[number])
            xobjects[NameObject(f"/P{number}")] = forms[number]
            drawing.append(_draw(f"/P{number}", page, slot * sheet_w / 2, sheet_w / 2, sheet_h))
        sheet[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): xobjects})
        content = DecodedStreamObject()
        content.set_data("\n".join(drawing).encode("ascii"))
        sheet[NameObject("/Contents")] = writer._add_object(content)  # pypdf has no public name for this
    about = reader.metadata
    writer.add_metadata({"/Title": (about and about.title) or "", "/Creator": (about and about.creator) or ""})
    _keep_tags(reader, writer, drawn_on)
    writer.compress_identical_objects()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _keep_tags(reader: PdfReader, writer: PdfWriter, drawn_on: dict[int, tuple[Any, IndirectObject]]) -> None:
    """The story's structure tree, language and PDF/UA marks, kept in the booklet: each page's
    tagged content now lies in the form drawn on a sheet, so every marked-content reference
    names the form (/Stm) and the sheet (/Pg), and each form the ParentTree entry of its page."""
    source: Any = reader.root_object
    if "/StructTreeRoot" not in source:
        return
    for page in reader.pages:
        if _number(page) in drawn_on and "/StructParents" in page:
            form: Any = drawn_on[_number(page)][1].get_object()
            form[NameObject("/StructParents")] = NumberObject(page["/StructParents"])
    elements = _elements(source["/StructTreeRoot"])
    pages = {id(element): _page_of(element, drawn_on) for element in elements}  # read before any is changed
    for element in elements:
        _retag(element, pages[id(element)], drawn_on)
    root: Any = writer.root_object
    root[NameObject("/StructTreeRoot")] = source.raw_get("/StructTreeRoot").clone(writer)
    for key in ("/Lang", "/MarkInfo", "/ViewerPreferences", "/Metadata"):
        if key in source:
            root[NameObject(key)] = source[key].clone(writer)


def _elements(tree: Any) -> list[Any]:
    """Every structure element: under the tree's /K, in its ParentTree (WeasyPrint lists some
    only there), and their parents, each once."""
    found: dict[int, Any] = {}
    tree = tree.get_object()
    waiting = [tree.get("/K")]
    numbers = tree["/ParentTree"].get_object().get("/Nums", []) if "/ParentTree" in tree else []
    waiting += list(numbers[1::2])
    while waiting:
        item = waiting.pop()
        item = item.get_object() if isinstance(item, IndirectObject) else item
        if isinstance(item, ArrayObject):
            waiting += list(item)
        elif isinstance(item, DictionaryObject) and "/S" in item and id(item) not in found:
            found[id(item)] = item
            waiting += [item.get("/K"), item.get("/P")]
    return list(found.values())


def _page_of(element: Any, drawn_on: dict[int, tuple[Any, IndirectObject]]) -> tuple | None:
    """The sheet and form its story page was drawn in, for an element (or its nearest parent with a page)."""
    while isinstance(element, DictionaryObject) and "/S" in element:
        if "/Pg" in element:
            return drawn_on.get(element.raw_get("/Pg").idnum)
        element = element.get("/P")
        element = element.get_object() if element is not None else None
    return None


def _retag(element: Any, page: tuple | None, drawn_on: dict[int, tuple[Any, IndirectObject]]) -> None:
    """One structure element made to point at the booklet's sheet and form instead of its page."""
    if "/Pg" in element:
        if page is None:  # a page the booklet leaves out (none does): the element keeps no page
            del element["/Pg"]
        else:
            element[NameObject("/Pg")] = page[0]
    kids = element.get("/K")
    if kids is None:
        return
    kept: list[Any] = []
    for kid in kids if isinstance(kids, ArrayObject) else [kids]:
        item: Any = kid.get_object() if isinstance(kid, IndirectObject) else kid
        if isinstance(item, int):  # a marked-content id on the element's page (NumberObject is an int)
            if page is not None:
                kept.append(_content_reference(item, page))
        elif isinstance(item, DictionaryObject) and item.get("/Type") == "/MCR":
            on, mcid = drawn_on.get(item.raw_get("/Pg").idnum) if "/Pg" in item else page, item["/MCID"]
            if on is not None:
                kept.append(_content_reference(int(cast(int, mcid)), on))
        elif isinstance(item, DictionaryObject) and item.get("/Type") == "/OBJR":
            continue  # a link's annotation: the booklet's sheets carry none
        else:
            kept.append(kid)  # a child element: changed on its own
    element[NameObject("/K")] = ArrayObject(kept)


def _number(page: PageObject) -> int:
    """A page's object number: how structure elements name it."""
    assert page.indirect_reference is not None, "a page read from a file"
    return page.indirect_reference.idnum


def _content_reference(mcid: int, page: tuple[Any, IndirectObject]) -> DictionaryObject:
    """A marked-content reference to content inside a form drawn on a sheet."""
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/MCR"),
            NameObject("/Pg"): page[0],
            NameObject("/Stm"): page[1],
            NameObject("/MCID"): NumberObject(mcid),
        }
    )


def _form(writer: PdfWriter, page: PageObject) -> IndirectObject:
    """The page as a Form XObject in writer: same content, same resources, its own box."""
    contents = page["/Contents"].get_object()
    streams = contents if isinstance(contents, ArrayObject) else [contents]
    form = DecodedStreamObject()
    form.set_data(b"\n".join(stream.get_object().get_data() for stream in streams))  # type: ignore[union-attr]
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(FloatObject(v) for v in page.mediabox),
            NameObject("/Resources"): page["/Resources"].clone(writer),
        }
    )
    return writer._add_object(form.flate_encode())


def _draw(name: str, page: PageObject, x: float, width: float, height: float) -> str:
    """PDF operators drawing a form scaled to fit a half sheet (width x height), centred at x."""
    page_w, page_h = float(page.mediabox.width), float(page.mediabox.height)
    scale = min(width / page_w, height / page_h)
    dx, dy = x + (width - page_w * scale) / 2, (height - page_h * scale) / 2
    return f"q {scale:.6f} 0 0 {scale:.6f} {dx:.3f} {dy:.3f} cm {name} Do Q"
