"""Paper: each paper's size and the margins every output is laid out in, written here only.

The templates get these as their layout numbers (layouts.py: `layout.margin_top`...), the
booklet's imposition as points, and the preview as CSS variables of its sheets: no margin is
written both in Python and in a style sheet.
"""

from __future__ import annotations

PAPERS = {"a4": "A4", "letter": "letter"}  # each paper's CSS page size
PAGE_MM = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}
POINTS_PER_MM = 72 / 25.4
MM_PER_POINT = 25.4 / 72  # type sizes are in points, layouts in mm

# A handout's page (handouts.css takes these from every handout's layout).
MARGIN_MM, FOOTER_MM = 12.0, 22.0  # home-printer-safe margins; the credits in the bottom one
RUNNING_HEAD_MM = 6.0  # cards: the top margin is this much taller, to hold the running head
HEADER_MM = 24.0  # room taken by the handout's own head (title, rule and the space below)

# The story's page (story.css): the page number in the bottom margin.
STORY_MARGINS_MM = (15.0, 18.0)  # top, bottom
STORY_SIDE_MM = 15.0  # left and right
CREDITS_MM = 30.0  # room for the credits under the conclusion, on its page

# Branding (storygen.yaml's `branding:`): the logo in the top margin, the footer line in the bottom
# one, so they never take room from a page's content; nothing nearer the paper's edge than
# PRINTABLE_EDGE_MM, what a home printer may leave unprinted.
PRINTABLE_EDGE_MM = 5.0
LOGO_MAX_MM = (10.0, 50.0)  # the logo's largest height and width
LOGO_GAP_MM = 1.5  # between the logo and the page's content
FOOTER_PT = 7.5  # the footer line's text, as small as the credits


def logo_height(top_margin: float) -> float:
    """The logo's height in a top margin of this many mm: its room between the printable edge
    and the content, at most LOGO_MAX_MM."""
    return round(min(LOGO_MAX_MM[0], top_margin - PRINTABLE_EDGE_MM - LOGO_GAP_MM), 1)
