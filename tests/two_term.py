"""The two-term test agreement (tests/scenarios/cases/two-term-mou.yaml) as a registry of its own."""

from __future__ import annotations

import shutil
from pathlib import Path

from obligations.resources import cases_dir

CASE = Path(__file__).parent / "scenarios" / "cases" / "two-term-mou.yaml"
FIRST_TERM = "2025-01-01/2025-12-31"


def two_term_registry(folder: Path) -> Path:
    """``folder`` holding a copy of the agreement and the bundled contacts (its parties' owners)."""
    folder.mkdir()
    shutil.copy(CASE, folder)
    shutil.copy(cases_dir() / "contacts.yaml", folder)
    return folder
