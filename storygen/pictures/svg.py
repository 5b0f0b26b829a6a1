"""SVG pictures from a library, cleaned before they reach any output.

An SVG is a document, not pixels: it can run scripts in a browser, load other files or
web addresses, declare entities that expand to gigabytes, and wrap a phone photo with
its GPS position in a `data:` URL. What is kept is the drawing: SVG elements and
attributes, links inside the picture (`#id`), and embedded JPEG or PNG pictures,
themselves cleaned like photos. Everything else is removed.
"""

from __future__ import annotations

import base64
import binascii
import re
import xml.etree.ElementTree as ET
from xml.parsers import expat

import tinycss2

from ..errors import HintedError

EXPORT_SVG = "export it again as SVG"
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"

# Elements that run code, show other documents or change the drawing over time (in a
# browser only: storygen prints): removed with everything inside them.
REMOVED = {
    "script",
    "foreignObject",
    "handler",
    "listener",
    "iframe",
    "embed",
    "object",
    "animate",
    "animateMotion",
    "animateTransform",
    "animateColor",
    "set",
    "discard",
    "metadata",
}
LINKS_ONLY = {"image", "use", "feImage"}  # elements that only show what they link to
URL_FUNCTIONS = {"url", "src", "image", "image-set", "-webkit-image-set", "cross-fade", "element"}
EMBEDDED = re.compile(r"data:(image/(?:png|jpeg|jpg))(?:;[^,;]*)*;base64,(.*)", re.IGNORECASE | re.DOTALL)


class SvgError(HintedError):
    """Why an SVG cannot be used, worded to follow "image 'x.svg' ", and the fix."""


def clean_svg(content: bytes, clean_raster) -> bytes:
    """The SVG drawing alone; clean_raster(bytes) -> (bytes, mime) cleans embedded pictures."""
    _refuse_declarations(content)
    try:
        root = ET.fromstring(content)  # comments and processing instructions are dropped
    except ET.ParseError as error:
        raise SvgError(f"cannot be read as an SVG picture (line {error.position[0]})", EXPORT_SVG) from None
    namespace = _namespace(root.tag)
    if _local(root.tag) != "svg" or namespace not in (SVG_NS, ""):
        raise SvgError("is not an SVG picture", "export it again as SVG, JPEG or PNG")
    _clean_element(root, namespace, clean_raster)
    _plain_names(root)
    root.set("xmlns", SVG_NS)  # also for an SVG written without it, which browsers do not show
    root.set("xmlns:xlink", XLINK_NS)
    return straight_arcs(ET.tostring(root, encoding="utf-8"))


def _refuse_declarations(content: bytes) -> None:
    """No DOCTYPE or ENTITY: entities can read other files or expand a few bytes into
    gigabytes (the "billion laughs"). Expat stops here, before expanding anything."""

    def refuse(*_):
        raise SvgError(
            "has a DOCTYPE or ENTITY declaration, which storygen does not read", "export it again as plain SVG"
        )

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = refuse
    try:
        parser.Parse(content, True)
    except expat.ExpatError as error:
        raise SvgError(f"cannot be read as an SVG picture (line {error.lineno})", EXPORT_SVG) from None


def _namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _clean_element(element: ET.Element, namespace: str, clean_raster) -> None:
    for child in list(element):
        if not isinstance(child.tag, str) or _namespace(child.tag) != namespace or _local(child.tag) in REMOVED:
            _remove_keeping_tail(element, child)
            continue
        _clean_element(child, namespace, clean_raster)
        if _local(child.tag) in LINKS_ONLY and not any(_local(name) == "href" for name in child.attrib):
            _remove_keeping_tail(element, child)  # its link was removed: nothing left to show
    for name, value in list(element.attrib.items()):
        cleaned = _clean_attribute(name, value, clean_raster)
        if cleaned is None:
            del element.attrib[name]
        else:
            element.set(name, cleaned)
    if _local(element.tag) == "style" and element.text:
        element.text = clean_css(element.text)


def _plain_names(root: ET.Element) -> None:
    """Written names (`svg`, `xlink:href`) instead of ElementTree's `ns0:` prefixes, so the
    file reads as SVG does everywhere; clean_svg declares the two namespaces on the root."""
    prefixes = {XLINK_NS: "xlink:", XML_NS: "xml:", "": ""}
    for element in root.iter():
        element.tag = _local(element.tag)
        for name in [name for name in element.attrib if name.startswith("{")]:
            element.set(prefixes[_namespace(name)] + _local(name), element.attrib.pop(name))


def _remove_keeping_tail(parent: ET.Element, child: ET.Element) -> None:
    """Remove child; the text after it (inside a <text>, say) stays in place."""
    if child.tail:
        index = list(parent).index(child)
        if index:
            previous = parent[index - 1]
            previous.tail = (previous.tail or "") + child.tail
        else:
            parent.text = (parent.text or "") + child.tail
    parent.remove(child)


def _clean_attribute(name: str, value: str, clean_raster):
    """The attribute's value to keep, or None to remove it."""
    namespace, local = _namespace(name), _local(name)
    if namespace not in ("", XLINK_NS, XML_NS) or local.lower().startswith("on"):
        return None  # editor data (inkscape:, sodipodi:) and event handlers
    if namespace == XML_NS and local not in ("space", "lang"):
        return None  # xml:base and the like
    if local == "href":
        return _clean_href(value.strip(), clean_raster)
    if namespace == XLINK_NS:
        return None
    if "url" in value.lower() or "\\" in value or local == "style":
        return clean_css(value)
    return value


def _clean_href(href: str, clean_raster):
    if href.startswith("#"):
        return href
    embedded = EMBEDDED.fullmatch(href)
    if not embedded:
        return None  # a file, a web address, javascript:, or another kind of data: URL
    try:
        content = base64.b64decode(re.sub(r"\s+", "", embedded.group(2)), validate=True)
    except (binascii.Error, ValueError):
        return None
    try:
        cleaned, mime = clean_raster(content)
    except HintedError as error:  # images.PictureError
        raise SvgError(f"holds a picture that {error.what}", error.hint) from None
    except ValueError as error:
        raise SvgError(f"holds a picture that {error}") from None
    return f"data:{mime};base64,{base64.b64encode(cleaned).decode('ascii')}"


def clean_css(text: str) -> str:
    """CSS without @import or any url() but `url(#id)`: the drawing's own gradients,
    clips and markers still work; nothing outside the picture is loaded."""
    return tinycss2.serialize(_clean_tokens(tinycss2.parse_component_value_list(text)))


def _clean_tokens(nodes: list) -> list:
    cleaned, importing = [], False
    for node in nodes:
        kind = getattr(node, "type", "")
        if importing or (kind == "at-keyword" and node.lower_value == "import"):
            importing = not (kind == "literal" and node.value == ";")  # the @import rule, up to its ;
            continue
        if (kind == "url" and not node.value.strip().startswith("#")) or (
            kind == "function" and node.lower_name in URL_FUNCTIONS and not _fragment_url(node)
        ):
            node = tinycss2.ast.IdentToken(node.source_line, node.source_column, "none")
        elif hasattr(node, "content") and isinstance(node.content, list):
            node.content = _clean_tokens(node.content)
        elif kind == "function":
            node.arguments = _clean_tokens(node.arguments)
        cleaned.append(node)
    return cleaned


def _fragment_url(function) -> bool:
    """`url("#id")`: a link inside the picture."""
    values = [arg for arg in function.arguments if arg.type not in ("whitespace", "comment")]
    return (
        function.lower_name == "url"
        and len(values) == 1
        and values[0].type == "string"
        and values[0].value.strip().startswith("#")
    )


# An arc with a zero radius is a straight line (SVG 1.1, F.6.2); WeasyPrint draws it as a
# stray wedge instead (some OpenMoji symbols hold `a0,0,0,0,1,0,0`). Written as a line, it
# prints as browsers show it. An arc followed by more numbers (an implicit repeat) is left.
_NUMBER = rb"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_ARC = re.compile(
    rb"([aA])\s*(%(n)s)[\s,]*(%(n)s)[\s,]*(%(n)s)[\s,]*([01])[\s,]*([01])[\s,]*(%(n)s)[\s,]*(%(n)s)(?=\s*(?:[a-zA-Z]|$))"
    % {b"n": _NUMBER}
)
_PATH_DATA = re.compile(rb'(\sd=")([^"]*)(")')


def straight_arcs(content: bytes) -> bytes:
    """The drawing with every zero-radius arc of its paths written as the line it is."""
    if not re.search(rb"[aA]\s*[-+]?0*\.?0*[\s,]", content):  # most drawings: nothing to do
        return content

    def line(arc: re.Match) -> bytes:
        command, rx, ry, *_, x, y = arc.groups()
        if float(rx) and float(ry):
            return arc.group(0)
        return (b"l" if command == b"a" else b"L") + x + b"," + y

    return _PATH_DATA.sub(lambda path: path[1] + _ARC.sub(line, path[2]) + path[3], content)
