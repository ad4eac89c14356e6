"""Lengths of periods as agreements write them: ``1y``, ``6m``, ``2w``, ``30d`` and sums such as ``1y 6m``.

A :class:`Duration` keeps its units apart because the Civil Act counts them differently: days one by one
(민법 제156조·제157조), weeks, months and years by the calendar (제160조 ①). ``1y`` is therefore not ``12m``
written differently in every computation that follows, and it is kept as written for explanations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from obligations.bounds import LENGTH_RANGE, length_in_range

# ASCII only: '\d' would also read '١y' (an Arabic-Indic one) as a year.
_PART = re.compile(r"(\d+)\s*([ymwd])", re.ASCII)
_WHOLE = re.compile(r"\s*(\d+\s*[ymwd]\s*)+", re.ASCII)
EXAMPLE = "1y, 6m, 2w, 30d or 1y 6m"


class DurationError(ValueError):
    """A length that cannot be read; the message quotes it and gives an example of a good one."""


@dataclass(frozen=True, order=True)
class Duration:
    """A period length by calendar units.

    >>> Duration.parse("1y 6m")
    Duration(years=1, months=6, weeks=0, days=0)
    >>> str(Duration(months=1))
    '1m'
    """

    years: int = 0
    months: int = 0
    weeks: int = 0
    days: int = 0

    @classmethod
    def parse(cls, text: str) -> Duration:
        if not isinstance(text, str) or not _WHOLE.fullmatch(text) or text.strip() == "":
            raise DurationError(f"expected a length such as {EXAMPLE}; got: {text!r}")
        units = {"y": 0, "m": 0, "w": 0, "d": 0}
        for number, unit in _PART.findall(text):
            if len(number.lstrip("0")) > 6:  # far past any bound, and int() refuses 4,300 digits
                raise DurationError(f"a length is {LENGTH_RANGE}; got: {text!r}")
            units[unit] += int(number)
        duration = cls(years=units["y"], months=units["m"], weeks=units["w"], days=units["d"])
        if duration.is_zero:
            raise DurationError(f"a length must be longer than zero, such as {EXAMPLE}; got: {text!r}")
        if not length_in_range(duration.total_months, duration.total_days):
            raise DurationError(f"a length is {LENGTH_RANGE}; got: {text!r}")
        return duration

    @property
    def is_zero(self) -> bool:
        return not (self.years or self.months or self.weeks or self.days)

    @property
    def total_months(self) -> int:
        return self.years * 12 + self.months

    @property
    def total_days(self) -> int:
        return self.weeks * 7 + self.days

    def __add__(self, other: Duration) -> Duration:
        return Duration(
            self.years + other.years,
            self.months + other.months,
            self.weeks + other.weeks,
            self.days + other.days,
        )

    def times(self, k: int) -> Duration:
        """This length ``k`` times over, e.g. the k-th renewal measured from the anchor."""
        return Duration(self.years * k, self.months * k, self.weeks * k, self.days * k)

    def __str__(self) -> str:
        parts = [
            f"{n}{u}"
            for n, u in ((self.years, "y"), (self.months, "m"), (self.weeks, "w"), (self.days, "d"))
            if n
        ]
        return " ".join(parts) or "0d"

    def korean(self) -> str:
        """The length in the words of an agreement: ``1년 6개월``."""
        names = ((self.years, "년"), (self.months, "개월"), (self.weeks, "주"), (self.days, "일"))
        return " ".join(f"{n}{u}" for n, u in names if n) or "0일"
