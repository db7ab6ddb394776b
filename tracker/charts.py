"""Plotly figures as pure functions of data frames (no Streamlit here)."""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from tracker.escape import html_text
from tracker.formatting import format_value
from tracker.model import PERCENT
from tracker.status import STATUS_COLORS, STATUS_LABELS

FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=13)


safe = html_text
"""Text from files shown inside a chart (Plotly reads hover text as HTML): escaped."""


def axis_scale(values: pd.Series | np.ndarray, unit: str) -> tuple[float, str]:
    """A divisor and an axis title so that large numbers read as 2.55 (billion connections)."""
    finite = np.abs(np.asarray(values, dtype=float))
    finite = finite[np.isfinite(finite)]
    top = finite.max() if finite.size else 0
    if unit == PERCENT:
        return 1.0, "%"
    for scale, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if top >= scale:
            return scale, f"{word} {unit}"
    return 1.0, unit


def t_to_date(t: float) -> date:
    """The inverse of tracker.periods.date_to_t, to the day."""
    year = int(math.floor(t - 1e-9))
    days = 366 if (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 else 365
    return date(year, 1, 1) + timedelta(days=round((t - year) * days) - 1)


def _layout(fig: go.Figure, title: str | None, y_title: str, height: int = 420) -> go.Figure:
    fig.update_layout(
        title=dict(text=safe(title), x=0, xanchor="left") if title else None,
        font=FONT,
        height=height,
        margin=dict(l=10, r=10, t=50 if title else 20, b=10),
        plot_bgcolor="white",
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0),
        hoverlabel=dict(align="left"),
    )
    fig.update_xaxes(showgrid=True, gridcolor="#eaeef2", zeroline=False)
    fig.update_yaxes(title_text=y_title, showgrid=True, gridcolor="#eaeef2", zeroline=False, rangemode="tozero")
    return fig


def _hover(series: pd.DataFrame, unit: str) -> list[str]:
    rows = []
    words = {">": "more than ", ">=": "at least ", "<": "less than ", "<=": "at most ", "~": "about "}
    for r in series.itertuples(index=False):
        published = f"{words.get(r.qualifier, '')}{r.published_value:g} {safe(r.published_unit)}"
        lines = [
            f"<b>{safe(r.period)}</b>: {safe(words.get(r.qualifier, ''))}{safe(format_value(r.value, unit))}",
            f"as published: {safe(published)}",
            f"source: {safe(r.source_title)}",
            f"publisher: {safe(r.publisher)}",
        ]
        if r.published is not None and not pd.isna(r.published):
            lines.append(f"published: {pd.Timestamp(r.published).date().isoformat()}")
        if r.coverage_name is not None and not pd.isna(r.coverage_name):
            lines.append(f"coverage: {safe(r.coverage_name)}")
        rows.append("<br>".join(lines))
    return rows


COVERAGE_COLORS = ("#0969da", "#8250df", "#bf3989", "#1b7c83", "#9a6700", "#57606a")


def series_chart(series: pd.DataFrame, unit: str, title: str | None = None) -> go.Figure:
    """An indicator's figures over time, with their citations on hover; markers coloured by coverage."""
    fig = go.Figure()
    scale, y_title = axis_scale(series["value"], unit)
    if not series.empty:
        ordered = series.sort_values(["period_end", "value"])
        fig.add_trace(
            go.Scatter(
                x=pd.to_datetime(ordered["period_end"]),
                y=ordered["value"] / scale,
                mode="lines",
                line=dict(color="#afb8c1", width=1.5),
                hoverinfo="skip",
                showlegend=False,
            )
        )
        coverage = series["coverage_name"].fillna("as defined")
        several = coverage.nunique() > 1
        for i, (scope, group) in enumerate(series.groupby(coverage, sort=False)):
            fig.add_trace(
                go.Scatter(
                    x=pd.to_datetime(group["period_end"]),
                    y=group["value"] / scale,
                    mode="markers",
                    name=f"coverage: {safe(scope)[:60]}" if several else "observed",
                    marker=dict(size=9, color=COVERAGE_COLORS[i % len(COVERAGE_COLORS)],
                                symbol=[_symbol(q) for q in group["qualifier"]], line=dict(color="white", width=1)),
                    hovertext=_hover(group, unit),
                    hoverinfo="text",
                )
            )  # fmt: skip
    fig = _layout(fig, title, y_title)
    if series["coverage_name"].fillna("as defined").nunique() > 1:
        fig.update_layout(
            legend=dict(orientation="h", yanchor="top", y=-0.12, xanchor="left", x=0), margin=dict(b=110), height=500
        )
    return fig


def _symbol(qualifier: str) -> str:
    return {
        ">": "triangle-up",
        ">=": "triangle-up",
        "<": "triangle-down",
        "<=": "triangle-down",
        "~": "circle-open",
    }.get(qualifier, "circle")


def target_chart(row: pd.Series | object, series: pd.DataFrame, as_of: date) -> go.Figure:
    """Observations, the target at its deadline, the required path, the projection band and today."""
    r = row
    unit = r.unit
    values = pd.concat([series["value"], pd.Series([r.target_value, r.projected_high])], ignore_index=True)
    scale, y_title = axis_scale(values, unit)
    fig = series_chart(series, unit)
    fig.update_yaxes(title_text=y_title)
    deadline = pd.Timestamp(r.deadline)
    if not pd.isna(r.base_value) and isinstance(r.base_period, str):
        base_date = pd.Timestamp(t_to_date(r.base_t)) if hasattr(r, "base_t") and not pd.isna(r.base_t) else None
        if base_date is not None:
            fig.add_trace(
                go.Scatter(
                    x=[base_date, deadline],
                    y=[r.base_value / scale, r.target_value / scale],
                    mode="lines",
                    name="required path",
                    line=dict(color="#57606a", dash="dash", width=1.5),
                    hovertemplate="required path<extra></extra>",
                )
            )
    if not pd.isna(r.projected_value) and not pd.isna(r.latest_value):
        latest_date = pd.Timestamp(t_to_date(r.latest_t))
        if not pd.isna(r.projected_low):
            fig.add_trace(
                go.Scatter(
                    x=[latest_date, deadline, deadline, latest_date],
                    y=[
                        r.latest_value / scale,
                        r.projected_high / scale,
                        r.projected_low / scale,
                        r.latest_value / scale,
                    ],
                    fill="toself",
                    fillcolor="rgba(9,105,218,0.12)",
                    mode="lines",
                    line=dict(width=0),
                    name="80% band",
                    hoverinfo="skip",
                )
            )
        fig.add_trace(
            go.Scatter(
                x=[latest_date, deadline],
                y=[r.latest_value / scale, r.projected_value / scale],
                mode="lines",
                name="projection",
                line=dict(color="#0969da", dash="dot", width=2),
                hovertemplate=f"projected at the deadline: {safe(format_value(r.projected_value, unit))}"
                "<extra></extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=[deadline],
            y=[r.target_value / scale],
            mode="markers",
            name=f"target {safe(r.comparator)} {safe(format_value(r.target_value, unit))}",
            marker=dict(symbol="star", size=16, color=STATUS_COLORS.get(r.status, "#57606a"),
                        line=dict(color="#24292f", width=1)),
            hovertemplate=f"target: {safe(r.comparator)} {safe(format_value(r.target_value, unit))} "
            f"by {deadline.date().isoformat()}<extra></extra>",
        )
    )  # fmt: skip
    _today_line(fig, as_of)
    if series.empty:
        fig.add_annotation(
            x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False, font=dict(color="#57606a", size=15),
            text="No figure has been found in a citable source yet",
        )  # fmt: skip
    return fig


def pace_chart(scorecard: pd.DataFrame) -> go.Figure:
    """Every target on one screen: share of the way to its target against share of its time used."""
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=[0, 1.2], y=[0, 1.2], mode="lines", name="on pace",
                             line=dict(color="#8c959f", dash="dash"), hoverinfo="skip"))  # fmt: skip
    for status, group in scorecard.dropna(subset=["time_used", "progress"]).groupby("status", sort=False):
        fig.add_trace(
            go.Scatter(
                x=group["time_used"].clip(0, 1.2),
                y=group["progress"].clip(-0.5, 1.5),
                mode="markers",
                name=STATUS_LABELS[status],
                marker=dict(size=11, color=STATUS_COLORS[status], line=dict(color="white", width=1)),
                hovertext=[safe(t) for t in group["title"]],
                hovertemplate="%{hovertext}<br>time used %{x:.0%}, way covered %{y:.0%}<extra></extra>",
            )
        )
    fig = _layout(fig, None, "share of the way from base to target", height=380)
    fig.update_xaxes(title_text="share of the time from base to deadline used", tickformat=".0%")
    fig.update_yaxes(tickformat=".0%", rangemode="normal")
    fig.add_annotation(x=1.0, y=0.05, text="below the line: behind pace", showarrow=False, font=dict(color="#57606a"))
    return fig


def _today_line(fig: go.Figure, as_of: date) -> None:
    today = pd.Timestamp(as_of)
    fig.add_shape(type="line", x0=today, x1=today, y0=0, y1=1, yref="paper", line=dict(color="#cf222e", width=1))
    fig.add_annotation(x=today, y=1, yref="paper", text="today", showarrow=False, yanchor="bottom",
                       font=dict(color="#cf222e", size=11))  # fmt: skip


def _short(text: object, size: int = 46) -> str:
    text = safe(text)
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def timeline_chart(scorecard: pd.DataFrame, as_of: date) -> go.Figure:
    """Deadlines on a time axis, one row per policy, coloured by status."""
    fig = go.Figure()
    for status, group in scorecard.groupby("status", sort=False):
        fig.add_trace(
            go.Scatter(
                x=pd.to_datetime(group["deadline"]),
                y=[_short(p) for p in group["policy_label"]],
                mode="markers",
                name=STATUS_LABELS[status],
                marker=dict(size=13, color=STATUS_COLORS[status], line=dict(color="#24292f", width=0.5)),
                hovertext=[safe(t) for t in group["title"]],
                hovertemplate="%{hovertext}<br>due %{x|%Y-%m-%d}<extra></extra>",
            )
        )
    _today_line(fig, as_of)
    rows = max(scorecard["policy_label"].nunique(), 1)
    fig = _layout(fig, None, "", height=max(260, 60 + 34 * rows))
    fig.update_yaxes(rangemode="normal", automargin=True)
    return fig
