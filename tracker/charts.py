"""Plotly figures as pure functions of assessed data (no Streamlit here).

Each chart is built as a :class:`tracker.figure_spec.FigureSpec` (``*_chart_spec``): the static site
writes that into its pages as it is, and ``target_chart``/``series_chart`` hand it to ``go.Figure``
for the app, so both draw the same chart.

Rules every chart keeps, and the tests in tests/unit/test_charts*.py read back:

* One scale per chart, chosen from everything drawn on it (figures, target, base,
  path, projection, band, reference levels) and named on the y axis, so that a
  point at 2.89 on a "billion connections" axis is 2.89 billion connections.
* A figure sits at the last day of its period, the moment the assessment uses
  (tracker.periods): the annual figure for 2021 on 31 December 2021, a monthly
  figure on the month's last day. The x axis puts a tick, labelled "end-2021",
  on each 31 December and says so in its title; a deadline of end-2027 therefore
  sits on the tick "end-2027", with the annual figure for 2027.
* Figures of different coverages are never joined by one line; each coverage has
  its colour, and the figures the status did not use are drawn hollow.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, timedelta
from types import SimpleNamespace

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from tracker.assess.scoring import base_meets_target
from tracker.escape import plotly_text
from tracker.figure_spec import FigureSpec
from tracker.formatting import wrap_columns
from tracker.hover import coverages, figure_traces
from tracker.i18n import t
from tracker.i18n.numbers import (
    Scale,
    axis_title,
    choose_scale,
    format_deadline,
    format_goal,
    format_value,
)
from tracker.status import STATUS_COLORS

FADED = "rgba(49, 51, 63, 0.6)"
PAGE_THEME = {
    "layout": {
        "font": {"color": FADED},
        "xaxis": {"automargin": True, "tickfont": {"size": 12}, "title": {"font": {"size": 14}, "standoff": 16}},
        "yaxis": {"automargin": True, "tickfont": {"size": 12}, "title": {"font": {"size": 14}, "standoff": 16}},
        "legend": {"font": {"size": 12, "color": "#31333f"}},
        "hoverlabel": {"bgcolor": "white", "bordercolor": "#d0d7de", "font": {"size": 12, "color": "#31333f"}},
        "paper_bgcolor": "white",
    }
}
"""What st.plotly_chart's Streamlit theme gives a figure in the app (light base): faded grey axis text, 12 px ticks,
14 px axis titles, axes that make room for their labels. A template: whatever the figure sets itself wins. The app's
charts drawn from Plotly's bundle (views/plot.py) and the static site's take it too, so that a chart reads the same
on both (the site's 13 px ticks, in a page without the app's web font, ran into each other on a phone)."""

FONT = dict(family="Source Sans, Source Sans Pro, Noto Sans CJK SC, Arial, sans-serif", size=13)
"""Source Sans first: the web font Streamlit loads for its own text (so a chart in the app is set like the page); the
rest where it is not loaded (the static site, an exported image)."""
_EPS_YEARS = 1e-6


safe = plotly_text
"""Text from files shown inside a chart (Plotly reads hover text and names as HTML): escaped."""


def _finite(value: object) -> bool:
    return isinstance(value, (int, float, np.number)) and math.isfinite(float(value))


def _get(row: object, name: str, default: object = None) -> object:
    """A field of an assessed record; missing, NaN and NaT read as ``default``."""
    value = getattr(row, name, default)
    if value is None or (np.isscalar(value) and pd.isna(value)) or value is pd.NaT:
        return default
    return value


def record_fields(row: object) -> object:
    """An assessed record as an object whose fields read as attributes. A row of a DataFrame (a Series) becomes a
    namespace of its values: a chart reads about 30 fields, and each read of a Series by name went through
    pandas' indexing. The values are the row's own objects (not converted), so every chart reads the same."""
    if not isinstance(row, pd.Series):
        return row
    return SimpleNamespace(**dict(zip(row.index.tolist(), row.to_numpy(dtype=object).tolist(), strict=True)))


MAX_YEAR_LABELS = 4
"""Year labels on a time axis: 4 of "end-2027" or "2027年底" (about 50 px each at 12 px) fit side by side across a
phone's plot, which is 220-270 px once the value axis has its labels; 5 ran into each other there (the champions
chart in Chinese at 390 px, in the app and on the site)."""
NOTE_COLUMNS = 28
"""The widest line, in Latin-character widths, of a note drawn in a chart's plot: at 15 px, about 240 px, inside a
phone's plot."""


def t_to_date(t_years: float) -> date:
    """The inverse of tracker.periods.date_to_t: the day at whose end a point of the time axis lies."""
    year = int(math.floor(t_years - 1e-9))
    days = 366 if (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 else 365
    return date(year, 1, 1) + timedelta(days=round((t_years - year) * days) - 1)


def year_ticks(
    first: date, last: date, anchor: int | None = None, lang: str = "en"
) -> tuple[list[pd.Timestamp], list[str]]:
    """Ticks on 31 December of the years from ``first`` to ``last``; on long spans every 2nd or 5th year,
    counted back from ``anchor`` (the deadline's year), so that the deadline always has its tick."""
    years = list(range(first.year - 1, last.year + 1))
    anchor = anchor if anchor is not None else years[-1]
    # A figure does not know the screen it is drawn on: at most MAX_YEAR_LABELS labels fit side by side on
    # a phone as on a laptop; year_axis draws the years between as grid lines.
    for step in (1, 2, 5, 10, 20, 50, 100):
        chosen = [y for y in years if (anchor - y) % step == 0]
        if sum(first <= date(y, 12, 31) <= last for y in chosen) <= MAX_YEAR_LABELS:
            break
    return [pd.Timestamp(date(y, 12, 31)) for y in chosen], [t("date.end_of_year", lang, year=y) for y in chosen]


def year_axis(fig: go.Figure | FigureSpec, xs: Iterable[pd.Timestamp], lang: str, anchor: int | None = None) -> None:
    stamps = [pd.Timestamp(x) for x in xs if x is not None and not pd.isna(x)]
    if not stamps:
        return
    lo, hi = min(stamps), max(stamps)
    start = min(lo - pd.Timedelta(days=200), pd.Timestamp(date(lo.year - 1, 12, 31)) - pd.Timedelta(days=40))
    # Room after the last mark for the target's 17 px star on a phone's plot (about 300 px): 6% of the span.
    pad = max(pd.Timedelta(days=160), (hi - start) * 0.06)
    end = max(hi + pad, pd.Timestamp(date(hi.year, 12, 31)) + pd.Timedelta(days=60))
    values, labels = year_ticks(start.date(), end.date(), anchor, lang)
    every_year = [pd.Timestamp(date(y, 12, 31)) for y in range(start.year, end.year + 1)]
    fig.update_xaxes(
        type="date", range=[start, end], tickvals=values, ticktext=labels, title=dict(text=t("chart.year_axis", lang)),
        tickangle=0, automargin=True,
        minor=dict(tickmode="array", tickvals=every_year, showgrid=True, gridcolor="#f3f4f6", ticks=""),
    )  # fmt: skip


def base_layout(fig: go.Figure | FigureSpec, y_title: str, height: int = 420) -> go.Figure:
    fig.update_layout(
        font=FONT,
        height=height,
        margin=dict(l=10, r=36, t=20, b=10),
        plot_bgcolor="white",
        legend=dict(orientation="h", yanchor="top", y=-0.18, xanchor="left", x=0),
        hoverlabel=dict(align="left"),
    )
    fig.update_xaxes(showgrid=True, gridcolor="#eaeef2", zeroline=False)
    # Tick labels in full with thousands separators: Plotly's own "k" and "M" would put a scale word back on an axis
    # whose values were left unscaled (a percentage change of 2,500,000%, tracker.i18n.numbers.choose_scale).
    fig.update_yaxes(title=dict(text=y_title), showgrid=True, gridcolor="#eaeef2", zeroline=False, rangemode="tozero",
                     exponentformat="none", separatethousands=True)  # fmt: skip
    return fig


def _among(ids: list[str], chosen: list[str]) -> np.ndarray:
    """Which of the figures' coverage ids are among those ``chosen``."""
    chosen = set(chosen)
    return np.fromiter((i in chosen for i in ids), dtype=bool, count=len(ids))


def status_coverages(row: object) -> list[str] | None:
    """The coverages a status read: as the assessment lists them, else the target's own and its declared proxy."""
    chosen = _get(row, "coverages_used")
    if chosen is not None and not isinstance(chosen, str):
        return [str(c) for c in chosen]
    own = [_get(row, "coverage"), _get(row, "proxy_coverage")]
    own = [str(c) for c in own if isinstance(c, str) and c]
    return own or None


def used_by_status(row: object, series: pd.DataFrame, coverage_ids: list[str]) -> np.ndarray:
    """Which figures the status rests on: of the coverages it read, from the base to the latest figure."""
    used = np.ones(len(series), dtype=bool)
    chosen = status_coverages(row)
    if chosen is not None:
        used &= _among(coverage_ids, chosen)
    base_t, latest_t = _get(row, "base_t"), _get(row, "latest_t")
    if _get(row, "status") == "not_assessed":  # no status: only the coverage sets figures apart
        return used
    if _finite(base_t) and _finite(latest_t) and "t" in series.columns:
        tt = series["t"].to_numpy(dtype=float)
        used &= (tt >= float(base_t) - _EPS_YEARS) & (tt <= float(latest_t) + _EPS_YEARS)
    elif _get(row, "status") in ("no_data", None) or not _finite(latest_t):
        used[:] = False
    return used


def series_chart(series: pd.DataFrame, unit: str, lang: str = "en") -> go.Figure:
    """An indicator's figures over time with their citations on hover, one colour per coverage."""
    return series_chart_spec(series, unit, lang).figure()


def series_chart_spec(series: pd.DataFrame, unit: str, lang: str = "en") -> FigureSpec:
    """:func:`series_chart` as plain data (what the static site writes)."""
    fig = FigureSpec()
    scale = choose_scale(series["value"], unit, lang)
    if not series.empty:
        used = np.ones(len(series), dtype=bool)
        figure_traces(fig, series, unit, scale, lang, used, [""] * len(series))
    base_layout(fig, axis_title(scale, unit, lang))
    year_axis(fig, pd.to_datetime(series["period_end"]), lang)
    _legend_below(fig)
    return fig


def _legend_below(fig: FigureSpec) -> None:
    """The legend at the foot of the figure, the plot above it. The figure does not know the width it is drawn
    at: Plotly reserves the rows the legend takes there (one or two on a laptop, about one per entry on a
    phone), so the plot gives way to it instead of a gap being left on wide screens. The height allows for
    the phone."""
    entries = sum(1 for tr in fig.data if tr.get("showlegend") is not False and tr.get("name"))
    # Plotly hides a legend of one entry; the target's star alone still needs its label.
    fig.update_layout(legend=dict(orientation="h", yref="container", y=0, yanchor="bottom", xanchor="left", x=0),
                      showlegend=entries > 0, height=340 + 22 * entries, margin=dict(b=20))  # fmt: skip


def drawn_values(row: object, series: pd.DataFrame, references: pd.DataFrame | None = None) -> np.ndarray:
    """Every number a target chart draws, in the indicator's unit: the scale is chosen from all of them."""
    names = ("target_value", "base_value", "latest_value", "projected_value", "projected_low", "projected_high")
    values = [float(_get(row, n)) for n in names if _finite(_get(row, n))]
    columns = [np.asarray(values, dtype=float), series["value"].to_numpy(dtype=float, na_value=np.nan)]
    if references is not None and not references.empty:
        columns.append(references["target_value"].to_numpy(dtype=float, na_value=np.nan))
    drawn = np.concatenate(columns)
    return drawn[np.isfinite(drawn)]


def target_chart(
    row: object, series: pd.DataFrame, as_of: date, lang: str = "en", references: pd.DataFrame | None = None
) -> go.Figure:
    """Figures, the target at its deadline, the required path, the projection and its band, today."""
    return target_chart_spec(row, series, as_of, lang, references).figure()


def target_chart_spec(
    row: object, series: pd.DataFrame, as_of: date, lang: str = "en", references: pd.DataFrame | None = None
) -> FigureSpec:
    """:func:`target_chart` as plain data (what the static site writes)."""
    row = record_fields(row)
    unit = row.unit
    scale = choose_scale(drawn_values(row, series, references), unit, lang)
    fig = FigureSpec()
    xs: list[pd.Timestamp] = [pd.Timestamp(as_of)]
    if not series.empty:
        ids, names = coverages(series, lang)
        used = used_by_status(row, series, ids)
        judged = _get(row, "status") != "not_assessed"
        figure_traces(fig, series, unit, scale, lang, used, _why_unused(row, series, ids, used, lang),
                       "chart.not_used" if judged else "chart.other_coverage", (ids, names))  # fmt: skip
        ends = pd.to_datetime(series["period_end"])
        xs += [ends.min(), ends.max()]  # the axis spans the figures' first and last period ends
    deadline = pd.Timestamp(row.deadline) if _get(row, "deadline") is not None else None
    if deadline is not None:
        xs.append(deadline)
        if _get(row, "status") != "not_assessed":  # a path and a projection judge; readings are not judged
            _path_and_projection(fig, row, deadline, scale, lang)
    _target_marker(fig, row, deadline, scale, lang)
    _reference_lines(fig, row, references, scale, lang)
    base_layout(fig, axis_title(scale, unit, lang))
    year_axis(fig, xs, lang, deadline.year if deadline is not None else None)
    _legend_below(fig)
    today_line(fig, as_of, lang)
    if series.empty:  # in lines a phone's plot holds, on white: the today line would strike through it
        fig.add_annotation(
            x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False, font=dict(color="#57606a", size=15),
            text="<br>".join(safe(line) for line in wrap_columns(t("chart.no_figure", lang), NOTE_COLUMNS)),
            bgcolor="rgba(255, 255, 255, 0.9)", borderpad=4,
        )  # fmt: skip
    return fig


def _why_unused(row, series, ids, used, lang) -> list[str]:
    chosen = status_coverages(row)
    other = _among(ids, chosen) if chosen is not None else None
    other_coverage, other_period = t("chart.not_used_coverage", lang), t("chart.not_used_period", lang)
    return ["" if u else other_coverage if other is not None and not other[i] else other_period
            for i, u in enumerate(used.tolist())]  # fmt: skip


def _path_and_projection(fig: FigureSpec, row: object, deadline: pd.Timestamp, scale: Scale, lang: str) -> None:
    unit, d = row.unit, scale.divisor
    base_v, base_t, target_v = _get(row, "base_value"), _get(row, "base_t"), _get(row, "target_value")
    comparator = _get(row, "comparator")
    # No path where the base already met the target: it would run away from the target (tracker.assess.scoring).
    if _finite(base_v) and _finite(base_t) and _finite(target_v) and comparator \
            and not base_meets_target(comparator, target_v, base_v):  # fmt: skip
        fig.add_trace(
            dict(
                type="scatter", x=[pd.Timestamp(t_to_date(float(base_t))), deadline],
                y=[float(base_v) / d, float(target_v) / d],
                mode="lines", name=t("chart.required_path", lang), line=dict(color="#57606a", dash="dash", width=1.5),
                hoverinfo="skip", meta={"role": "path"},
            )
        )  # fmt: skip
    projected, latest_v, latest_t = _get(row, "projected_value"), _get(row, "latest_value"), _get(row, "latest_t")
    if not (_finite(projected) and _finite(latest_v) and _finite(latest_t)):
        return
    latest = pd.Timestamp(t_to_date(float(latest_t)))
    low, high = _get(row, "projected_low"), _get(row, "projected_high")
    if _finite(low) and _finite(high):
        fig.add_trace(
            dict(
                type="scatter", x=[latest, deadline, deadline, latest],
                y=[float(latest_v) / d, float(high) / d, float(low) / d, float(latest_v) / d],
                fill="toself", fillcolor="rgba(9,105,218,0.12)", mode="lines", line=dict(width=0),
                name=t("chart.band", lang), hoverinfo="skip", meta={"role": "band"},
            )
        )  # fmt: skip
    fig.add_trace(
        dict(
            type="scatter", x=[latest, deadline], y=[float(latest_v) / d, float(projected) / d], mode="lines",
            name=t("chart.projection", lang), line=dict(color="#0969da", dash="dot", width=2),
            hovertemplate=safe(t("chart.projected_hover", lang, value=format_value(projected, unit, lang)))
            + "<extra></extra>",
            meta={"role": "projection"},
        )
    )  # fmt: skip


def _target_marker(fig: FigureSpec, row: object, deadline, scale: Scale, lang: str) -> None:
    kind = _get(row, "kind", "commitment")
    value = _get(row, "target_value")
    if kind == "reference" or deadline is None or not _finite(value):
        return
    goal = format_goal(_get(row, "comparator"), value, row.unit, lang)
    when = format_deadline(deadline.date(), lang)
    interpreted = kind == "interpreted"
    name = t("chart.reading" if interpreted else "chart.target", lang, goal=goal, deadline=when)
    fig.add_trace(
        dict(
            type="scatter", x=[deadline], y=[float(value) / scale.divisor], mode="markers", name=safe(name),
            marker=dict(symbol="star-open" if interpreted else "star", size=17, line=dict(color="#24292f", width=1),
                        color=STATUS_COLORS.get(_get(row, "status"), "#57606a")),
            hovertemplate=safe(t("chart.target_hover", lang, goal=goal, deadline=when)) + "<extra></extra>",
            meta={"role": "target"},
        )
    )  # fmt: skip


def _reference_lines(fig: FigureSpec, row: object, references: pd.DataFrame | None, scale: Scale, lang: str) -> None:
    """Reference levels (no deadline, no status) as horizontal lines across the chart."""
    levels = []
    if _get(row, "kind") == "reference" and _finite(_get(row, "target_value")):
        levels.append(float(row.target_value))
    if references is not None and not references.empty:
        levels += [float(v) for v in references["target_value"] if _finite(v)]
    for value in dict.fromkeys(levels):
        label = t("chart.reference", lang, value=format_value(value, row.unit, lang))
        y = value / scale.divisor  # a line across the plot, its label above its left end (Plotly's add_hline)
        fig.add_shape(
            type="line",
            xref="x domain",
            x0=0,
            x1=1,
            yref="y",
            y0=y,
            y1=y,
            line=dict(color="#8250df", dash="dashdot", width=1.5),
        )
        fig.add_annotation(text=safe(label), xref="x domain", x=0, xanchor="left", yref="y", y=y, yanchor="bottom",
                           showarrow=False, font=dict(color="#6639ba", size=12))  # fmt: skip


def today_line(fig: go.Figure | FigureSpec, as_of: date, lang: str, inside: bool = False) -> None:
    today = pd.Timestamp(as_of)
    fig.add_shape(type="line", x0=today, x1=today, y0=0, y1=1, yref="paper", line=dict(color="#cf222e", width=1))
    fig.add_annotation(
        x=today,
        y=0 if inside else 1,
        yref="paper",
        text=t("chart.today", lang),
        showarrow=False,
        yanchor="bottom",
        xanchor="left" if inside else "center",
        font=dict(color="#a40e26", size=11),
    )
