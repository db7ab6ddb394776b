"""Numbers and units as a reader of each language expects them.

English reads large numbers in millions, billions and trillions (2.89 billion
connections); Chinese in 万, 亿 and 万亿 (28.9亿户). A chart picks one scale from
everything it draws and names it on its axis; tables and sentences use the same
words, so the same number reads the same everywhere.

Each function writes one value; ``significant_column``, ``format_values``, ``format_changes`` and
``format_goals`` write a whole column with the same texts (the sentences of 100,000 targets hold about
90,000 distinct numbers), and tests compare the two ways value for value.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import repeat

import numpy as np

from tracker import formatting
from tracker.i18n import has, language, t
from tracker.vocabulary import PERCENT, POINT_UNITS

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
    """:func:`choose_scale` of values whose largest absolute value is ``top``. A percentage, a change in per cent
    or a rate a year takes none (2,500,000% change, not 2.5 million% change)."""
    if unit in POINT_UNITS:
        return Scale(1.0, "")
    for divisor, word in SCALES.get(language(lang), SCALES["en"]):
        if top >= divisor:
            return Scale(divisor, word)
    return Scale(1.0, "")


def axis_title(scale: Scale, unit: str, lang: str) -> str:
    """What one unit of the axis is: 'billion connections', '单位：亿户', '%', 'enterprises'. In Chinese the unit
    follows 单位：, as Chinese charts label it: the axis title is drawn turned on its side, and a unit of one
    character alone (个) read as an arrow (←)."""
    name = unit_name(unit, lang)
    joined = f"{scale.word}{name}" if language(lang) == "zh" else f"{scale.word} {name}".strip()
    return t("chart.axis_unit", lang, unit=joined)


def significant(value: float, digits: int = 3) -> str:
    """At most ``digits`` significant figures, thousands separated, no trailing zeros."""
    if value == 0 or not math.isfinite(value):
        return "0" if value == 0 else "n/a"
    if abs(value) >= 10 ** (digits - 1):
        return f"{value:,.0f}"
    decimals = max(digits - 1 - int(math.floor(math.log10(abs(value)))), 0)
    text = f"{value:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def figure_digits(figures: object) -> list[int]:
    """The significant digits each figure of a series (a frame with a ``digits`` column, as the observations
    table stores them) was published with: 15.9722 has 6, and is written with 6 wherever a figure is listed or
    hovered. 3 where the series does not say."""
    n = len(figures)  # type: ignore[arg-type]
    if "digits" not in figures:  # type: ignore[operator]
        return [3] * n
    d = np.asarray(figures["digits"], dtype=float)  # type: ignore[index]
    return np.where(np.isnan(d), 3, np.maximum(d, 1)).astype(int).tolist()


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
    if scale.word:
        number = significant(value / scale.divisor, digits)
    else:  # below 万, as English writes below a million: whole from 1,000 (a pace of 53.74个 a year is 54个)
        whole = abs(value) >= 1000 or (value.is_integer() and value != 0)  # 0 and -0 are "0", as before
        number = f"{value:,.0f}" if whole else significant(value, digits)
    return f"{number}{scale.word}{unit_name(unit, lang)}"


def format_change(value: object, unit: str, lang: str, digits: int = 2) -> str:
    """A signed change: +3.1 points / +3.1个百分点 for a rate, else the value with its sign."""
    if value is None or not isinstance(value, (int, float, np.number)) or not math.isfinite(float(value)):
        return t("value.missing", lang)
    value = float(value)
    sign = "+" if value >= 0 else "-"
    if unit in POINT_UNITS:
        return sign + t("value.points", lang, number=significant(abs(value), digits))
    return sign + format_value(abs(value), unit, lang, digits)


COLUMN_FROM = 256
"""Below this many values the column functions write each value with the scalar function: numpy's fixed cost
a call is then more than what it saves (about 0.2 ms against 1.5 µs a value)."""


def significant_column(values: object, digits: object = 3) -> np.ndarray:
    """:func:`significant` of every value (``digits`` one for all or one per value), the same texts, for a whole
    column: numpy works out each value's decimals, and the values of equal decimals are written by one format
    mapped over them (at 100,000 targets the sentences hold about 90,000 distinct values, one call each before).
    An object array of str."""
    v = np.asarray(values, dtype=float)
    d = np.broadcast_to(np.asarray(digits, dtype=np.int64), v.shape)
    if len(v) < COLUMN_FROM:
        return _objects(list(map(significant, v.tolist(), d.tolist())))
    out = np.empty(v.shape, dtype=object)
    out[v == 0] = "0"
    out[~np.isfinite(v)] = "n/a"
    a = np.abs(v)
    rest = np.isfinite(v) & (v != 0)
    exponent = np.log10(np.where(rest, a, 1.0))
    # Within a hair of a power of ten numpy's log10 and math.log10 may round to different sides: those few
    # values are written by the scalar function, so that every text is exactly what it writes.
    near = rest & (np.abs(exponent - np.rint(exponent)) < 1e-9)
    for i in np.flatnonzero(near).tolist():
        out[i] = significant(float(v[i]), int(d[i]))
    rest &= ~near
    whole = a >= 10.0 ** (d - 1)
    decimals = np.where(whole | ~rest, 0, np.maximum(d - 1 - np.floor(exponent), 0)).astype(np.int64)
    for k in np.flatnonzero(np.bincount(decimals[rest])).tolist():  # the few decimals in use
        rows = np.flatnonzero(rest & (decimals == k))
        texts = list(map(f"{{:,.{k}f}}".format, v[rows].tolist()))
        if k:  # every text has a decimal point: trailing zeros go, then a bare point
            texts = list(map(str.rstrip, map(str.rstrip, texts, repeat("0")), repeat(".")))
        out[rows] = _objects(texts)
    return out


def _objects(texts: list[str]) -> np.ndarray:
    """A list of str as an object array (numpy would otherwise make a fixed-width text array of it)."""
    array = np.empty(len(texts), dtype=object)
    array[:] = texts
    return array


def _per_value(units: object, n: int) -> list[object]:
    """One unit per value, from one unit for all (a str, or None) or a sequence of them."""
    return list(units) if isinstance(units, Sequence | np.ndarray) and not isinstance(units, str) else [units] * n


def _numbers_column(v: np.ndarray, d: np.ndarray, percent: bool, lang: str, scaled: bool = True) -> np.ndarray:
    """The number part of :func:`format_value` for finite values of one unit: in the scale word of the value's
    size (2.89 billion, 28.9亿) when ``scaled``, thousands below it (1,557); none for percentages."""
    if percent:
        return significant_column(v, d)
    out = np.empty(len(v), dtype=object)
    left = np.ones(len(v), dtype=bool)
    a = np.abs(v)
    english = language(lang) == "en"
    for divisor, word in SCALES.get(language(lang), SCALES["en"]) if scaled else ():
        rows = np.flatnonzero(left & (a >= divisor))
        if rows.size:
            out[rows] = significant_column(v[rows] / divisor, d[rows]) + (f" {word}" if english else word)
            left[rows] = False
    rows = np.flatnonzero(left)
    # Both languages write whole numbers and anything from 1,000 without decimals (tracker.formatting.format_number).
    plain = (a[rows] >= 1000) | (v[rows] == np.floor(v[rows]))
    if not english:  # Chinese writes 0 and -0 as "0" (significant), English as "0" and "-0"
        plain &= v[rows] != 0
    out[rows[plain]] = _objects(list(map("{:,.0f}".format, v[rows[plain]].tolist())))
    out[rows[~plain]] = significant_column(v[rows[~plain]], d[rows[~plain]])
    return out


def _unit_codes(unit_of: list[object]) -> tuple[dict[object, int], np.ndarray]:
    """Each distinct unit's code, and the code of each value's unit."""
    index = {u: code for code, u in enumerate(dict.fromkeys(unit_of))}
    return index, np.fromiter(map(index.__getitem__, unit_of), dtype=np.int64, count=len(unit_of))


def _repeats(v: np.ndarray, codes: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """When at most half the values are distinct (many targets read one figure, projection or pace): the first
    row of each distinct value, unit and digits, and each row's distinct one; else None. Values are equal bit for
    bit (English writes 0.0 and -0.0 apart), so each text is the one its own row would get."""
    if len(v) < 2:
        return None
    order = np.lexsort((v.view(np.int64), codes, d))
    change = np.zeros(len(v), dtype=bool)
    change[0] = True
    for key in (v.view(np.int64), codes, d):
        ordered = key[order]
        change[1:] |= ordered[1:] != ordered[:-1]
    if 2 * int(np.count_nonzero(change)) > len(v):
        return None
    inverse = np.empty(len(v), dtype=np.int64)
    inverse[order] = np.cumsum(change) - 1
    return order[change], inverse


@lru_cache(maxsize=1 << 14)
def _remembered(value: float, unit: object, lang: str, digits: int) -> str:
    """:func:`format_value` of a value met before, from memory: the site's charts of one indicator (its page's and
    each of its targets', in each language) write the same figures, about a hundred a chart."""
    return format_value(value, unit, lang, digits)


def format_values(values: object, units: object, lang: str, digits: object = 3) -> list[str]:
    """:func:`format_value` of each value, with its unit (a str for all, or one per value) and its digits (an
    int for all, or one per value): the same texts, written a column at a time by :func:`significant_column`.
    Values are numbers, NaN or None (missing)."""
    v = np.asarray(values, dtype=float)
    n = len(v)
    d = np.broadcast_to(np.asarray(digits, dtype=np.int64), v.shape)
    unit_of = _per_value(units, n)
    if n < COLUMN_FROM:
        # Zero and NaN are written anew: -0.0 and 0.0 are one key but two texts in English, NaN matches no key.
        return [_remembered(x, u, lang, k) if x and x == x else format_value(x, u, lang, k)
                for x, u, k in zip(v.tolist(), unit_of, d.tolist(), strict=True)]  # fmt: skip
    index, codes = _unit_codes(unit_of)
    repeats = _repeats(v, codes, d)
    if repeats is not None:  # each distinct figure written once
        first, inverse = repeats
        texts = format_values(v[first], [unit_of[i] for i in first.tolist()], lang, d[first])
        return list(map(texts.__getitem__, inverse.tolist()))
    finite = np.isfinite(v)
    out = np.full(n, t("value.missing", lang), dtype=object)
    for unit, code in index.items():
        rows = np.flatnonzero(finite & (codes == code))
        if not rows.size:
            continue
        percent = unit == PERCENT
        suffix = (
            "%"
            if percent
            else f"{formatting.unit_gap(unit)}{unit}"
            if language(lang) == "en"
            else unit_name(unit, lang)
        )
        out[rows] = _numbers_column(v[rows], d[rows], percent, lang, unit not in POINT_UNITS) + suffix
    return out.tolist()


def format_changes(values: object, units: object, lang: str, digits: object = 2) -> list[str]:
    """:func:`format_change` of each value with its unit (a str for all, or one per value), column-wise."""
    v = np.asarray(values, dtype=float)
    n = len(v)
    unit_of = _objects(_per_value(units, n))
    d = np.broadcast_to(np.asarray(digits, dtype=np.int64), v.shape)
    if n < COLUMN_FROM:
        return [format_change(x, u, lang, k) for x, u, k in zip(v.tolist(), unit_of.tolist(), d.tolist(), strict=True)]
    repeats = _repeats(v, _unit_codes(unit_of.tolist())[1], d)
    if repeats is not None:  # each distinct change written once
        first, inverse = repeats
        texts = format_changes(v[first], unit_of[first], lang, d[first])
        return list(map(texts.__getitem__, inverse.tolist()))
    out = np.full(n, t("value.missing", lang), dtype=object)
    finite = np.isfinite(v)
    sign = np.full(n, "-", dtype=object)
    sign[v >= 0] = "+"
    percent = finite & np.isin(unit_of, POINT_UNITS)
    rows = np.flatnonzero(percent)
    points = t("value.points", lang)
    out[rows] = sign[rows] + _objects([points.format(number=x) for x in significant_column(np.abs(v[rows]), d[rows])])
    rows = np.flatnonzero(finite & ~percent)
    out[rows] = sign[rows] + _objects(format_values(np.abs(v[rows]), unit_of[rows], lang, d[rows]))
    return out.tolist()


def comparator_symbol(comparator: object) -> str:
    """>= as ≥, <= as ≤; '' when there is none (reference levels)."""
    return COMPARATORS.get(comparator, "") if isinstance(comparator, str) else ""


# A goal of a change that says its direction ("<= -17 % change"), read as the documents write it: a fall
# of at least 17% (下降不少于17%). Other goals of a change keep their sign.
_CHANGE_GOALS = {("<=", -1): "fall<=", ("<", -1): "fall<", (">=", 1): "rise>=", (">", 1): "rise>"}


def _change_goal(comparator: object, value: object, unit: object, lang: str) -> str | None:
    if unit != "% change" or not isinstance(value, int | float) or not math.isfinite(value) or value == 0:
        return None
    name = _CHANGE_GOALS.get((comparator, 1 if value > 0 else -1))
    return t(f"goal_change.{name}", lang, value=format_value(abs(value), "%", lang)) if name else None


def format_goal(comparator: object, value: object, unit: str, lang: str) -> str:
    """A target as a reader of the language writes it: ≥ 75% and > 3.6 billion connections in English,
    不低于75% and 超过36亿户 in Chinese (the catalogue's [goal] table); a fall of at least 17% (下降不少于17%)."""
    change = _change_goal(comparator, value, unit, lang)
    if change is not None:
        return change
    text = format_value(value, unit, lang)
    key = f"goal.{comparator}"
    return t(key, lang, value=text) if isinstance(comparator, str) and has(key, lang) else text


def format_goals(
    comparators: Sequence[object], values: object, units: object, lang: str, changes_in_words: bool = True
) -> list[str]:
    """:func:`format_goal` of each target (a comparator and a unit per value), a column at a time.
    ``changes_in_words=False``: a goal of a change keeps its comparator and sign (≤ -13.5% change), for a sentence
    that names it "the ... target"."""
    templates = {}
    for comparator in dict.fromkeys(comparators):
        key = f"goal.{comparator}"
        templates[comparator] = t(key, lang) if isinstance(comparator, str) and has(key, lang) else "{value}"
    texts = format_values(values, units, lang)
    out = [templates[c].format(value=text) for c, text in zip(comparators, texts, strict=True)]
    unit_of = _objects(_per_value(units, len(out)))
    changes = np.flatnonzero(unit_of == "% change").tolist() if changes_in_words else []
    numbers = np.asarray(values, dtype=float) if changes else None
    for i in changes:  # the few goals of a change, one by one
        out[i] = _change_goal(comparators[i], float(numbers[i]), "% change", lang) or out[i]
    return out


def goal_due(goal: str, due: str, lang: str) -> str:
    """'≥ 75%, by end-2027'; the goal alone for a level that has no deadline (no dangling comma)."""
    return t("value.goal_due", lang, goal=goal, due=due) if due else goal


def format_deadline(deadline: date, lang: str) -> str:
    """end-2027 / 2027年底 for 31 December, else the date."""
    if (deadline.month, deadline.day) == (12, 31):
        return t("date.end_of_year", lang, year=deadline.year)
    return deadline.isoformat()
