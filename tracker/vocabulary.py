"""The words of the catalogue, without its models: kinds of target, comparators, measures, units.

``tracker.model`` validates the files with these; the assessment and the number formatting read them
from here, so that ``tracker status`` does not load the models (pydantic) just to know what "%" is.
"""

from __future__ import annotations

COMPARATORS: tuple[str, ...] = (">", ">=", "<", "<=", "==")
KINDS: tuple[str, ...] = ("commitment", "expectation", "interpreted", "reference")
"""commitment: the document sets the number; expectation: an official forecast stated as such;
interpreted: the document gives words and the file gives the reading; reference: a level to watch
that no document sets. Only commitments and expectations are given a status."""
JUDGED_KINDS: tuple[str, ...] = ("commitment", "expectation")
FREQUENCIES: tuple[str, ...] = ("annual", "quarterly", "monthly", "irregular")
STALE_AFTER_DAYS: dict[str, int] = {"monthly": 120, "quarterly": 200, "annual": 550}
"""A series is out of date when its last figure's period ended longer ago than this for its frequency: the
indicators page flags the series, the assessment a status that rests on it (``STALE_LIMIT_DAYS``)."""

STALE_LIMIT_DAYS: dict[str, int] = {**STALE_AFTER_DAYS, "irregular": STALE_AFTER_DAYS["annual"]}
"""The limit of every frequency. An irregular series has no cadence to be late by and is held to the annual limit:
a figure three years old says nothing about now, however often the series comes out (the indicators page once
never marked one stale while the targets resting on it said "out of date")."""
DIRECTIONS: tuple[str, ...] = ("higher", "lower")
MEASURES: tuple[str, ...] = ("rate", "level", "count", "cumulative")
QUALIFIERS: tuple[str, ...] = ("=", ">", ">=", "<", "<=", "~")
PERCENT = "%"
POINT_UNITS: tuple[str, ...] = (PERCENT, "% change", "% a year")
"""Units of a rate: a change in one is in percentage points (-9.3% to -11.6% is -2.3 points)."""
MAX_ABS_VALUE = 1e16
"""Largest magnitude of a number in an indicator's unit, a figure's or a target's (China's GDP is about 1.4e14
yuan): anything larger is a typo or a unit mistake (a target of 1e308 wrote numbers of 300 digits)."""
