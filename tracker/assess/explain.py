"""One sentence per target, in each language, on its status and working, from the assessed record.

The sentences are templates in the string catalogues (``[explain]`` in ``tracker/i18n/*.toml``), so a
translator edits them without reading Python; the numbers come from the assessed record and are written
to the significant digits they were published with.

They are built column by column (``explanations``): each template is looked up once, each piece of text
(a goal, a figure, a deadline) is written once per distinct value, and each row only fills in its
template. ``explanation`` gives the sentence of one target.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from tracker.assess.columns import as_date, column, row_count
from tracker.assess.columns import is_missing as _isnan
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
    """The figure shown beside a status: after the deadline, the one for the deadline; else the latest."""
    if isinstance(r.final_period, str):
        return f"{figure_text(r.final_value, r.final_qualifier, r.unit, r.final_digits, lang)} ({r.final_period})"
    if _isnan(r.latest_value):
        return ""
    return f"{figure_text(r.latest_value, r.latest_qualifier, r.unit, r.latest_digits, lang)} ({r.latest_period})"


def _goal_texts(comparators: list[Any], values: list[float], units: list[Any], lang: str) -> list[str]:
    """Each goal, a column at a time: English sentences write the comparator as the target files do (">= 75%");
    Chinese ones as tracker.i18n.numbers.format_goal does (不低于75%)."""
    if lang != "en":
        return format_goals(comparators, values, units, lang)
    return list(map("{} {}".format, comparators, format_values(values, units, lang)))


def explanation(r: Any, lang: str = "en") -> str:
    """The sentence of one assessed target (a row of ``assess``: a Series or a named tuple)."""
    row = r._asdict() if hasattr(r, "_asdict") else dict(r)
    one = {}
    for key, value in row.items():
        one[key] = np.empty(1, dtype=object)
        one[key][0] = value
    return explanations(one, lang)[0]


class _Columns:
    """The assessed columns (or frame) as plain Python lists (read on first use), and texts made once per
    distinct value."""

    FLOATS = ("target_value", "latest_value", "final_value", "pace_observed", "growth_observed",
              "projected_value", "pace_needed_from_now", "growth_needed_from_now")  # fmt: skip

    def __init__(self, assessed: Mapping[str, Any]) -> None:
        self._frame = assessed
        self._cache: dict[str, list[Any]] = {}

    def __getitem__(self, name: str) -> list[Any]:
        if name not in self._cache:
            self._cache[name] = column(self._frame, name, float if name in self.FLOATS else object).tolist()
        return self._cache[name]

    def take(self, name: str, rows: list[int]) -> list[Any]:
        return list(map(self[name].__getitem__, rows))

    def each(self, fn: Callable[..., str], rows: list[int], *names: str) -> list[str]:
        """fn of the named columns at ``rows``, called once per distinct tuple of values (many targets share a
        figure, a goal or a deadline); the tuples are looked up in a dict, a loop that runs in C."""
        keys = list(zip(*(self.take(name, rows) for name in names), strict=True))
        texts = dict.fromkeys(keys)
        for key in texts:
            texts[key] = fn(*key)
        return list(map(texts.__getitem__, keys))


def _branches(assessed: Mapping[str, Any]) -> np.ndarray:
    """Which sentence each target gets (the order of the tests is the order of the rules)."""
    status = column(assessed, "status", object)
    judged = column(assessed, "judged", bool)
    final = np.array([isinstance(p, str) for p in column(assessed, "final_period", object).tolist()], dtype=bool)
    waiting = np.array(["awaiting_final_data" in f for f in column(assessed, "flags", object).tolist()], dtype=bool)
    return np.select(
        [~judged & (column(assessed, "kind", object) == "reference"), ~judged, status == "no_data",
         (status == "achieved") & final, (status == "missed") & final, (status == "achieved") & waiting,
         status == "achieved", status == "insufficient_data", waiting],
        ["reference", "interpreted", "no_data", "final_met", "final_missed", "achieved_waiting", "achieved",
         "insufficient", "waiting"],
        default="pace",
    )  # fmt: skip


def explanations(assessed: Mapping[str, Any], lang: str = "en") -> list[str]:
    """The sentence on each target's status and working, and on figures left out for their coverage (from
    the columns of ``assess_columns`` or the DataFrame of ``assess``)."""
    n = row_count(assessed)
    if not n:
        return []
    c = _Columns(assessed)
    branch = _branches(assessed)
    out: list[str] = [""] * n
    for name in sorted(set(branch.tolist())):  # not np.unique: without its options it imports numpy.ma
        rows = np.flatnonzero(branch == name).tolist()
        texts = _BRANCHES[name](c, rows, lang)
        for i, text in zip(rows, texts, strict=True):
            out[i] = text
    count, status = c["other_coverage_figures"], c["status"]
    one, many = t("explain.other_coverage_one", lang), t("explain.other_coverage_many", lang)
    for i in range(n):
        if count[i] and status[i] in ("no_data", "insufficient_data"):
            out[i] += one if count[i] == 1 else many.format(count=count[i])
    return out


def _fill(template: str, n: int, **fields: Any) -> list[str]:
    """``template.format(**row)`` for each of n rows, a field being a column (a list) or one value for every row:
    the template is read once, and each row is its pieces joined (a loop in C, about five times as fast as a
    ``format`` call a row). Templates with format specs, and columns holding other than text, are formatted
    row by row, as ``format`` writes them."""
    pieces: list[list[Any]] = []
    simple = True
    for literal, name, spec, conversion in string.Formatter().parse(template):
        if literal:
            pieces.append([literal] * n)
        if name is not None:
            simple &= name.isidentifier() and not spec and not conversion
            value = fields.get(name, "")
            pieces.append(value if isinstance(value, list) else [value] * n)
    if simple:
        try:
            return list(map("".join, zip(*pieces, strict=True))) if pieces else [""] * n
        except TypeError:  # a None or a number in a column
            pass
    columns = {k: v if isinstance(v, list) else [v] * n for k, v in fields.items()}
    return [template.format(**dict(zip(columns, row, strict=True))) for row in zip(*columns.values(), strict=True)]


def _words(c: _Columns, rows: list[int], lang: str) -> tuple[list[str], list[str]]:
    """The goal and the deadline of each row, each distinct one written once."""
    goal = _goal_texts(c.take("comparator", rows), c.take("target_value", rows), c.take("unit", rows), lang)
    deadline = c.each(lambda d: _deadline_text(d, lang), rows, "deadline")
    return goal, deadline


def _figures(c: _Columns, rows: list[int], lang: str, which: str = "latest") -> list[str]:
    return figure_texts(*(c.take(name, rows) for name in (f"{which}_value", f"{which}_qualifier", "unit",
                                                          f"{which}_digits")), lang)  # fmt: skip


def _latest_clauses(c: _Columns, rows: list[int], lang: str) -> list[str]:
    figures, periods = _figures(c, rows, lang), c.take("latest_period", rows)
    latest_is, none = t("explain.latest_is", lang), t("explain.latest_none", lang)
    clauses = _fill(latest_is, len(rows), figure=figures, period=periods)
    return [none if v != v else clause for v, clause in zip(c.take("latest_value", rows), clauses, strict=True)]


def _reference(c: _Columns, rows: list[int], lang: str) -> list[str]:
    levels = format_values(c.take("target_value", rows), c.take("unit", rows), lang)
    template = t("explain.reference", lang)
    return _fill(template, len(rows), level=levels, latest=_latest_clauses(c, rows, lang))


def _interpreted(c: _Columns, rows: list[int], lang: str) -> list[str]:
    goal, deadline = _words(c, rows, lang)
    template = t("explain.interpreted", lang)
    return _fill(template, len(rows), wording=c.take("wording", rows), goal=goal, deadline=deadline,
                 latest=_latest_clauses(c, rows, lang))  # fmt: skip


def _no_data(c: _Columns, rows: list[int], lang: str) -> list[str]:
    goal, deadline = _words(c, rows, lang)
    name_of = lambda en, zh: _lower_first(en) if lang == "en" else zh if isinstance(zh, str) else en  # noqa: E731
    names = c.each(name_of, rows, "indicator_name", "indicator_name_zh")
    template = t("explain.no_data", lang)
    return _fill(template, len(rows), indicator=names, goal=goal, deadline=deadline)


def _with_figure(key: str, which: str, end: str | None = None) -> Callable[[_Columns, list[int], str], list[str]]:
    """Sentences that give one figure (the latest, or the one for the deadline), its period, the goal and deadline."""

    def build(c: _Columns, rows: list[int], lang: str) -> list[str]:
        goal, deadline = _words(c, rows, lang)
        template = t(key, lang) + (t(end, lang) if end else "")
        figures, periods = _figures(c, rows, lang, which), c.take(f"{which}_period", rows)
        return _fill(template, len(rows), figure=figures, period=periods, goal=goal, deadline=deadline)

    return build


def _waiting(c: _Columns, rows: list[int], lang: str) -> list[str]:
    goal, deadline = _words(c, rows, lang)
    paces = format_changes(c.take("pace_observed", rows), c.take("unit", rows), lang)
    return _fill(t("explain.waiting", lang), len(rows), figure=_figures(c, rows, lang),
                 period=c.take("latest_period", rows), pace=paces, base_period=c.take("base_period", rows), goal=goal,
                 deadline=deadline)  # fmt: skip


def _pace(c: _Columns, rows: list[int], lang: str) -> list[str]:
    """Open and judged on its trend: the pace since the base, where it leads, and what is needed from now. Each
    part that differs between rows is filled in every row both ways, and each row takes its own."""
    T = {k: t(f"explain.{k}", lang) for k in ("pace", "pace_text", "pace_growth", "reaches_meeting", "reaches_short",
                                              "latest_against", "needs", "needed", "needed_growth", "end")}  # fmt: skip
    n, observed = len(rows), c.take("growth_observed", rows)
    growth = [m == "cagr_ratio" and g == g for m, g in zip(c.take("method", rows), observed, strict=True)]
    paces = format_changes(c.take("pace_observed", rows), c.take("unit", rows), lang)
    with_growth = _fill(T["pace_growth"], n, pace=paces, growth=[f"{g:.1%}" for g in observed])
    pace_text = [a if gr else b for a, b, gr in zip(with_growth, _fill(T["pace_text"], n, pace=paces), growth,
                                                     strict=True)]  # fmt: skip
    opening = _fill(T["pace"], n, base_period=c.take("base_period", rows), pace_text=pace_text)
    where, needed = _pace_where(c, rows, lang, T), _pace_needed(c, rows, lang, T, growth)
    return list(map("".join, zip(opening, where, needed, strict=True)))


def _pace_where(c: _Columns, rows: list[int], lang: str, T: dict[str, str]) -> list[str]:
    """Where the trend leads by the deadline (the projection), or the latest figure where there is none."""
    n = len(rows)
    goal, deadline = _words(c, rows, lang)
    projected = c.take("projected_value", rows)
    measures = c.take("measure", rows)
    series = {m: t(f"explain.series.{m}", lang) for m in dict.fromkeys(measures)}
    reaches = dict(series=list(map(series.__getitem__, measures)), goal=goal, deadline=deadline,
                   projected=format_values(projected, c.take("unit", rows), lang))  # fmt: skip
    meeting, short = _fill(T["reaches_meeting"], n, **reaches), _fill(T["reaches_short"], n, **reaches)
    against = _fill(T["latest_against"], n, figure=_figures(c, rows, lang), period=c.take("latest_period", rows),
                    goal=goal, deadline=deadline)  # fmt: skip
    return [(m if meets else s) if p == p else a
            for p, meets, m, s, a in zip(projected, c.take("projection_meets", rows), meeting, short, against,
                                         strict=True)]  # fmt: skip


def _pace_needed(c: _Columns, rows: list[int], lang: str, T: dict[str, str], growth: list[bool]) -> list[str]:
    """The pace needed from now to the deadline (and the growth, for a growth target), and the full stop."""
    n, needed = len(rows), c.take("pace_needed_from_now", rows)
    paces, growth_needed = format_changes(needed, c.take("unit", rows), lang), c.take("growth_needed_from_now", rows)
    with_growth = _fill(T["needed_growth"], n, growth=[f"{g:.1%}" for g in growth_needed], pace=paces)
    texts = [a if gr and g == g else b for a, b, gr, g in zip(with_growth, _fill(T["needed"], n, pace=paces), growth,
                                                              growth_needed, strict=True)]  # fmt: skip
    end = T["end"]
    return [x + end if v == v else end for v, x in zip(needed, _fill(T["needs"], n, needed=texts), strict=True)]


_BRANCHES: dict[str, Callable[[_Columns, list[int], str], list[str]]] = {
    "reference": _reference,
    "interpreted": _interpreted,
    "no_data": _no_data,
    "final_met": _with_figure("explain.final_met", "final"),
    "final_missed": _with_figure("explain.final_missed", "final"),
    "achieved_waiting": _with_figure("explain.achieved", "latest", "explain.awaiting_end"),
    "achieved": _with_figure("explain.achieved", "latest", "explain.end"),
    "insufficient": _with_figure("explain.insufficient", "latest"),
    "waiting": _waiting,
    "pace": _pace,
}
