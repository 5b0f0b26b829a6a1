"""How `storygen check` says what it found: one small formatter a format, each a line at a time.
Each says a severity in its own word: check's own "info" for a note, GitHub's "notice"."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator

from ..errors import Severity, display_path, printable
from .engine import Finding, Rule

WORDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "info"}  # text, json, --list-rules
GITHUB_WORDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}


def as_text(findings: list[Finding]) -> Iterator[str]:
    """`path:line:col: CODE message`, its hint on the line below (safe on a terminal)."""
    for f in findings:
        hint = printable(f.hint or "")
        yield f"{display_path(f.path)}:{f.line}:{f.col}: {f.code} {printable(f.message)}" + (
            f"\n    hint: {hint}" if hint else ""
        )


def as_json(findings: list[Finding]) -> Iterator[str]:
    yield json.dumps([as_dict(f) for f in findings], indent=2)


def as_dict(finding: Finding) -> dict:
    f = finding
    return {
        "path": str(f.path),
        "line": f.line,
        "col": f.col,
        "message": f.message,
        "severity": WORDS[f.severity],
        "code": f.code,
        "hint": f.hint or "",
    }


def as_github(findings: list[Finding]) -> Iterator[str]:
    """GitHub Actions' workflow commands: each finding an annotation on its line."""
    for f in findings:
        text = (
            f"{printable(f.message)}. {printable(f.hint or '')}".replace("%", "%25")
            .replace("\r", "%0D")
            .replace("\n", "%0A")
        )
        yield f"::{GITHUB_WORDS[f.severity]} file={display_path(f.path)},line={f.line},col={f.col},title={f.code}::{text}"


FORMATS: dict[str, Callable[[list[Finding]], Iterator[str]]] = {"text": as_text, "json": as_json, "github": as_github}


def counts(findings: list[Finding]) -> dict[Severity, int]:
    return {severity: sum(f.severity == severity for f in findings) for severity in Severity}


def summary(stories: int, findings: list[Finding]) -> str:
    found = counts(findings)
    return (
        f"{stories} stories checked: {found[Severity.ERROR]} errors, {found[Severity.WARNING]} warnings, "
        f"{found[Severity.NOTE]} notes"
    )


def rule_lines(rules: Iterable[Rule]) -> Iterator[str]:
    """`storygen check --list-rules`: code, name, severity, kinds, languages and summary of each."""
    rules = list(rules)
    read = {rule.code: "any" if "*" in rule.languages else ",".join(rule.languages) for rule in rules}
    width = max(map(len, read.values()), default=0)  # the summaries in one column: en,es,fr,de,pt is long
    for rule in rules:
        severity = WORDS[rule.severity]
        yield f"{rule.code}  {rule.name:<18} {severity:<8} {', '.join(rule.kinds):<22} {read[rule.code]:<{width}} {rule.summary}"
