"""What the date engine computes: days from 1900-01-01 to 2199-12-31 and lengths of at most 100 years.

The bounds are part of the case-file format, so that a file ``validate`` accepts can always be checked: the
latest day (2199-12-31) plus the longest length (100 years) twice over — a term in force, then the renewal
that follows it — stays far inside what Python's dates hold (year 9999), and the earliest day minus the
longest notice lead stays after year 1. Anything outside is refused as the file's error, with the range.
"""

from __future__ import annotations

import datetime as dt

EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2199, 12, 31)
DAY_RANGE = f"from {EARLIEST.isoformat()} to {LATEST.isoformat()}"
MAX_YEARS = 100
# A length is measured as months (by the calendar) plus days; 100 years is 1,200 months or 36,600 days
# (366 a year, so that '36525d', a hundred years of days, is accepted).
_MAX_DAYS_PER_YEAR = 366
LENGTH_RANGE = f"at most {MAX_YEARS} years: 100y, 1200m or 36600d"


def day_in_range(day: dt.date) -> bool:
    return EARLIEST <= day <= LATEST


def length_in_range(total_months: int, total_days: int) -> bool:
    """Whether months and days together are at most 100 years (a month is counted as 1/12 of a year)."""
    return total_months * _MAX_DAYS_PER_YEAR + total_days * 12 <= MAX_YEARS * 12 * _MAX_DAYS_PER_YEAR
