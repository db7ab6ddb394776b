"""Periods of observations (``2024``, ``2024-07``, ``2024-Q3``, ``2024-07-31``) and dates.

Every period is placed on a continuous time axis in years at the end of its
last day: t = year + day of year / days in that year. The year 2024 ends at
t = 2025.0, July 2024 at 2024 + 213/366, the day 2024-05-14 at 2024 + 135/366.
Annual periods therefore stay whole years apart (2015 to 2022 is exactly 7),
sub-annual periods sit at fractional years, and the order of t is the order of
the periods' last days.
A deadline date is placed the same way, so a deadline of "2027" (31 December
2027) sits at 2028.0, the same moment as the annual period 2027.
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

PeriodKind = Literal["year", "quarter", "month", "day"]

MIN_YEAR = 1900
MAX_YEAR = 2100

_PATTERNS: list[tuple[PeriodKind, re.Pattern[str]]] = [
    ("year", re.compile(r"^(\d{4})$")),
    ("quarter", re.compile(r"^(\d{4})-Q(\d)$", re.IGNORECASE)),
    ("month", re.compile(r"^(\d{4})-(\d{2})$")),
    ("day", re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")),
]

PERIOD_FORMATS = "YYYY, YYYY-MM, YYYY-Qn or YYYY-MM-DD"


class PeriodError(ValueError):
    """A period or date a user wrote that cannot be read; the text says what would be right."""


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period: its canonical text, kind, first and last day."""

    start: date
    end: date
    kind: PeriodKind
    text: str

    @property
    def t(self) -> float:
        """Where the period ends on the time axis, in years (see module docstring)."""
        return date_to_t(self.end)

    def __str__(self) -> str:
        return self.text


# Cached: a catalogue repeats its deadlines and periods (10,000 generated targets: about 800 distinct ones), and each
# is read several times (validated, checked, stored); the results are immutable. Bounded for long-running apps.
@functools.lru_cache(maxsize=4096)
def date_to_t(d: date) -> float:
    """A date as a point in years, at the end of that day: 2027-12-31 -> 2028.0."""
    days = 366 if calendar.isleap(d.year) else 365
    return d.year + d.timetuple().tm_yday / days


def _check_year(year: int, text: str) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(f"year {year} in '{text}' is out of range; expected {MIN_YEAR} to {MAX_YEAR}")


def parse_period(value: object) -> Period:
    """Read a period written as YYYY, YYYY-MM, YYYY-Qn or YYYY-MM-DD (an int year is allowed)."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise PeriodError(f"period must be written as {PERIOD_FORMATS}; got {value!r}")
    return _period_of(str(value).strip())


@functools.lru_cache(maxsize=4096)  # see date_to_t; a PeriodError is raised again each time (never cached)
def _period_of(text: str) -> Period:
    for kind, pattern in _PATTERNS:
        m = pattern.match(text)
        if not m:
            continue
        year = int(m.group(1))
        _check_year(year, text)
        if kind == "year":
            return Period(date(year, 1, 1), date(year, 12, 31), kind, f"{year:04d}")
        if kind == "quarter":
            q = int(m.group(2))
            if not 1 <= q <= 4:
                raise PeriodError(f"quarter in '{text}' must be Q1 to Q4")
            last_month = 3 * q
            end = date(year, last_month, calendar.monthrange(year, last_month)[1])
            return Period(date(year, last_month - 2, 1), end, kind, f"{year:04d}-Q{q}")
        if kind == "month":
            month = int(m.group(2))
            if not 1 <= month <= 12:
                raise PeriodError(f"month in '{text}' must be 01 to 12")
            end = date(year, month, calendar.monthrange(year, month)[1])
            return Period(date(year, month, 1), end, kind, f"{year:04d}-{month:02d}")
        d = parse_date(text)
        return Period(d, d, kind, d.isoformat())
    raise PeriodError(f"period must be written as {PERIOD_FORMATS}; got '{text}'")


def parse_date(value: object) -> date:
    """Read a calendar date written YYYY-MM-DD; an impossible date is a PeriodError."""
    if isinstance(value, date):
        return value
    text = str(value).strip()
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})$", text)
    if not m:
        raise PeriodError(f"date must be written as YYYY-MM-DD; got '{text}'")
    year, month, day = (int(g) for g in m.groups())
    _check_year(year, text)
    if not 1 <= month <= 12:
        raise PeriodError(f"month in '{text}' must be 01 to 12")
    try:
        return date(year, month, day)
    except ValueError:
        raise PeriodError(f"'{text}' is not a real date (there is no day {day} in month {month} of {year})") from None


def parse_deadline(value: object) -> date:
    """A deadline: a date, or a bare year meaning the last day of that year."""
    if isinstance(value, bool):
        raise PeriodError(f"deadline must be a year (2027) or a date (2027-06-30); got {value!r}")
    if isinstance(value, int) or (isinstance(value, str) and re.fullmatch(r"\d{4}", value.strip())):
        year = int(value)
        _check_year(year, str(value))
        return date(year, 12, 31)
    if isinstance(value, (str, date)):
        return parse_date(value)
    raise PeriodError(f"deadline must be a year (2027) or a date (2027-06-30); got {value!r}")
