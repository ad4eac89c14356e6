"""The day a check is made as of, and how far ahead it looks by default."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from obligations.duration import Duration

DEFAULT_HORIZON = Duration(days=60)
SEOUL = ZoneInfo("Asia/Seoul")


def today_in_seoul() -> date:
    return datetime.now(SEOUL).date()
