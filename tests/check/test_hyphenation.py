"""pyphen's dictionaries (check/hyphenation.py): loaded once a process, their patterns kept in
the cache folder between runs, read back as pyphen parses them, parsed again from anything else."""

import json

import pyphen
import pytest

from storygen.check import hyphenation, readability

WORDS = ["hyphenation", "toothbrush", "dentist", "wonderful", "everybody", "cepillo", "jabón", "dientes"]
PYPHEN_PARSES = pyphen.HyphDict  # pyphen's own, uncounted


@pytest.fixture
def parses(tmp_path, monkeypatch):
    """An empty cache folder, no dictionary loaded yet, and the dictionaries pyphen parsed."""
    monkeypatch.setenv("STORYGEN_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(pyphen, "hdcache", {})
    parsed = []

    class Counted(PYPHEN_PARSES):
        def __init__(self, path):
            parsed.append(path.name)
            super().__init__(path)

    monkeypatch.setattr(pyphen, "HyphDict", Counted)
    hyphenation.hyphenator.cache_clear()
    readability._hyphenator.cache_clear()
    yield parsed
    hyphenation.hyphenator.cache_clear()
    readability._hyphenator.cache_clear()


def new_process(monkeypatch) -> None:
    """Forget every dictionary loaded, as a new process starts."""
    monkeypatch.setattr(pyphen, "hdcache", {})
    hyphenation.hyphenator.cache_clear()


def positions(dictionary: str) -> list[list[int]]:
    return [hyphenation.hyphenator(dictionary).positions(word) for word in WORDS]


def pyphens(dictionary: str) -> list[list[int]]:
    """The positions pyphen finds, parsing the dictionary itself."""
    found = pyphen.Pyphen(lang=dictionary)
    found.hd = PYPHEN_PARSES(pyphen.LANGUAGES[pyphen.language_fallback(dictionary)])
    return [found.positions(word) for word in WORDS]


@pytest.mark.parametrize("dictionary", ["en_US", "es"])
def test_a_dictionary_is_parsed_once_then_read_back(parses, monkeypatch, tmp_path, dictionary):
    first = positions(dictionary)
    positions(dictionary)
    assert len(parses) == 1  # once a process
    assert (tmp_path / "cache" / f"hyphenation-hyph_{dictionary}.json").is_file()
    new_process(monkeypatch)
    assert positions(dictionary) == first == pyphens(dictionary)
    assert len(parses) == 1  # read back, not parsed


def test_syllables_are_counted_alike_from_kept_patterns(parses, monkeypatch):
    sentences = ["Everybody brushes their teeth with a wonderful toothbrush every morning."]
    grade = readability.flesch_kincaid_grade(sentences)
    new_process(monkeypatch)
    readability._hyphenator.cache_clear()
    assert readability.flesch_kincaid_grade(sentences) == grade and len(parses) == 1


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: {"x": "not a list"},
        lambda data: {"ab": [0]},  # an offset and no values
        lambda data: {**data, "ab": [0, "1"]},
        lambda data: {**data, "ab": [0, 1.5]},
        lambda data: {},
        lambda data: [1, 2],
    ],
)
def test_damaged_patterns_are_parsed_again(parses, monkeypatch, tmp_path, damage):
    positions("en_US")
    kept = tmp_path / "cache" / "hyphenation-hyph_en_US.json"
    text = json.loads(kept.read_text(encoding="utf-8"))
    kept.write_text(json.dumps({"key": text["key"], "data": damage(text["data"])}), encoding="utf-8")
    new_process(monkeypatch)
    assert positions("en_US") == pyphens("en_US") and len(parses) == 2


def test_a_dictionary_of_nonstandard_breaks_is_not_kept(parses, monkeypatch, tmp_path):
    """Hungarian's patterns hold data (ssz -> sz-sz) pyphen keeps in more than plain numbers."""
    hungarian = hyphenation.hyphenator("hu_HU")
    assert hungarian.inserted("asszonnyal") == pyphen.Pyphen(lang="hu_HU").inserted("asszonnyal")
    assert not (tmp_path / "cache" / "hyphenation-hyph_hu_HU.json").exists()
