"""One sentence per target, in each language, on its status and working, from the assessed record.

The sentences are templates in the string catalogues (``[explain]`` in ``tracker/i18n/*.toml``), so a
translator edits them without reading Python; the numbers come from the assessed record and are written
to the significant digits they were published with.

They are built column by column (``explanations``): each target gets one of the shapes of sentence in
``_SHAPES`` (the templates it is made of, one inside another, and the texts their fields read), each text
(a goal, a figure, a deadline) is written for every target that reads it at once, and each target's
sentence is its shape's pieces joined (``tracker.assess.fill``). ``explanation`` gives the sentence of one
target.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from itertools import repeat
from typing import Any

import numpy as np

from tracker.assess.columns import as_date, column, object_column, row_count
from tracker.assess.columns import is_missing as _isnan
from tracker.assess.fill import Pieces, columns_of, flatten, render
from tracker.i18n import t
from tracker.i18n.numbers import format_changes, format_deadline, format_goals, format_value, format_values


def deadline_text(r: Any, lang: str = "en") -> str:
    return _deadline_text(r.deadline, lang)


@functools.lru_cache(maxsize=4096)
def _deadline_text(deadline: Any, lang: str) -> str:
    # Many targets share a deadline, so each is written once.
    return format_deadline(as_date(deadline), lang)


def _lower_first(name: str) -> str:
    """'Product pilots' -> 'product pilots'; names with other capitals ('China Famous Software Parks',
    'CNC rate', 'Mobile IoT connections') stay as they are, since they may be proper nouns."""
    words = name.split()
    plain_first = len(words) > 1 and words[0][:1].isupper() and words[0][1:].islower()
    if plain_first and not any(ch.isupper() for w in words[1:] for ch in w):
        return name[0].lower() + name[1:]
    return name


def _qualifier_word(qualifier: Any, lang: str) -> str:
    """'more than ' for '>', 'about ' for '~'; nothing for a plain figure."""
    return t(f"qualifier.{qualifier}", lang) if isinstance(qualifier, str) and qualifier != "=" else ""


def figure_text(value: float, qualifier: Any, unit: str, digits: int = 3, lang: str = "en") -> str:
    """A figure with its qualifier, to the significant digits it was published with."""
    return _qualifier_word(qualifier, lang) + format_value(value, unit, lang, max(int(digits), 1))


def figure_texts(
    values: list[float], qualifiers: list[Any], units: list[Any], digits: list[int], lang: str
) -> list[str]:
    """:func:`figure_text` of each figure, a column at a time."""
    words = {q: _qualifier_word(q, lang) for q in dict.fromkeys(qualifiers)}
    numbers = format_values(values, units, lang, np.maximum(np.asarray(digits, dtype=np.int64), 1))
    return list(map(str.__add__, map(words.__getitem__, qualifiers), numbers))


def deciding_figure(r: Any, lang: str = "en") -> str:
    """The figure shown beside a status: after the deadline, the one for the deadline; else the latest. Its period in
    brackets of the page's language (full-width in Chinese, beside a unit such as %（变化）)."""
    if isinstance(r.final_period, str):
        figure = figure_text(r.final_value, r.final_qualifier, r.unit, r.final_digits, lang)
        return t("value.figure_period", lang, figure=figure, period=r.final_period)
    if _isnan(r.latest_value):
        return ""
    figure = figure_text(r.latest_value, r.latest_qualifier, r.unit, r.latest_digits, lang)
    return t("value.figure_period", lang, figure=figure, period=r.latest_period)


def _goal_texts(comparators: list[Any], values: list[float], units: list[Any], lang: str) -> list[str]:
    """Each goal, a column at a time, as tracker.i18n.numbers.format_goal writes it: ≥ 75% in English (a goal of a
    change with its sign, ≤ -13.5% change: the sentences say "the ... target"), 不低于75% in Chinese."""
    return format_goals(comparators, values, units, lang, changes_in_words=lang != "en")


def explanation(r: Any, lang: str = "en") -> str:
    """The sentence of one assessed target (a row of ``assess``: a Series or a named tuple)."""
    row = r._asdict() if hasattr(r, "_asdict") else dict(r)
    one = {}
    for key, value in row.items():
        one[key] = np.empty(1, dtype=object)
        one[key][0] = value
    return explanations(one, lang)[0]


class _Columns:
    """The assessed columns (or frame) as numpy arrays (read on first use), taken at the rows that need them."""

    FLOATS = ("target_value", "latest_value", "final_value", "pace_observed", "growth_observed",
              "projected_value", "pace_needed_from_now", "growth_needed_from_now", "base_value", "base_t",
              "latest_t")  # fmt: skip

    def __init__(self, assessed: Mapping[str, Any]) -> None:
        self._frame = assessed
        self._cache: dict[str, np.ndarray] = {}

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self._cache:
            self._cache[name] = column(self._frame, name, float if name in self.FLOATS else object)
        return self._cache[name]

    def take(self, name: str, rows: np.ndarray) -> list[Any]:
        return self[name][rows].tolist()

    def each(self, fn: Callable[..., str], rows: np.ndarray, *names: str) -> list[str]:
        """fn of the named columns at ``rows``, called once per distinct tuple of values (many targets share a
        figure, a goal or a deadline); the tuples are looked up in a dict, a loop that runs in C."""
        keys = list(zip(*(self.take(name, rows) for name in names), strict=True))
        texts = dict.fromkeys(keys)
        for key in texts:
            texts[key] = fn(*key)
        return list(map(texts.__getitem__, keys))


# The texts a sentence's fields are bound to, each written for every row whose sentence reads it at once.
_FIELDS: dict[str, Callable[[_Columns, np.ndarray, str], Sequence[Any]]] = {
    "goal": lambda c, rows, lang: _goal_texts(
        c.take("comparator", rows), c.take("target_value", rows), c.take("unit", rows), lang
    ),  # fmt: skip
    "deadline": lambda c, rows, lang: c.each(lambda d: _deadline_text(d, lang), rows, "deadline"),
    "latest_figure": lambda c, rows, lang: _figures(c, rows, lang, "latest"),
    "final_figure": lambda c, rows, lang: _figures(c, rows, lang, "final"),
    "latest_period": lambda c, rows, lang: c.take("latest_period", rows),
    "final_period": lambda c, rows, lang: c.take("final_period", rows),
    "base_period": lambda c, rows, lang: c.take("base_period", rows),
    "wording": lambda c, rows, lang: c.take("wording", rows),
    "indicator": lambda c, rows, lang: c.each(
        functools.partial(_indicator_name, lang=lang), rows, "indicator_name", "indicator_name_zh"
    ),  # fmt: skip
    "level": lambda c, rows, lang: format_values(c.take("target_value", rows), c.take("unit", rows), lang),
    "pace": lambda c, rows, lang: format_changes(c.take("pace_observed", rows), c.take("unit", rows), lang),
    "growth": lambda c, rows, lang: [f"{g:.1%}" for g in c.take("growth_observed", rows)],
    "series": lambda c, rows, lang: c.each(lambda m: t(f"explain.series.{m}", lang), rows, "measure"),
    "projected": lambda c, rows, lang: format_values(c.take("projected_value", rows), c.take("unit", rows), lang),
    "needed_pace": lambda c, rows, lang: format_changes(
        c.take("pace_needed_from_now", rows), c.take("unit", rows), lang
    ),  # fmt: skip
    "needed_growth": lambda c, rows, lang: [f"{g:.1%}" for g in c.take("growth_needed_from_now", rows)],
}


def _indicator_name(en: Any, zh: Any, lang: str) -> str:
    return _lower_first(en) if lang == "en" else zh if isinstance(zh, str) else en


def _figures(c: _Columns, rows: np.ndarray, lang: str, which: str) -> list[str]:
    return figure_texts(*(c.take(name, rows) for name in (f"{which}_value", f"{which}_qualifier", "unit",
                                                          f"{which}_digits")), lang)  # fmt: skip


def _shapes() -> list[tuple[str, list[tuple[str, Any]]]]:
    """Every shape of sentence, as parts (a template key and its bindings; None: the text as it is), in the
    order of the codes ``_shape_codes`` gives. The pace sentence has 18 shapes: the pace with or without growth,
    where the trend leads (meeting, short, or the latest figure where there is no projection), and the pace
    needed from now (with growth, without, or none)."""
    latest = {"figure": "latest_figure", "period": "latest_period"}
    final = {"figure": "final_figure", "period": "final_period"}
    goal = {"goal": "goal", "deadline": "deadline"}
    latest_clause = {True: ("explain.latest_is", latest), False: ("explain.latest_none", None)}
    shapes = [
        *((f"reference {has}", [("explain.reference", {"level": "level", "latest": latest_clause[has]})])
          for has in (True, False)),
        *((f"interpreted {has}", [("explain.interpreted", {"wording": "wording", **goal,
                                                            "latest": latest_clause[has]})]) for has in (True, False)),
        ("no_data", [("explain.no_data", {"indicator": "indicator", **goal})]),
        ("final_met", [("explain.final_met", {**final, **goal})]),
        ("final_missed", [("explain.final_missed", {**final, **goal})]),
        ("achieved_waiting", [("explain.achieved", {**latest, **goal}), ("explain.awaiting_end", {})]),
        ("achieved", [("explain.achieved", {**latest, **goal}), ("explain.end", {})]),
        ("insufficient", [("explain.insufficient", {**latest, **goal})]),
        ("waiting", [("explain.waiting", {**latest, **goal, "pace": "pace", "base_period": "base_period"})]),
        ("waiting_few", [("explain.waiting_few", {**latest, **goal})]),
        ("flat", [("explain.flat", {**latest, **goal, "base_period": "base_period"})]),
        ("waiting_flat", [("explain.waiting_flat", {**latest, **goal, "base_period": "base_period"})]),
    ]  # fmt: skip
    reaches = {"series": "series", "projected": "projected", **goal}
    where = [("explain.reaches_meeting", reaches), ("explain.reaches_short", reaches),
             ("explain.latest_against", {**latest, **goal})]  # fmt: skip
    needed = {"growth": "needed_growth", "pace": "needed_pace"}
    needs = [[("explain.needs", {"needed": ("explain.needed_growth", needed)}), ("explain.end", None)],
             [("explain.needs", {"needed": ("explain.needed", {"pace": "needed_pace"})}), ("explain.end", None)],
             [("explain.end", None)]]  # fmt: skip
    pace_texts = ("explain.pace_growth", {"pace": "pace", "growth": "growth"}), ("explain.pace_text", {"pace": "pace"})
    for pace_text in pace_texts:
        opening = ("explain.pace", {"base_period": "base_period", "pace_text": pace_text})
        shapes += [(f"pace {pace_text[0]} {w[0]} {k}", [opening, w, *n]) for w in where for k, n in enumerate(needs)]
    return shapes


_SHAPES = _shapes()
_PACE = next(i for i, (name, _) in enumerate(_SHAPES) if name.startswith("pace"))


@functools.cache
def _pieces(code: int, lang: str) -> Pieces:
    """The pieces of one shape of sentence in one language (the catalogue read once per process)."""

    def texts(part: tuple[str, Any]) -> tuple[str, Any]:
        key, bindings = part
        bound = None if bindings is None else {k: texts(v) if isinstance(v, tuple) else v for k, v in bindings.items()}
        return t(key, lang), bound

    return flatten([texts(part) for part in _SHAPES[code][1]])


def _shape_codes(c: _Columns) -> np.ndarray:
    """Which shape of sentence each target gets (the order of the tests is the order of the rules)."""
    status, kind = c["status"], c["kind"]
    judged = column(c._frame, "judged", bool)
    # Past its deadline with one usable figure, a target awaits the deadline's figure with no trend: its sentence says
    # both (not a pace of "n/a a year", nor "so far" of a deadline that has passed). Several figures with no pace to
    # judge are a series that has not moved from its base towards a goal that asks for a move (a "more than" the base
    # level itself: R is 0/0): said so, not "one usable figure" beside a table of several.
    too_few = _too_few(c)
    flat = too_few & (c["latest_t"] > c["base_t"]) & np.isclose(c["latest_value"], c["base_value"])
    final = np.fromiter(map(isinstance, c["final_period"].tolist(), repeat(str)), dtype=bool, count=len(status))
    waiting = np.fromiter(("awaiting_final_data" in f for f in c["flags"].tolist()), dtype=bool, count=len(status))
    has_latest = ~np.isnan(c["latest_value"])
    growth = (c["method"] == "cagr_ratio") & ~np.isnan(c["growth_observed"])
    meets = np.fromiter(map(bool, c["projection_meets"].tolist()), dtype=bool, count=len(status))
    where = np.where(np.isnan(c["projected_value"]), 2, np.where(meets, 0, 1))
    needed_growth = growth & ~np.isnan(c["growth_needed_from_now"])
    needs = np.where(np.isnan(c["pace_needed_from_now"]), 2, np.where(needed_growth, 0, 1))
    pace = _PACE + 9 * (~growth) + 3 * where + needs
    return np.select(
        [~judged & (kind == "reference"), ~judged, status == "no_data", (status == "achieved") & final,
         (status == "missed") & final, (status == "achieved") & waiting, status == "achieved",
         flat & waiting, flat, too_few & waiting, too_few, waiting],
        [np.where(has_latest, 0, 1), np.where(has_latest, 2, 3), 4, 5, 6, 7, 8, 13, 12, 11, 9, 10],
        default=pace,
    )  # fmt: skip


def _too_few(c: _Columns) -> np.ndarray:
    """Targets with too few figures for a trend: status insufficient_data, or awaiting the deadline's figure with
    that trend (a frame without ``trend_status``, from before it, has none)."""
    trend = c["trend_status"] if "trend_status" in c._frame else np.full(len(c["status"]), None, dtype=object)
    return (c["status"] == "insufficient_data") | (trend == "insufficient_data")


def explanations(assessed: Mapping[str, Any], lang: str = "en") -> list[str]:
    """The sentence on each target's status and working, and on figures left out for their coverage (from
    the columns of ``assess_columns`` or the DataFrame of ``assess``): the targets grouped by the shape of their
    sentence, each field's texts written once for every row that reads it, and each group's sentences joined
    from its pieces."""
    n = row_count(assessed)
    if not n:
        return []
    c = _Columns(assessed)
    code = _shape_codes(c)
    groups = [(k, np.flatnonzero(code == k)) for k in np.flatnonzero(np.bincount(code)).tolist()]
    readers: dict[str, list[np.ndarray]] = {}
    for k, rows in groups:
        for name in columns_of(_pieces(k, lang)):
            readers.setdefault(name, []).append(rows)
    fields = {}
    for name, parts in readers.items():
        rows = np.sort(np.concatenate(parts)) if len(parts) > 1 else parts[0]
        fields[name] = np.empty(n, dtype=object)
        fields[name][rows] = object_column(list(_FIELDS[name](c, rows, lang)))
    out = np.empty(n, dtype=object)
    for k, rows in groups:
        out[rows] = object_column(render(_pieces(k, lang), len(rows), lambda name: fields[name][rows].tolist()))  # noqa: B023
    _other_coverages(c, out, lang)
    return out.tolist()


def _other_coverages(c: _Columns, out: np.ndarray, lang: str) -> None:
    """The sentence on figures of other coverages left out, after that of a target with no usable trend."""
    count, status = c["other_coverage_figures"], c["status"]
    told = (status == "no_data") | _too_few(c)
    one, many = t("explain.other_coverage_one", lang), t("explain.other_coverage_many", lang)
    for i in np.flatnonzero(told & (np.asarray(count, dtype=float) != 0)).tolist():
        out[i] += one if count[i] == 1 else many.format(count=count[i])
