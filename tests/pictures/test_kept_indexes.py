"""The built-in sets' name indexes, kept on disk (pictures/kept.py, files.cached): built once for
each version of a set, read back after, and built again from anything else found there."""

import dataclasses
import json
import pickle
from pathlib import Path

import pytest

from storygen import files
from storygen.pictures import kept, mulberry, openmoji, sets, symbols, words


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty cache folder, and the indexes forgotten by this process, to be read from it."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("STORYGEN_CACHE", str(folder))
    symbols._kept.cache_clear()
    symbols._names_in.cache_clear()
    yield folder
    symbols._kept.cache_clear()  # the next tests' indexes, read from the session's folder
    symbols._names_in.cache_clear()


@pytest.fixture
def parsed(monkeypatch):
    """How many times Mulberry's name index (symbol-info.csv) was parsed."""
    calls = []
    parse = mulberry.names

    def counting():
        calls.append(1)
        return parse()

    monkeypatch.setattr(mulberry, "names", counting)
    return calls


def loaded() -> kept.Indexes:
    """Mulberry's indexes as a new process reads them."""
    symbols._kept.cache_clear()
    return symbols.names("mulberry"), symbols.loose_names("mulberry")


def same(found: kept.Indexes, expected: kept.Indexes) -> bool:
    """Equal names to equal symbols, twins too (a symbol's equality leaves its twin flag out)."""
    return all(
        found_index == expected_index
        and [s.qualified for s in found_index.values()] == [s.qualified for s in expected_index.values()]
        for found_index, expected_index in zip(found, expected, strict=True)
    )


PARSE = mulberry.names  # the parser itself, uncounted


def built() -> kept.Indexes:
    """Mulberry's indexes as built without a cache."""
    found = PARSE()
    return found, symbols._loose_index(found)


def test_an_index_is_built_once_then_read_from_the_cache(cache, parsed):
    first = loaded()
    assert len(parsed) == 1 and (cache / "names-mulberry.json").is_file()
    second = loaded()
    assert len(parsed) == 1  # read back, not parsed again
    assert same(second, first) and same(second, built())
    assert second[0]["paint"] != second[0]["to paint"] and second[0]["to paint"].twin  # a verb's twin kept


def test_the_cache_is_json_never_pickle(cache, parsed):
    loaded()
    kept_file = json.loads((cache / "names-mulberry.json").read_text(encoding="utf-8"))
    assert set(kept_file) == {"key", "data"}
    # a pickle put in its place is never unpickled: its payload would have written a file
    marker = cache / "unpickled"
    (cache / "names-mulberry.json").write_bytes(pickle.dumps(Unpickled(str(marker))))
    assert same(loaded(), built()) and not marker.exists() and len(parsed) == 2


class Unpickled:
    def __init__(self, path: str):
        self.path = path

    def __reduce__(self):
        return (Path.touch, (Path(self.path),))


def edited(change):
    """A damage done to the kept data (data: its symbols and indexes), the file's key kept."""

    def damage(text: str) -> str:
        kept_file = json.loads(text)
        change(kept_file["data"])
        return json.dumps(kept_file)

    return damage


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],  # truncated
        lambda text: "\x00garbage",
        lambda text: "[" * 100_000,  # nested past what json reads
        edited(lambda data: data["indexes"][0].update(soap=999_999)),  # a row that is not there
        edited(lambda data: data["indexes"][0].update(soap=-1)),  # the last row, by a negative number
        edited(lambda data: data["indexes"][0].update(soap=True)),  # true is no row number
        edited(lambda data: data["symbols"][0].__setitem__(0, 1)),  # a name that is no string
        edited(lambda data: data["symbols"][0].pop()),  # a row too short
        edited(lambda data: data.pop("indexes")),  # no indexes
        edited(lambda data: data.__setitem__("indexes", {"0": {}})),  # indexes not in a list
        edited(lambda data: data["indexes"].pop()),  # one index of two
        lambda text: json.dumps({"key": json.loads(text)["key"], "data": []}),
        lambda text: json.dumps([1, 2]),
    ],
)
def test_a_damaged_cache_file_is_built_again(cache, parsed, damage):
    loaded()
    path = cache / "names-mulberry.json"
    path.write_text(damage(path.read_text(encoding="utf-8")), encoding="utf-8")
    assert same(loaded(), built()) and len(parsed) == 2
    assert json.loads(path.read_text(encoding="utf-8"))["data"]["symbols"]  # written again, whole
    assert same(loaded(), built()) and len(parsed) == 2


def test_a_link_in_the_cache_folder_to_a_file_outside_is_not_read(cache, parsed, tmp_path):
    loaded()
    outside = tmp_path / "outside.json"
    outside.write_bytes((cache / "names-mulberry.json").read_bytes())
    (cache / "names-mulberry.json").unlink()
    (cache / "names-mulberry.json").symlink_to(outside)
    assert same(loaded(), built()) and len(parsed) == 2


def test_another_version_of_a_set_builds_its_index_again(cache, parsed):
    loaded()
    changed = dataclasses.replace(mulberry.SET, version=lambda: "mulberry 9.9")
    assert same(symbols._kept(changed), built()) and len(parsed) == 2
    assert "mulberry 9.9" in json.loads((cache / "names-mulberry.json").read_text(encoding="utf-8"))["key"]
    loaded()
    assert len(parsed) == 3  # and the version it is now, again


def test_a_change_to_the_code_that_builds_it_builds_it_again(cache, parsed, monkeypatch):
    loaded()
    monkeypatch.setattr(kept, "INDEX_FORMAT", kept.INDEX_FORMAT + 1)
    loaded()
    assert len(parsed) == 2


def test_another_version_of_the_lemmatisers_builds_it_again(cache, parsed, monkeypatch):
    """The indexes are keyed by lemmas: a new lemminflect or simplemma may read names otherwise."""
    loaded()
    monkeypatch.setattr(words, "version", lambda: "lemminflect-9.9, simplemma-9.9")
    loaded()
    assert len(parsed) == 2


def test_a_module_without_its_source_beside_it_still_keeps_its_index(cache, parsed, monkeypatch):
    monkeypatch.setattr(kept, "__file__", "/nowhere/kept.py")  # as in a zipped install
    assert same(loaded(), built()) and same(loaded(), built()) and len(parsed) == 1


def test_a_sets_names_in_a_language_are_kept_too(cache):
    translated = []

    def counting(language):
        translated.append(language)
        return mulberry.names_in(language)

    french = dataclasses.replace(mulberry.SET, translated=counting)
    first = symbols.names_in(french, "fr")
    assert translated == ["fr"] and (cache / "names-mulberry-fr.json").is_file()
    symbols._names_in.cache_clear()
    assert symbols.names_in(french, "fr") == first == mulberry.names_in("fr") and translated == ["fr"]
    assert first["savon"].name == "soap"


def test_openmojis_languages_are_kept_too(cache, monkeypatch):
    asked = []

    def counting():
        asked.append(1)
        return frozenset({"es", "fr"})

    monkeypatch.setattr(openmoji, "_emoji_languages", counting)
    openmoji.languages.cache_clear()
    try:
        assert openmoji.languages() == {"es", "fr"} and len(asked) == 1
        openmoji.languages.cache_clear()
        assert openmoji.languages() == {"es", "fr"} and len(asked) == 1  # read back
        (cache / "languages-openmoji.json").write_text(json.dumps({"key": openmoji.version(), "data": [1]}))
        openmoji.languages.cache_clear()
        assert openmoji.languages() == {"es", "fr"} and len(asked) == 2  # damaged: asked again
    finally:
        openmoji.languages.cache_clear()


def test_a_cache_folder_that_cannot_be_written_changes_nothing(tmp_path, monkeypatch, parsed):
    (tmp_path / "a file").write_text("")
    monkeypatch.setenv("STORYGEN_CACHE", str(tmp_path / "a file" / "cache"))  # its parent is a file
    try:
        assert same(loaded(), built()) and len(parsed) == 1
        assert symbols.find("brushing my teeth").name == "brush teeth"
    finally:
        symbols._kept.cache_clear()


def test_an_own_set_is_never_kept_in_the_cache(cache, tmp_path):
    pictures = tmp_path / "ours"
    pictures.mkdir()
    (pictures / "hand-wash.png").write_bytes(b"")
    ours = sets.own_set("ours", pictures, "Our pictures")
    assert symbols.loose_names(ours)["hand wash"].file == str(pictures / "hand-wash.png")
    assert not cache.exists() or not any(cache.iterdir())


def test_the_cache_folder_follows_xdg_and_storygen_cache(monkeypatch, tmp_path):
    monkeypatch.delenv("STORYGEN_CACHE")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    assert files.cache_folder() == tmp_path / ".cache" / "storygen"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")  # invalid: ignored
    assert files.cache_folder() == tmp_path / ".cache" / "storygen"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert files.cache_folder() == tmp_path / "xdg" / "storygen"
    monkeypatch.setenv("STORYGEN_CACHE", str(tmp_path / "elsewhere"))
    assert files.cache_folder() == tmp_path / "elsewhere"
