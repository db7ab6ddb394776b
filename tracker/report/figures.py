"""The charts of the static site: the app's charts (tracker.charts), written into the page as data.

A page carries its chart as Plotly's JSON, built from :class:`tracker.figure_spec.FigureSpec` without
Plotly's per-property checks (the app checks the same spec when it draws it). A long series is thinned
for the page (:func:`thinned`), and the page says so under the chart; the evidence table and the
indicator's CSV keep every figure.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.io as pio

from tracker.charts import PAGE_THEME
from tracker.figure_spec import FigureSpec
from tracker.hover import coverages
from tracker.i18n import t
from tracker.report.html import esc

CHART_FIGURES = 150
"""A page's chart draws about this many figures of a longer series; the app draws them all."""

_SAME_MOMENT = 1e-6
"""Years: two points of the time axis closer than this are the same period end (as in tracker.charts)."""


def _moment(row: object, name: str) -> float | None:
    value = row.get(name) if row is not None and hasattr(row, "get") else None
    return float(value) if isinstance(value, (int, float, np.number)) and math.isfinite(float(value)) else None


def thinned(series: pd.DataFrame, row: object = None, limit: int = CHART_FIGURES) -> pd.DataFrame:
    """At most about ``limit`` of the figures in ``series``: evenly spaced in time, plus each coverage's first,
    last, highest and lowest figure and, for a target, the figures of the base and latest periods its status
    compares. Only figures that exist are kept; none is averaged or moved. A short series comes back whole."""
    if len(series) <= limit:
        return series
    order = np.argsort(series["period_end"].to_numpy(), kind="stable")  # positions, oldest first
    keep = np.zeros(len(order), dtype=bool)
    keep[np.linspace(0, len(order) - 1, limit).round().astype(int)] = True
    ids = np.asarray(coverages(series, "en")[0], dtype=object)[order]
    values = series["value"].to_numpy(dtype=float)[order]
    for cov in pd.unique(ids):
        where = np.flatnonzero(ids == cov)
        finite = where[np.isfinite(values[where])]
        ends = [where[0], where[-1]]
        if len(finite):
            ends += [finite[values[finite].argmax()], finite[values[finite].argmin()]]
        keep[ends] = True
    if "t" in series.columns:
        tt = series["t"].to_numpy(dtype=float)[order]
        for moment in (_moment(row, "base_t"), _moment(row, "latest_t")):
            if moment is not None:
                keep |= np.abs(tt - moment) <= _SAME_MOMENT
    return series.take(order[keep])


def chart_html(spec: FigureSpec, lang: str, drawn: int, total: int, csv_link: str) -> str:
    """The chart's element and script, a line saying how many figures it draws when it leaves some out, and
    what a reader without JavaScript sees instead."""
    plain = spec.to_plain_dict()
    plain["layout"] = {**plain.get("layout", {}), "template": PAGE_THEME}  # the app's look (tracker.charts)
    div = pio.to_html(plain, include_plotlyjs=False, full_html=False, div_id="chart", validate=False,
                      config={"displaylogo": False, "responsive": True})  # fmt: skip
    note = ""
    if drawn < total:
        text = esc(t("site.chart_thinned", lang, shown=f"{drawn:,}", total=f"{total:,}", file="\x00"))
        note = f'<p class="muted chart-note">{text.replace(chr(0), csv_link)}</p>'
    return (f'<div class="chart">{div}</div>{note}'
            f'<noscript><p class="muted">{esc(t("site.no_js", lang))}</p></noscript>')  # fmt: skip
