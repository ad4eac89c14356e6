"""The two-term test agreement (tests/scenarios/cases/two-term-mou.yaml) as a registry of its own."""

from __future__ import annotations

import shutil
from pathlib import Path

from obligations.resources import cases_dir

CASE = Path(__file__).parent / "scenarios" / "cases" / "two-term-mou.yaml"
FIRST_TERM = "2025-01-01/2025-12-31"


def two_term_registry(folder: Path) -> Path:
    """``folder`` holding a copy of the agreement, both parties owned by the bundled contacts' youth team
    (youth-counselling@example.org), and those contacts."""
    folder.mkdir()
    text = CASE.read_text(encoding="utf-8")
    for name in ("○○시", "△△센터"):
        text = text.replace(f"{{name: {name}}}", f"{{name: {name}, owners: [youth-counselling]}}")
    (folder / CASE.name).write_text(text, encoding="utf-8")
    shutil.copy(cases_dir() / "contacts.yaml", folder)
    return folder
