"""The figures a chart draws (tracker.charts): a line and a set of markers per coverage, each in its colour, and
each figure's marker and hover text: value, as published, source, publisher, published date, coverage, and
whether the status used it. Text from files is escaped (Plotly reads hover text as HTML)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from tracker.assess.columns import is_missing
from tracker.escape import plotly_text as safe
from tracker.escape import plotly_texts as safe_column
from tracker.formatting import as_published
from tracker.i18n import t
from tracker.i18n.numbers import figure_digits, format_values

COVERAGE_COLORS = ("#0969da", "#8250df", "#bf3989", "#1b7c83", "#9a6700", "#57606a")
_QUALIFIERS = (">", ">=", "<", "<=", "~")


def _missing(value: object) -> bool:
    """None, NaN, NaT or NA (pd.isna of one value, without its dispatch on the value's type): the assessment's
    test of a missing value, and pandas' two markers, which a chart's columns hold too."""
    return is_missing(value) or value is pd.NA or value is pd.NaT


def _each(values: Sequence, text) -> list[str]:
    """``text(value)`` for every value, worked out once per distinct value (sources, publishers, dates repeat).
    A missing value (None, NaN, NaT, NA) is passed on as None."""
    texts: dict = {}
    out = []
    for value in values:
        key = value if type(value) is str else None if _missing(value) else value
        if key not in texts:
            texts[key] = text(key)
        out.append(texts[key])
    return out


def figure_hovers(group: Mapping[str, Sequence], unit: str, lang: str, coverage: str, notes: list[str]) -> list[str]:
    """Each figure's hover text: the value, as published, source, publisher, published date, coverage, and
    whether the status used it. ``group`` holds the figures' columns as lists (tracker.charts._TRACE_COLUMNS,
    and ``digits`` as tracker.i18n.numbers.figure_digits gives them). Built column by column: a long series
    has thousands of figures."""
    qualifiers = {q: t(f"qualifier.{q}", lang) for q in _QUALIFIERS}
    words = [qualifiers.get(q, "") for q in group["qualifier"]]
    # Each sentence is looked up once per chart and filled in per distinct value (t would look it up each time).
    says = {key: t(f"chart.{key}", lang) for key in ("source", "publisher", "published")}
    sources = _each(group["source_title"], lambda v: safe(says["source"].format(text=v or "")))
    publishers = _each(group["publisher"], lambda v: safe(says["publisher"].format(text=v or "")))
    dates = _each(group["published"], lambda v: "" if v is None else "<br>" + safe(
        says["published"].format(date=pd.Timestamp(v).date().isoformat())))  # fmt: skip
    cov = "<br>" + safe(t("chart.coverage_line", lang, text=coverage)) if coverage else ""
    # The sentence around "as published" is escaped once; escaping is character by character, so the pieces
    # escaped apart read the same as the whole sentence escaped.
    before, _, after = (safe(piece) for piece in t("chart.as_published", lang, text="\x00").partition("\x00"))
    notes = _each(notes, lambda v: safe(v or ""))
    # The texts of each figure's own are escaped a column at a time.
    values = [f"{w}{value}" for w, value in zip(words, format_values(group["value"], unit, lang, group["digits"]),
                                                strict=True)]  # fmt: skip
    published = [w + as_published(pv, pu) for w, pv, pu in zip(words, group["published_value"],
                                                                group["published_unit"], strict=True)]  # fmt: skip
    columns = (safe_column(group["period"]), safe_column(values), safe_column(published), sources, publishers, dates,
               notes)  # fmt: skip
    return [
        f"<b>{period}</b>: {value}<br>{before}{as_published}{after}<br>{source}<br>{publisher}{day}{cov}<br>"
        f"<i>{note}</i>"
        for period, value, as_published, source, publisher, day, note in zip(*columns, strict=True)
    ]


def _filled(series: pd.DataFrame, column: str, fallback: list[str]) -> list[str]:
    """The column's values as text (pandas' fillna, then astype(str)), a missing one replaced by the fallback's value
    in its row."""
    values, absent = series[column].tolist(), series[column].isna().tolist()
    return [f if a else v if type(v) is str else str(v) for v, a, f in zip(values, absent, fallback, strict=True)]


def coverages(series: pd.DataFrame, lang: str) -> tuple[list[str], list[str]]:
    """Each figure's coverage id and its name in ``lang`` (one id, '' when the file names none), as lists: a chart
    reads them figure by figure."""
    nothing = [""] * len(series)
    if "coverage" not in series.columns:  # the data layout before coverages were ids: a free-text scope note
        ids = _filled(series, "scope", nothing) if "scope" in series.columns else nothing
        return ids, ids
    ids = _filled(series, "coverage", nothing)
    names = _filled(series, "coverage_name", ids) if "coverage_name" in series.columns else ids
    if lang == "zh" and "coverage_name_zh" in series.columns:
        names = _filled(series, "coverage_name_zh", names)
    return ids, names


def publishers(series: pd.DataFrame, lang: str) -> list[str]:
    """Each figure's publisher as a reader of ``lang`` reads it: in Chinese the file's ``publisher_zh`` where it
    gives one, else the publisher as written ('' where there is none)."""
    names = _filled(series, "publisher", [""] * len(series)) if "publisher" in series.columns else [""] * len(series)
    if lang == "zh" and "publisher_zh" in series.columns:
        names = _filled(series, "publisher_zh", names)
    return names


_SHAPES = {">": "triangle-up", ">=": "triangle-up", "<": "triangle-down", "<=": "triangle-down", "~": "diamond"}


def _symbol(qualifier: str, used: bool) -> str:
    return _SHAPES.get(qualifier, "circle") + ("" if used else "-open")


_SHAPE_KEYS = {"triangle-up": "chart.shape_above", "triangle-down": "chart.shape_below", "diamond": "chart.shape_about"}
_TRACE_COLUMNS = ("period", "value", "qualifier", "published_value", "published_unit", "source_title", "publisher",
                  "published")  # fmt: skip
"""What a figure's marker and hover text (tracker.hover) read of its row, besides its digits."""


def figure_traces(fig, series, unit, scale, lang, used, why_unused, legend_key="chart.not_used", coverage_lists=None):
    """One line and one set of markers per coverage; hollow markers for figures the status did not use.
    ``coverage_lists``: what :func:`coverages` gives for the series, when the caller has it already."""
    ids, names = coverages(series, lang) if coverage_lists is None else coverage_lists
    # The columns a trace reads, as Python lists taken once per chart: a coverage's figures are then picked by
    # position from lists (pandas' take and per-element access to Arrow-backed text cost more than the texts).
    columns = {c: series[c].tolist() for c in _TRACE_COLUMNS if c in series}
    if "publisher" in columns:
        columns["publisher"] = publishers(series, lang)
    columns["digits"] = figure_digits(series)
    ends, values = pd.to_datetime(series["period_end"]).to_numpy(), series["value"].to_numpy(dtype=float)
    why_unused = list(why_unused)
    positions: dict[str, list[int]] = {}  # each coverage's figures, coverages in the order they first come
    for i, cov in enumerate(ids):
        positions.setdefault(cov, []).append(i)
    several = len(positions) > 1
    for i, (cov, where) in enumerate(positions.items()):
        label = names[where[0]] or t("chart.as_defined" if several else "chart.observed", lang)
        # By period end, then value: a stable sort, as pandas' sort_values on the two columns.
        where = np.asarray(where)[np.lexsort((values[where], ends[where]))]
        rows = where.tolist()
        group = {c: [column[k] for k in rows] for c, column in columns.items()}
        group_used = used[where].tolist()
        color = COVERAGE_COLORS[i % len(COVERAGE_COLORS)]
        notes = [t("chart.used", lang) if u else why_unused[k] for u, k in zip(group_used, rows, strict=True)]
        fig.add_trace(
            dict(
                type="scatter",
                x=ends[where],
                y=values[where] / scale.divisor,
                mode="lines+markers",
                name=safe(str(label)[:70]),
                line=dict(color=color, width=1.5),
                marker=dict(size=10, color=color, line=dict(color=color, width=2),
                            symbol=[_symbol(q, u) for q, u in zip(group["qualifier"], group_used, strict=True)]),
                hovertext=figure_hovers(group, unit, lang, label if cov else "", notes),
                hoverinfo="text",
                meta={"role": "figures", "coverage": cov},
            )
        )  # fmt: skip
    # The legend names every shape drawn: hollow (not used), and the qualifiers' triangles and diamond.
    shapes = {_symbol(q, True) for q in set(columns["qualifier"])} if "qualifier" in columns else set()
    keys = [("circle-open", legend_key)] if not used.all() else []
    for shape, key in keys + [(s, k) for s, k in _SHAPE_KEYS.items() if s in shapes]:
        fig.add_trace(dict(type="scatter", x=[None], y=[None], mode="markers", name=t(key, lang),
                           marker=dict(size=10, symbol=shape, color="#57606a"), meta={"role": "legend"}))  # fmt: skip
