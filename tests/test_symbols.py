"""Built-in pictures: names and aliases resolve to OpenMoji SVG files."""

import pytest

from storygen import symbols


@pytest.mark.parametrize(
    "name, codepoint",
    [
        ("toothbrush", "1FAA5"),
        ("soap", "1F9FC"),
        ("school", "1F3EB"),
        ("bus", "1F68C"),
        ("worried face", "1F61F"),
        ("Worried_Face", "1F61F"),
        (":worried:", "1F61F"),  # alias
        ("thumbs up", "1F44D"),
        ("+1", "1F44D"),
    ],
)
def test_names_and_aliases_resolve_to_openmoji(name, codepoint):
    path = symbols.find(name)
    assert path is not None and path.name == f"{codepoint}.svg" and path.is_file()
    assert path.read_text(encoding="utf-8").lstrip().startswith("<svg")


def test_unknown_names_get_close_suggestions():
    assert symbols.find("tothbrush") is None
    assert symbols.suggestions("tothbrush")[0] == "toothbrush"
    assert "national park" in symbols.suggestions("park")


def test_search_lists_only_drawn_symbols_shortest_first():
    hits = symbols.search("tooth")
    assert [name for name, _ in hits][:2] == ["tooth", "toothbrush"]
    assert all(symbols.find(name) for name, _ in symbols.search("face"))
    assert symbols.search("zzzqqq") == []


def test_index_covers_thousands_of_openmoji_files():
    files = {file for _, file in symbols.index().values()}
    assert len(files) > 3500
    assert all((symbols.svg_folder() / f).is_file() for f in list(files)[:200])
