"""Numbers and units as a reader of each language expects them.

English reads large numbers in millions, billions and trillions (2.89 billion
connections); Chinese in 万, 亿 and 万亿 (28.9亿户). A chart picks one scale from
everything it draws and names it on its axis; tables and sentences use the same
words, so the same number reads the same everywhere.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import numpy as np

from tracker import formatting
from tracker.i18n import has, language, t
from tracker.vocabulary import PERCENT

SCALES: dict[str, tuple[tuple[float, str], ...]] = {
    "en": ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")),
    "zh": ((1e12, "万亿"), (1e8, "亿"), (1e4, "万")),
}
COMPARATORS = {">": ">", ">=": "≥", "<": "<", "<=": "≤", "==": "=", "=": "=", "~": "≈"}


@dataclass(frozen=True)
class Scale:
    """Divide by ``divisor`` and the numbers read in ``word`` (1e9, 'billion'); ``word`` is '' for units."""

    divisor: float
    word: str


def unit_name(unit: object, lang: str) -> str:
    """The unit as a reader of ``lang`` writes it (connections -> 户 in Chinese); unknown units as written."""
    text = "" if unit is None or (isinstance(unit, float) and math.isnan(unit)) else str(unit)
    key = f"unit.{text}"
    return t(key, lang) if has(key, language(lang)) else text


def choose_scale(values: object, unit: str, lang: str) -> Scale:
    """The largest scale word below the largest absolute value drawn (none for percentages)."""
    finite = np.abs(np.asarray(values, dtype=float).ravel())
    finite = finite[np.isfinite(finite)]
    return _scale_of(finite.max() if finite.size else 0.0, unit, lang)


def _scale_of(top: float, unit: str, lang: str) -> Scale:
    """:func:`choose_scale` of values whose largest absolute value is ``top``."""
    if unit == PERCENT:
        return Scale(1.0, "")
    for divisor, word in SCALES.get(language(lang), SCALES["en"]):
        if top >= divisor:
            return Scale(divisor, word)
    return Scale(1.0, "")


def axis_title(scale: Scale, unit: str, lang: str) -> str:
    """What one unit of the axis is: 'billion connections', '亿户', '%', 'enterprises'."""
    name = unit_name(unit, lang)
    if language(lang) == "zh":
        return f"{scale.word}{name}" or name
    return f"{scale.word} {name}".strip()


def significant(value: float, digits: int = 3) -> str:
    """At most ``digits`` significant figures, thousands separated, no trailing zeros."""
    if value == 0 or not math.isfinite(value):
        return "0" if value == 0 else "n/a"
    if abs(value) >= 10 ** (digits - 1):
        return f"{value:,.0f}"
    decimals = max(digits - 1 - int(math.floor(math.log10(abs(value)))), 0)
    text = f"{value:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_value(value: object, unit: str, lang: str, digits: int = 3) -> str:
    """A value with its unit: 2.89 billion connections / 28.9亿户, 1,557 enterprises / 1,557家, 62.9%."""
    if value is None or not isinstance(value, (int, float, np.number)) or not math.isfinite(float(value)):
        return t("value.missing", lang)
    value = float(value)
    if language(lang) == "en":
        return formatting.format_value(value, unit, digits)
    if unit == PERCENT:
        return f"{significant(value, digits)}%"
    scale = _scale_of(abs(value), unit, lang)  # one figure: no array (a chart formats thousands of them)
    number = significant(value / scale.divisor, digits) if scale.word else significant(value, max(digits, 9))
    return f"{number}{scale.word}{unit_name(unit, lang)}"


def format_change(value: object, unit: str, lang: str, digits: int = 2) -> str:
    """A signed change: +3.1 points / +3.1个百分点 for a rate, else the value with its sign."""
    if value is None or not isinstance(value, (int, float, np.number)) or not math.isfinite(float(value)):
        return t("value.missing", lang)
    value = float(value)
    sign = "+" if value >= 0 else "-"
    if unit == PERCENT:
        return sign + t("value.points", lang, number=significant(abs(value), digits))
    return sign + format_value(abs(value), unit, lang, digits)


def comparator_symbol(comparator: object) -> str:
    """>= as ≥, <= as ≤; '' when there is none (reference levels)."""
    return COMPARATORS.get(comparator, "") if isinstance(comparator, str) else ""


def format_goal(comparator: object, value: object, unit: str, lang: str) -> str:
    """A target as a reader of the language writes it: ≥ 75% and > 3.6 billion connections in English,
    不低于75% and 超过36亿户 in Chinese (the catalogue's [goal] table)."""
    text = format_value(value, unit, lang)
    key = f"goal.{comparator}"
    return t(key, lang, value=text) if isinstance(comparator, str) and has(key, lang) else text


def format_deadline(deadline: date, lang: str) -> str:
    """end-2027 / 2027年底 for 31 December, else the date."""
    if (deadline.month, deadline.day) == (12, 31):
        return t("date.end_of_year", lang, year=deadline.year)
    return deadline.isoformat()
