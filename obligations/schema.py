"""The JSON Schema of a case file, generated from the model, for editors that validate YAML as it is typed
(``# yaml-language-server: $schema=…``). ``python -m obligations.schema`` rewrites docs/case-file.schema.json;
a test fails when the file and the model disagree."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from obligations.model import Agreement

SCHEMA_FILE = Path("docs") / "case-file.schema.json"


def case_file_schema() -> dict[str, Any]:
    schema = Agreement.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "obligations case file",
        "description": "One agreement (업무협약/MOU) or plan per file; see docs/case-files.md.",
        **{key: value for key, value in schema.items() if key not in ("title", "description")},
    }


def schema_text() -> str:
    return json.dumps(case_file_schema(), ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str]) -> int:
    """Write the schema to the file named (default: docs/case-file.schema.json under the current folder)."""
    target = Path(argv[0]) if argv else SCHEMA_FILE
    target.write_text(schema_text(), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
