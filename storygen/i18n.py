"""The words storygen adds to a page (labels, headings, the family guide, the catalog), in
the reader's language.

They are gettext messages: storygen/locale/<lang>/LC_MESSAGES/storygen.po, one file a
translator opens in any PO editor, read with Babel and compiled in memory (no .mo file to
keep in step). Templates use Jinja2's i18n extension (`{% trans %}`, `_()`); Python marks
its messages with N_() and translates them where they are shown. A library's `labels:` in
storygen.yaml changes any message for its families, or adds a language storygen does not
ship. `python tools/messages.py` extracts the messages again after a template changes.
"""

from __future__ import annotations

import gettext
import io
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

# A language's facts are languages.py's; these two are asked of i18n too (templates' data, the catalog).
from .languages import base as base
from .languages import direction as direction

DOMAIN = "storygen"
Labels = Mapping[str, "str | list[str]"]  # a library's own words for one language, by message


def N_(message: str) -> str:
    """Marks a message for extraction (tools/messages.py); it is translated where it is shown."""
    return message


def locale_folder() -> Path:
    return Path(__file__).parent / "locale"


# English, the messages themselves, and each language with a catalog in storygen/locale:
# a translator's new .po file ships its language.
SHIPPED = ("en", *sorted(po.parent.parent.name for po in locale_folder().glob(f"*/LC_MESSAGES/{DOMAIN}.po")))


SAME_CATALOG = {"fil": "tl"}  # Filipino reads the Tagalog catalog
TRADITIONAL = ("hant", "tw", "hk", "mo")  # a Chinese tag's script or region written in Traditional characters


def catalog_name(language: str) -> str:
    """The catalog a language tag reads: its language's ('es' for es-MX), Chinese in Traditional
    characters apart ('zh_Hant' for zh-Hant, zh-TW and zh-HK; 'zh' for zh, zh-Hans and zh-CN)."""
    parts = language.replace("_", "-").lower().split("-")
    if parts[0] == "zh" and "hans" not in parts and any(part in TRADITIONAL for part in parts[1:]):
        return "zh_Hant"
    return SAME_CATALOG.get(parts[0], parts[0])


def shipped(language: str) -> str | None:
    """The catalog storygen ships for a language tag, if any."""
    name = catalog_name(language)
    return name if name in SHIPPED else None


@lru_cache(maxsize=16)
def _shipped_catalog(language: str):
    from babel.messages.pofile import read_po

    with open(locale_folder() / language / "LC_MESSAGES" / f"{DOMAIN}.po", "rb") as stream:
        return read_po(stream, locale=language, domain=DOMAIN)


@lru_cache(maxsize=1)
def template_catalog():
    """Every message storygen has (storygen/locale/storygen.pot), English as written."""
    from babel.messages.pofile import read_po

    with open(locale_folder() / f"{DOMAIN}.pot", "rb") as stream:
        return read_po(stream, domain=DOMAIN)


def label_id(written: str) -> str:
    """A message as a library writes it ('Step {n} of {total}', '% independent') as gettext
    keeps it ('Step %(n)s of %(total)s', '%% independent')."""
    return re.sub(r"\{(\w+)\}", r"%(\1)s", written.replace("%", "%%"))


def written_label(message: str) -> str:
    """label_id, the other way: how a library writes a message in `labels:`."""
    return re.sub(r"%\((\w+)\)s", r"{\1}", message).replace("%%", "%")


def label_problem(key: str, value: str | list[str]) -> tuple[str, str | None] | None:
    """What is wrong with one of a library's labels, and the fix when there is one: a message
    storygen does not have, or a {name} in the words that the message does not give."""
    from .errors import did_you_mean

    message = next((m for m in template_catalog() if m.id and _msgid(m) == label_id(key)), None)
    if message is None:
        close = did_you_mean(key, known_labels())
        return f"storygen has no label '{key}'{close}", None if close else "`storygen labels` lists them"
    forms = message.id if isinstance(message.id, tuple) else (message.id,)  # a plural's names are its forms'
    given = list(dict.fromkeys(re.findall(r"\{(\w+)\}", " ".join(map(written_label, forms)))))
    for words in value if isinstance(value, list) else [value]:
        if extra := sorted(set(re.findall(r"\{(\w+)\}", words)) - set(given)):
            names = ", ".join(f"{{{name}}}" for name in given) or "none"
            return f"the label for '{key}' uses {{{extra[0]}}}, which it does not have (it has: {names})", None
    return None


def known_labels() -> list[str]:
    return [written_label(_msgid(m)) for m in template_catalog() if m.id]


def label_lines(language: str, labels: Labels | None = None) -> list[tuple[str, str | list[str]]]:
    """(label, its words in language) for every message, as a library writes them in `labels:`;
    a message with plural forms gives one for each form of the language."""
    words, lines = translations(language, labels), []
    found = shipped(language)
    catalog = _shipped_catalog(found) if found and found != "en" else None
    for message in template_catalog():
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            given = (labels or {}).get(written_label(message.id[0]))
            shipped_forms = catalog.get(message.id) if catalog is not None else None
            forms = given or (shipped_forms.string if shipped_forms else [written_label(i) for i in message.id])
            shown: str | list[str] = [written_label(form) if "%" in form else form for form in forms]
        else:
            shown = written_label(words.gettext(message.id))
        lines.append((written_label(_msgid(message)), shown))
    return lines


def _msgid(message) -> str:
    return message.id[0] if isinstance(message.id, tuple) else message.id


def translations(language: str, labels: Labels | None = None, noting: bool = True) -> gettext.NullTranslations:
    """The messages in a language: its shipped catalog (English when there is none), then a
    library's labels for it. Within noting_english(), one that notes what it prints in English
    (noting=False: for names looked up ahead, of which a page prints only some)."""
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in (labels or {}).items()))
    words, noted = _translations(language, frozen), _NOTED.get()
    if noting and noted is not None and (english := _without_words(language, frozen)):
        return _Noting(words, english, noted.setdefault(language, set()))
    return words


_NOTED: ContextVar[dict[str, set[str]] | None] = ContextVar("noted", default=None)


@contextmanager
def noting_english() -> Iterator[dict[str, set[str]]]:
    """Within it, every message printed in English for a language that has no words for it
    (no catalog, no label) is noted, by language: a build says which, never silently."""
    noted: dict[str, set[str]] = {}
    token = _NOTED.set(noted)
    try:
        yield noted
    finally:
        _NOTED.reset(token)


def without_words(language: str, labels: Labels | None = None) -> frozenset[str]:
    """The messages (a plural's by its singular) a language has no words for: printed in English."""
    return _without_words(
        language, tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in (labels or {}).items()))
    )


@lru_cache(maxsize=32)
def _without_words(language: str, labels: tuple) -> frozenset[str]:
    """The messages (a plural's by its singular) that a language has no words for."""
    if shipped(language):
        return frozenset()  # English, or a shipped catalog: every message (a test sees to it)
    given = {label_id(key) for key, _words in labels}
    return frozenset(_msgid(m) for m in template_catalog() if m.id and _msgid(m) not in given)


class _Noting(gettext.NullTranslations):
    """A language's translations that note each message they print in English."""

    def __init__(self, words: gettext.NullTranslations, english: frozenset[str], noted: set[str]):
        super().__init__()
        self._words, self._english, self._noted = words, english, noted

    def gettext(self, message: str) -> str:
        if message in self._english:
            self._noted.add(message)
        return self._words.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        if singular in self._english:
            self._noted.add(singular)
        return self._words.ngettext(singular, plural, n)


def english_labels(noted: set[str], most: int = 4) -> str:
    """Messages printed in English, as a message lists them: 'A social story', 'Present' and 3 more."""
    shown = sorted({re.sub(r"<[^>]+>", "", written_label(message)) for message in noted}, key=lambda w: (len(w), w))
    quoted = ", ".join(f"'{words}'" for words in shown[:most])
    return quoted + (f" and {len(shown) - most} more" if len(shown) > most else "")


@lru_cache(maxsize=32)
def _translations(language: str, labels: tuple) -> gettext.NullTranslations:
    from babel.core import Locale, UnknownLocaleError
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo
    from markupsafe import escape

    found = shipped(language)
    if found == "en" and not labels:
        return gettext.NullTranslations()
    if found and found != "en":
        shipped_catalog = _shipped_catalog(found)
        merged = Catalog(locale=shipped_catalog.locale, domain=DOMAIN)
        # Its header holds its plural forms: a newer Babel may count a language's forms otherwise.
        merged.mime_headers = shipped_catalog.mime_headers
        for message in shipped_catalog:
            if message.id:
                merged.add(message.id, message.string, flags=message.flags)
    else:  # English (the messages themselves) or a language storygen does not ship: the library's labels only
        try:
            merged = Catalog(locale=Locale.parse(language, sep="-"), domain=DOMAIN)
        except (UnknownLocaleError, ValueError):
            merged = Catalog(domain=DOMAIN)
    for key, value in labels:
        # A library's words are plain text: escaped here, as story text is, since a message may hold markup.
        words = [label_id(str(escape(v))) for v in (value if isinstance(value, tuple) else [value])]
        message = next((m for m in template_catalog() if m.id and _msgid(m) == label_id(key)), None)
        if message is None:
            continue  # read_settings reports it
        if message.id in merged:
            del merged[message.id]  # Catalog.add keeps the string of a message it has
        if isinstance(message.id, tuple):
            forms = merged.num_plurals
            merged.add(message.id, tuple((words * forms)[:forms] if len(words) == 1 else words[:forms]))
        else:
            merged.add(message.id, words[0])
    stream = io.BytesIO()
    write_mo(stream, merged)
    stream.seek(0)
    return gettext.GNUTranslations(stream)


def language_name(language: str, in_language: str | None = None) -> str:
    """A language's name in a language (its own, by default): 'español', '한국어'."""
    from babel.core import Locale, UnknownLocaleError

    try:
        name = Locale.parse(language, sep="-").get_display_name(Locale.parse(in_language or language, sep="-"))
    except (UnknownLocaleError, ValueError):
        return language
    return name or language


# A library's own catalogs: locale/<language>.po beside its storygen.yaml, a translator's file for
# a language storygen does not ship (or its own words for one it does). Read as `labels:` are.
LIBRARY_CATALOGS = "locale"
MAX_CATALOG_BYTES = 512 * 1024  # 200 messages in any script take under 60 KB
TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")  # as a story's `language:` (fields.language_code)


def library_catalogs(library: Path) -> tuple[dict[str, dict[str, str | list[str]]], list]:
    """The labels of every catalog in a library's locale/ folder, by language (the file's name),
    and the problems found in them, each at its line: a message whose {names} are not the
    English's is left out (as a wrong label is), so the rest still prints in the language."""
    folder = Path(library) / LIBRARY_CATALOGS
    found: dict[str, dict[str, str | list[str]]] = {}
    problems: list = []
    if not folder.is_dir():
        return found, problems
    for path in sorted(folder.glob("*.po")):
        labels, wrong = _read_library_catalog(path, library)
        problems += wrong
        if labels is not None:
            found[path.stem] = labels
    return found, problems


def _read_library_catalog(path: Path, library: Path) -> tuple[dict[str, str | list[str]] | None, list]:
    from babel.messages.pofile import PoFileError, read_po

    from . import files
    from .errors import Problem, Severity

    if not TAG.fullmatch(path.stem):
        hint = "name it by its language, as a story's `language:` is written: ru.po, pt-BR.po"
        return None, [Problem(path, 1, 1, f"'{path.name}' is not named by a language", hint=hint)]
    try:
        raw = files.read(path, library, MAX_CATALOG_BYTES)
        catalog = read_po(io.BytesIO(raw), domain=DOMAIN, abort_invalid=True)
    except (files.Outside, files.NotAFile):
        return None, [Problem(path, 1, 1, "this catalog is not a file of the library", hint="copy it into locale/")]
    except files.TooLarge as error:
        message = f"the catalog is {error.size // 1024} KB, more than storygen's messages need"
        return None, [Problem(path, 1, 1, message, hint=f"a catalog must be at most {MAX_CATALOG_BYTES // 1024} KB")]
    except (OSError, UnicodeDecodeError, PoFileError, ValueError) as error:
        hint = "open it in a PO editor (Poedit, Lokalize) and save it again, or write it again with `storygen labels`"
        where = getattr(error, "lineno", 1) or 1
        return None, [
            Problem(
                path,
                where,
                1,
                f"this catalog cannot be read ({error}), so its labels print in English",
                Severity.WARNING,
                hint,
            )
        ]
    known = {m.id for m in template_catalog() if m.id}
    labels: dict[str, str | list[str]] = {}
    problems = []
    for entry in catalog:
        written = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        strings = [str(s) for s in written if s]
        if not entry.id or entry.id not in known or entry.fuzzy or len(strings) < len(written) or not strings:
            continue  # a message storygen no longer has, one marked uncertain, or one not yet translated
        key = written_label(_msgid(entry))
        words: str | list[str] = (
            [written_label(s) for s in strings] if isinstance(entry.id, tuple) else written_label(strings[0])
        )
        if wrong := label_problem(key, words):
            problems.append(
                Problem(path, entry.lineno or 1, 1, wrong[0], Severity.WARNING, "write the {names} the English has")
            )
            continue
        labels[key] = words
    return labels, problems


def write_library_catalog(language: str, library: Path, labels: Labels | None = None) -> tuple[Path, int, int]:
    """locale/<language>.po in the library: every message storygen prints, its English as the
    msgid a translator reads, its words in language where storygen or the library has them
    already. A catalog there already is brought up to date: every word in it is kept, a message
    storygen added is added. (Its path, how many messages it holds, how many are translated.)"""
    from babel.core import Locale, UnknownLocaleError
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    from . import files

    path = Path(library) / LIBRARY_CATALOGS / f"{language}.po"
    if path.is_file():
        catalog = read_po(io.BytesIO(files.read(path, library, MAX_CATALOG_BYTES)), domain=DOMAIN)
    else:
        try:
            locale: Locale | None = Locale.parse(language, sep="-")
        except (UnknownLocaleError, ValueError):
            locale = None  # a language Babel does not know: two plural forms, as English
        catalog = Catalog(locale=locale, domain=DOMAIN, project="storygen", charset="utf-8", fuzzy=False)
        catalog.header_comment = (
            f"# The words storygen prints on this library's stories, in {language_name(language, 'en')}.\n"
            "# Write each msgstr under its English msgid (Poedit, Weblate, Lokalize or any text editor);\n"
            "# keep every %(name)s as it is. `storygen build` uses this file for this library only;\n"
            f"# `storygen labels {language} --po` adds the messages a newer storygen has, keeping yours.\n#"
        )
        _fill(catalog, language, labels)
    catalog.update(template_catalog(), no_fuzzy_matching=True)  # new messages in; yours kept
    stream = io.BytesIO()
    write_po(stream, catalog, width=100, ignore_obsolete=True)
    path.parent.mkdir(exist_ok=True)
    files.replace(path, stream.getvalue())
    translated = sum(1 for m in catalog if m.id and all(m.string if isinstance(m.string, tuple) else (m.string,)))
    return path, sum(1 for m in catalog if m.id), translated


def _fill(catalog, language: str, labels: Labels | None) -> None:
    """catalog given every message, with the words storygen or the library has in language."""
    words = translations(language, labels)
    for message in template_catalog():
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            forms = [words.ngettext(message.id[0], message.id[1], n) for n in _one_of_each_form(catalog)]
            known = all(form not in message.id for form in forms)
            catalog.add(message.id, tuple(forms) if known else ("",) * catalog.num_plurals, flags=message.flags)
        else:
            said = words.gettext(message.id)
            catalog.add(message.id, said if said != message.id else "", flags=message.flags)


def _one_of_each_form(catalog) -> list[int]:
    """A number for each of a catalog's plural forms, in the forms' order."""
    from gettext import c2py

    plural, numbers = c2py(catalog.plural_expr), dict[int, int]()
    for n in range(1000):
        numbers.setdefault(plural(n), n)
    return [numbers.get(form, 0) for form in range(catalog.num_plurals)]
