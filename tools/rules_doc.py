"""Write docs/rules.md from the rules: its introduction below, a table of every code, then each
rule's section from its docstring (check/social.py...) and the engine's own codes (check/engine.py).
Run after changing a rule or its documentation: `python tools/rules_doc.py`.
A test fails while docs/rules.md is not what this writes."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from storygen.check.engine import AFTER_RULES, BEFORE_RULES, RULES, EngineCode, Rule, section  # noqa: E402
from storygen.check.report import WORDS  # noqa: E402

PAGE = ROOT / "docs" / "rules.md"
INTRODUCTION = """\
# `storygen check` rules

`storygen check [PATH...]` reads every story, validates it, and reviews it against the
published guidance for social stories, sensory stories and task analyses. It renders
nothing, so it is fast enough for an editor, a pre-commit hook and CI.

```
stories/bedtime.yaml:12:30: SOC006 'always' is an absolute that may not hold
    hint: say 'usually' instead: a literal reader holds the story to its word
```

- Exit status 0 when there are no errors, 1 when there are; `--strict` makes warnings
  fail too. `--output-format json` for tools, `--output-format github` for GitHub Actions
  annotations. `--list-rules` lists the rules; `--explain CODE` prints a rule's section
  of this page (`storygen check --explain SOC006`).
- Switch rules off by code or name, for a whole library in `storygen.yaml` or for one
  story in the story file:

  ```yaml
  check:
    disable: [SOC008, absolutes]
  ```

Each rule knows the languages it can read (`--list-rules` shows them): the wording rules
(SOC003, SOC005, SOC006, SOC007) know English, Spanish, French, German and Portuguese
("nunca", "no debes", "tu dois", "jamais", "du musst", "immer", "você deve", "não corra"),
SOC002 and SOC004 English; the reading level (GEN002) uses Flesch-Kincaid
for English and Fernández-Huerta's reading ease for Spanish (ages up to 6 need 90 or more,
up to 9 80, up to 12 70, older 60: the scale's "very easy" to "normal"); the rest read any language, counting words
in any script (Chinese and Japanese, written without spaces, a word for every two
characters). A translation is read in its own language. A story, or a translation, in a
language a rule cannot read gets one note, CHK002, naming the rules left out.

Sources used below: Carol Gray, *The New Social Story Book* (Social Stories 10.2
criteria); Joanna Grace, *Sensory Stories for Children and Teens with Special
Educational Needs*; Cooper, Heron and Heward, *Applied Behavior Analysis* (task
analysis, chaining, prompting, mastery); W3C WCAG 2.2 (text alternatives); Kincaid et
al. (1975), the Flesch-Kincaid grade level.

<!-- Written by tools/rules_doc.py from each rule's docstring: edit those, then run it. -->
"""


def page() -> str:
    """docs/rules.md as the rules document themselves: the table of codes, then a section each."""
    documented: list[Rule | EngineCode] = [*BEFORE_RULES, *RULES.values(), *AFTER_RULES]
    rows = [f"| {d.code} | {d.name} | {WORDS[d.severity]} | {d.stories} |" for d in documented]
    table = "\n".join(["| code | name | severity | stories |", "|---|---|---|---|", *rows])
    return "\n\n".join([INTRODUCTION + "\n" + table, *(section(d) for d in documented)]) + "\n"


def main() -> None:
    PAGE.write_text(page(), encoding="utf-8")
    print(f"{len(RULES)} rules and {len(BEFORE_RULES) + len(AFTER_RULES)} engine codes; {PAGE} written")


if __name__ == "__main__":
    main()
