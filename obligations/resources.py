"""Where the bundled ``rules/`` and ``cases/`` are, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    # A wheel carries them as obligations/_bundled/<name> (pyproject force-include); a source checkout
    # or an editable install has them at the top of the repository.
    inside = _PACKAGE / "_bundled" / name
    return inside if inside.is_dir() else _PACKAGE.parent / name


def rules_dir() -> Path:
    return _bundled("rules")


def cases_dir() -> Path:
    return _bundled("cases")
