"""Published units (亿户, 万, billion CNY, %) converted to an indicator's canonical unit.

A published unit is an optional scale word followed by an optional base unit.
The base must be the indicator's unit or one of its ``unit_aliases``; a bare
scale word (万, 亿, million) is accepted for counts. Percentages only convert
from a percent sign or the word "percent"; a change in per cent or a rate a year
("% change", "% a year") takes its own names only, never a scale word (a figure
keyed as 万 is refused, not read as ten thousand per cent).
"""

from __future__ import annotations

import functools

from tracker.model import PERCENT, Indicator
from tracker.vocabulary import POINT_UNITS

# Longest first, so that 万亿 is not read as 万 followed by 亿.
SCALES: tuple[tuple[str, float], ...] = (
    ("万亿", 1e12),
    ("百万", 1e6),
    ("亿", 1e8),
    ("万", 1e4),
    ("千", 1e3),
    ("trillion", 1e12),
    ("billion", 1e9),
    ("million", 1e6),
    ("thousand", 1e3),
    ("bn", 1e9),
    ("mn", 1e6),
)
PERCENT_WORDS = ("%", "percent", "per cent", "pct")


def _norm(text: str) -> str:
    # Matches the SQL side, lower(trim(unit)), so that both paths accept the same units.
    return text.strip().lower()


def accepted_units(indicator: Indicator) -> dict[str, float]:
    """Every unit text (lower-cased) the indicator accepts, with the factor to its canonical unit."""
    return _accepted(indicator.unit, tuple(indicator.unit_aliases))


@functools.lru_cache(maxsize=8192)
def _accepted(unit: str, aliases: tuple[str, ...]) -> dict[str, float]:
    names = [_norm(n) for n in (unit, *aliases)]
    if unit == PERCENT:
        return dict.fromkeys([*names, *PERCENT_WORDS], 1.0)
    accepted = dict.fromkeys(names, 1.0)
    if unit in POINT_UNITS:
        return accepted
    for word, factor in SCALES:
        accepted[word] = factor
        for name in names:
            accepted[f"{word}{name}"] = factor
            accepted[f"{word} {name}"] = factor
    return accepted


def conversion_factor(published_unit: str, indicator: Indicator) -> float | None:
    """Multiply a published value by this to get the canonical unit; None if the unit is unknown."""
    return accepted_units(indicator).get(_norm(published_unit))


def describe_units(indicator: Indicator) -> str:
    """The units a user may write for this indicator, for error messages."""
    if indicator.unit == PERCENT:
        return "%"
    names = [indicator.unit, *indicator.unit_aliases]
    if indicator.unit in POINT_UNITS:
        return ", ".join(names)
    return f"{', '.join(names)}, optionally after 万, 亿, thousand, million or billion"
