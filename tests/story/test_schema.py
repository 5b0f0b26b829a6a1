"""The JSON Schema for editors: generated from the model, committed, and current."""

import json

import jsonschema
import yaml
from click.testing import CliRunner

from storygen.cli import main
from storygen.story.model import story_schema
from tests.conftest import EXAMPLES, FULL_STORY, MINIMAL_STORY, REPO

SCHEMA_LINE = "# yaml-language-server: $schema=../schema/story.schema.json"


def test_committed_schema_is_current():
    committed = json.loads((REPO / "schema" / "story.schema.json").read_text())
    assert committed == story_schema(), "run: storygen schema > schema/story.schema.json"


def test_schema_command_prints_it():
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0 and json.loads(result.output) == story_schema()


def test_every_example_starts_with_the_schema_line_and_is_valid():
    schema = story_schema()
    for path in EXAMPLES.glob("*.yaml"):
        text = path.read_text()
        assert text.splitlines()[0] == SCHEMA_LINE, path.name
        jsonschema.validate(yaml.safe_load(text), schema)


def test_schema_accepts_shorthands_and_refuses_unknown_keys():
    schema = story_schema()
    jsonschema.validate(yaml.safe_load(MINIMAL_STORY), schema)
    jsonschema.validate(yaml.safe_load(FULL_STORY), schema)
    bad = yaml.safe_load("title: x\nsteps:\n  - text: a\n    symbl: soap\n")
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(bad))
    assert errors and any("symbl" in e.message for e in errors)


def test_schema_accepts_what_storygen_reads_as_text():
    story = yaml.safe_load("title: 2024\nage: 6\nsteps:\n  - 3\n  - text: 4\n")
    jsonschema.validate(story, story_schema())
    bad = yaml.safe_load("title: x\nkind: 3\nsteps: [a]\n")
    assert list(jsonschema.Draft202012Validator(story_schema()).iter_errors(bad))
