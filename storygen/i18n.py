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
from collections.abc import Mapping
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


def shipped(language: str) -> str | None:
    """The catalog storygen ships for a language tag, if any."""
    return base(language) if base(language) in SHIPPED else None


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


def translations(language: str, labels: Labels | None = None) -> gettext.NullTranslations:
    """The messages in a language: its shipped catalog (English when there is none), then a
    library's labels for it."""
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in (labels or {}).items()))
    return _translations(language, frozen)


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
