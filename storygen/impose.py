"""Impose: the story's pages, two to a landscape sheet, in saddle-stitch order.

Print the booklet double-sided, flipping on the short edge, fold the stack in half
and staple on the fold: the pages read in order.
"""

from __future__ import annotations

import io

from pypdf import PageObject, PdfReader, PdfWriter, Transformation

SHEET_POINTS = {"a4": (841.89, 595.28), "letter": (792.0, 612.0)}  # landscape


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


def impose_booklet(pdf: bytes, paper: str) -> bytes:
    """A booklet PDF from a story PDF: each page scaled into half a landscape sheet."""
    reader = PdfReader(io.BytesIO(pdf))
    sheet_w, sheet_h = SHEET_POINTS[paper]
    writer = PdfWriter()
    for left, right in saddle_stitch_order(len(reader.pages)):
        sheet = PageObject.create_blank_page(width=sheet_w, height=sheet_h)
        for slot, number in enumerate((left, right)):
            if number is not None:
                _place(sheet, reader.pages[number - 1], slot * sheet_w / 2, sheet_w / 2, sheet_h)
        writer.add_page(sheet)
    writer.add_metadata({"/Title": reader.metadata.title or "", "/Creator": reader.metadata.creator or ""})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _place(sheet: PageObject, page: PageObject, x: float, width: float, height: float) -> None:
    """Scale page to fit a half sheet (width x height), centred, with its left edge at x."""
    page_w, page_h = float(page.mediabox.width), float(page.mediabox.height)
    scale = min(width / page_w, height / page_h)
    dx, dy = x + (width - page_w * scale) / 2, (height - page_h * scale) / 2
    sheet.merge_transformed_page(page, Transformation().scale(scale).translate(dx, dy))
