"""Extract storygen's messages again: templates and Python -> storygen/locale/storygen.pot,
then each shipped language's .po updated from it (translations kept, new messages empty,
gone ones dropped). Run after changing a template's words: `python tools/messages.py`.
A test fails while the .pot is out of date or a shipped .po leaves a message untranslated."""

from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from storygen.i18n import DOMAIN, SHIPPED, locale_folder  # noqa: E402

FIXED_DATE = datetime(2026, 1, 1, tzinfo=timezone.utc)  # no churn in the files' headers
JINJA = {"extensions": "jinja2.ext.i18n", "trimmed": "true", "trim_blocks": "true", "lstrip_blocks": "true"}
SOURCES = [  # (folder, method map, options)
    (ROOT / "templates", [("*.html", "jinja2.ext:babel_extract")], {"*.html": JINJA}),
    (ROOT / "storygen", [("**.py", "python")], {}),
]
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}


def extract() -> Catalog:
    """Every message of the templates and the code, with where it is used."""
    template = Catalog(project="storygen", domain=DOMAIN, creation_date=FIXED_DATE, charset="utf-8")
    for folder, methods, options in SOURCES:
        for file, line, message, comments, context in extract_from_dir(
            folder, methods, options, keywords=KEYWORDS, comment_tags=("Translators:",)
        ):
            flags = {"python-format"} if "%(" in (message[0] if isinstance(message, tuple) else message) else set()
            where = (f"{folder.name}/{file}", line)
            template.add(message, None, [where], auto_comments=comments, flags=flags, context=context)
    return template


def main() -> None:
    template = extract()
    folder = locale_folder()
    with open(folder / f"{DOMAIN}.pot", "wb") as stream:
        write_po(stream, template, width=100)
    for language in SHIPPED:
        if language == "en":  # the messages themselves are English
            continue
        path = folder / language / "LC_MESSAGES" / f"{DOMAIN}.po"
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_file():
            with open(path, "rb") as stream:
                catalog = read_po(stream, locale=language, domain=DOMAIN)
        else:
            catalog = Catalog(locale=language, domain=DOMAIN, creation_date=FIXED_DATE, charset="utf-8")
        catalog.update(template, no_fuzzy_matching=True)
        catalog.revision_date = FIXED_DATE
        with open(path, "wb") as stream:
            write_po(stream, catalog, width=100, ignore_obsolete=True)
    print(f"{len(template)} messages; {folder / (DOMAIN + '.pot')} and {len(SHIPPED) - 1} catalogs updated")


if __name__ == "__main__":
    main()
