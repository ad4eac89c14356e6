"""The published JSON Schema of case files: in sync with the model, and accepting what the loader accepts."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from obligations.resources import cases_dir
from obligations.schema import schema_text

SCHEMA = Path(__file__).resolve().parent.parent / "docs" / "case-file.schema.json"
CASES = sorted(p for p in cases_dir().glob("*.yaml") if p.name not in ("contacts.yaml", "policy.yaml"))


def test_the_published_schema_is_the_models() -> None:
    assert SCHEMA.read_text("utf-8") == schema_text(), (
        "docs/case-file.schema.json is out of date: run `python -m obligations.schema`"
    )


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_the_bundled_case_files_match_the_schema(path: Path) -> None:
    # Dates stay text, as an editor's YAML 1.2 reader sees them.
    data = yaml.load(path.read_text("utf-8"), Loader=_Yaml12)
    jsonschema.validate(data, json.loads(SCHEMA.read_text("utf-8")))


def test_the_schema_refuses_a_typo() -> None:
    schema = json.loads(SCHEMA.read_text("utf-8"))
    data = yaml.load((CASES[0]).read_text("utf-8"), Loader=_Yaml12)
    data["term"] = {"lenght": "1y"}
    with pytest.raises(jsonschema.ValidationError, match="'lenght' was unexpected"):
        jsonschema.validate(data, schema)


class _Yaml12(yaml.SafeLoader):
    """Safe YAML with dates left as text, as YAML 1.2 (and yaml-language-server) reads them."""


_Yaml12.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))
