"""docs/rules.md is written from the rules (tools/rules_doc.py): it is what the tool writes now,
and `storygen check --explain` says each rule's section of it."""

import importlib.util

from click.testing import CliRunner

from storygen.check.engine import AFTER_RULES, BEFORE_RULES, RULES
from storygen.cli import main
from tests.conftest import REPO


def _rules_doc_tool():
    spec = importlib.util.spec_from_file_location("rules_doc", REPO / "tools" / "rules_doc.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_rules_page_is_current():
    """Run `python tools/rules_doc.py` after changing a rule or its docstring."""
    committed = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert _rules_doc_tool().page() == committed, "run: python tools/rules_doc.py"


def test_every_code_is_documented_once_on_the_page():
    page = _rules_doc_tool().page()
    for documented in [*BEFORE_RULES, *RULES.values(), *AFTER_RULES]:
        assert documented.doc.startswith("**"), documented.code  # what it checks (or notes), in bold
        assert page.count(f"\n## {documented.code}") == 1, documented.code
        assert page.count(f"\n| {documented.code} |") == 1, documented.code


def test_explain_says_the_rules_section_of_the_page():
    page = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    for code in RULES:
        explained = CliRunner().invoke(main, ["check", "--explain", code]).output
        assert f"\n{explained}\n" in page, code  # its whole section, as the page has it
