"""The overview's charts of all targets at once: the Pace chart and the Timeline (no Streamlit here).

Pace: way covered against time used, both measured at the date of the latest figure; targets past
their deadline are left to the page to show apart. Timeline: deadlines on the year-end axis of
tracker.charts, one band per policy, close marks stacked so that none hides another.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from tracker.charts import base_layout, safe, today_line, year_axis
from tracker.formatting import wrap_columns
from tracker.i18n import t
from tracker.i18n.numbers import format_deadline
from tracker.status import STATUS_COLORS, STATUS_MARKERS

MARK_PX = 13
SLOT_PX = 17  # one mark's height plus a gap: marks one slot apart never touch
LABEL_COLUMNS = 40  # a phone's plot is about 300 px wide; 40 columns of 12 px text fit it
LINE_SLOTS = 1.2  # a line of 12 px text is 1.3 x 12 px apart from the next, plus room to breathe


def _outline(status: str, color: str, width: float) -> dict:
    """A mark's outline: an open marker (no data, not assessed) is drawn by its outline, in the status's colour."""
    if STATUS_MARKERS[status].endswith("-open"):
        return dict(color=STATUS_COLORS[status], width=2)
    return dict(color=color, width=width)


def pace_chart(points: pd.DataFrame, lang: str = "en") -> go.Figure:
    """Open targets: share of the way covered against share of the time used, both at the latest figure.

    ``points`` comes from tracker.scorecard.pace_points: targets past their deadline are left out
    (shown apart by the page), so that none piles up at the right-hand edge.
    """
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name=t("chart.pace_line", lang),
                             line=dict(color="#6e7781", dash="dash"), hoverinfo="skip"))  # fmt: skip
    for status, group in points.groupby("status", sort=False):
        fig.add_trace(
            go.Scatter(
                x=group["time_used"], y=group["progress"], mode="markers", name=t(f"status.{status}", lang),
                marker=dict(size=12, color=STATUS_COLORS[status], symbol=STATUS_MARKERS[status],
                            line=_outline(status, "white", 1)),
                hovertext=[safe(title) for title in group["title"]],
                customdata=[t("chart.pace_hover", lang, time=f"{x:.0%}", way=f"{y:.0%}", period=p)
                            for x, y, p in zip(group["time_used"], group["progress"], group["latest_period"],
                                               strict=True)],
                hovertemplate="%{hovertext}<br>%{customdata}<extra></extra>",
            )
        )  # fmt: skip
    base_layout(fig, t("chart.pace_y", lang), height=400)
    # From 0 to 100% at least, and past the farthest marks by a share of the span, so that a mark at either end is
    # drawn whole (a fixed 5 points was less than a mark's half height once the span reached about 150 points).
    high, least = (float(points["progress"].max()), float(points["progress"].min())) if not points.empty else (1, 0)
    pad = 0.07 * (max(high, 1.0) - min(least, 0.0))
    top, low = max(1.05, high + pad), min(-0.05, least - pad)
    # The margins are set to the room the labels take at the app's fonts, so that Plotly's automargin, which stays
    # on, finds nothing to add and lays the plot out once: a second layout took a third of the chart's first draw
    # in the browser (docs/benchmarks.md). A reader's wider font, or a zoom out to longer labels, still gets room.
    fig.update_layout(margin=dict(l=pace_left_margin(low, top), b=PACE_BOTTOM_PX))
    # x: the marks of a target just past its base or just before its deadline are drawn whole on a phone too (a
    # 320 px screen whose y labels read 10,000% leaves the plot 168 px: at -0.03 such a mark lost half a pixel)
    fig.update_xaxes(title_text=t("chart.pace_x", lang), tickformat=".0%", range=[-0.045, 1.045])
    fig.update_yaxes(tickformat=".0%", rangemode="normal", range=[low, top])
    # The note under the dashed line's right-hand end, on the 0% grid line in two short lines (in one, a phone's
    # plot put its start under the line), where a range of up to 250 points leaves it room below the line; in a
    # wider one the line runs nearly flat along 0% and would strike it through (the caption says the same).
    if top - low <= 2.5:
        head, colon, tail = t("chart.pace_below", lang).partition("：" if lang == "zh" else ": ")
        note = f"{safe(head + colon.strip())}<br>{safe(tail)}" if colon else safe(head)
        fig.add_annotation(x=0.98, y=0, yanchor="bottom", yshift=3, xanchor="right", align="right", text=note,
                           showarrow=False, font=dict(color="#57606a"))  # fmt: skip
    return fig


PACE_BOTTOM_PX = 54
"""Under the Pace chart's plot: a line of 12 px tick labels, the title's 16 px stand-off and a line of 14 px title
(Plotly measures 52 px; the legend below them makes its own room)."""


def pace_left_margin(low: float, top: float) -> int:
    """Pixels left of the Pace chart's plot for its percentage tick labels (12 px text), their stand-off and the y
    title's turned line, for a y range from ``low`` to ``top``, as Plotly measures them in the fallback fonts of a
    page without Streamlit's web font (70 px for "100%", the usual widest label; in the app's Source Sans, narrower,
    the label "100%" is 28 px wide against 31 px and the margin stays at 70 px): about 7 px a digit, 10 px for "%"
    and 8 px for a minus sign. Plotly's ticks lie inside the range, so the widest label is at one of its ends; the
    range spans at least 110 points, so its ticks are at least 20 points apart and a label below zero needs ``low``
    at -20% or lower. Too little room is not lost: Plotly's automargin adds what is missing, at the cost of laying
    the plot out twice."""

    def label_px(end: float) -> int:
        return 7 * len(str(round(abs(end) * 100))) + 10 + (8 if end < 0 else 0)

    return 39 + max(label_px(top), label_px(low) if low <= -0.2 else 0)


def wrap_label(text: object, columns: int = LABEL_COLUMNS, lines: int = 2) -> list[str]:
    """``text`` in at most ``lines`` lines of at most ``columns`` columns (tracker.formatting.wrap_columns),
    unescaped, the last one cut with "…": a policy's name then fits a phone's plot (about 300 px, 40 columns of
    12 px text) without running past its edge or over the marks."""
    words = " ".join(str("" if text is None else text).split())
    out = wrap_columns(words, columns)
    if len(out) <= lines:
        return out
    end = 0
    for line in out[: lines - 1]:
        end = words.index(line, end) + len(line)
    last = wrap_columns(words[end:].strip(), columns - 1)[0]
    return [*out[: lines - 1], last + "…"]


def dodge(rows: list[int], xs: list[float], near: float) -> list[float]:
    """Offsets within each row, in marks, so that marks closer than ``near`` on x sit one above another.

    A lone mark stays on its row's line (0); two close marks take -0.5 and +0.5; three -1, 0, +1.
    """
    offsets = [0.0] * len(rows)
    order = sorted(range(len(rows)), key=lambda i: (rows[i], xs[i]))
    cluster: list[int] = []

    def spread(members: list[int]) -> None:
        for k, i in enumerate(members):
            offsets[i] = k - (len(members) - 1) / 2

    for i in order:
        if cluster and (rows[i] != rows[cluster[-1]] or xs[i] - xs[cluster[0]] > near):
            spread(cluster)
            cluster = []
        cluster.append(i)
    if cluster:
        spread(cluster)
    return offsets


def _policy_names(fig: go.Figure, names: list[list[str]], tops: list[float]) -> None:
    """Each policy's name, in its lines, at the top of its band, on a light ground over the grid lines."""
    for name, top in zip(names, tops, strict=True):
        fig.add_annotation(
            x=0,
            xref="paper",
            y=top + 0.15,
            yanchor="top",
            xanchor="left",
            align="left",
            showarrow=False,
            text="<br>".join(safe(line) for line in name),
            font=dict(color="#424a53", size=12),
            bgcolor="rgba(255,255,255,0.8)",
            name="policy",
        )


def timeline_chart(card: pd.DataFrame, as_of: date, lang: str = "en") -> go.Figure:
    """Deadlines on a time axis, one band per policy, coloured by status; close marks are stacked apart."""
    dated = card[card["deadline"].notna()].reset_index(drop=True)
    labels = list(dict.fromkeys(dated["policy_label"]))
    rows = [labels.index(p) for p in dated["policy_label"]]
    stamps = pd.to_datetime(dated["deadline"])
    years = [s.year + s.day_of_year / 366 for s in stamps]
    span = (max(years) - min(years)) if years else 1.0
    offsets = dodge(rows, years, near=max(span, 3.0) / 25)
    # Each policy's band holds its name on lines of its own (one slot each, wrapped to fit a phone),
    # then its largest stack of marks, then a gap.
    names = [wrap_label(label) for label in labels]
    stacks = [
        2 * max([abs(o) for o, r in zip(offsets, rows, strict=True) if r == i] + [0]) + 1 for i in range(len(labels))
    ]
    bands = [stack + 1.2 + LINE_SLOTS * len(name) for stack, name in zip(stacks, names, strict=True)]
    tops = list(np.cumsum(bands) - np.asarray(bands))
    centres = [
        top + 0.1 + LINE_SLOTS * len(name) + stack / 2 for top, stack, name in zip(tops, stacks, names, strict=True)
    ]  # the first mark's centre sits 0.6 slot under the space of the name's last line
    y = np.asarray([centres[r] + o for r, o in zip(rows, offsets, strict=True)], dtype=float)
    fig = go.Figure()
    for status in dict.fromkeys(dated["status"]):
        pick = (dated["status"] == status).to_numpy()
        group = dated[pick]
        fig.add_trace(
            go.Scatter(
                x=stamps[pick], y=y[pick], mode="markers", name=t(f"status.{status}", lang),
                marker=dict(size=MARK_PX, color=STATUS_COLORS[status], symbol=STATUS_MARKERS[status],
                            line=_outline(status, "#24292f", 0.5)),
                hovertext=[safe(title) for title in group["title"]],
                customdata=[t("chart.due", lang, date=format_deadline(pd.Timestamp(d).date(), lang))
                            for d in group["deadline"]],
                hovertemplate="%{hovertext}<br>%{customdata}<extra></extra>",
                meta={"role": "deadlines", "ids": list(group["id"])},
            )
        )  # fmt: skip
    total = float(sum(bands)) or 1.0
    base_layout(fig, "", height=int(SLOT_PX * total) + 150)
    # The years on top, where a reader starts; the legend under the last band.
    fig.update_layout(
        margin=dict(t=70, b=90, l=10, r=10), legend=dict(orientation="h", yanchor="top", y=-0.01, xanchor="left", x=0)
    )
    fig.update_yaxes(range=[total, 0], showticklabels=False, showgrid=False, zeroline=False, rangemode="normal")
    _policy_names(fig, names, tops)
    year_axis(fig, list(stamps) + [pd.Timestamp(as_of)], lang)
    fig.update_xaxes(side="top")
    today_line(fig, as_of, lang, inside=True)
    return fig
