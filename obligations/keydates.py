"""Key dates of a registry (act-by dates, term ends, dues) for calendar export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal


@dataclass(frozen=True)
class KeyDate:
    uid: str  # stable across exports: the same obligation keeps its uid when its date moves
    kind: Literal["act-by", "term-end", "due"]
    date: date
    agreement: str
    agreement_title: str
    party: str | None
    obligation: str | None
    summary: str  # one Korean line, e.g. "[통지 기한] 청소년쉼터 … 자동 연장 거절 통지 (서면)"
    description: tuple[str, ...]  # the derivation of the date, line by line
    owners: tuple[str, ...]
