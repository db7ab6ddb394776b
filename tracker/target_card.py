"""What the target page states about one target, in the reader's language: the source line under its
chart, the evidence rows and the working-out of its status. Plain text; the page escapes it.

Every number comes from the assessed record or the figures as stored; nothing is recomputed.
"""

from __future__ import annotations

import math
import os
import shutil
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from tracker.assess.scoring import base_meets_target
from tracker.charts import record_fields, safe
from tracker.formatting import as_published, wrap_columns
from tracker.hover import publishers
from tracker.i18n import has, t
from tracker.i18n.numbers import (
    figure_digits,
    format_change,
    format_deadline,
    format_goal,
    format_value,
    goal_due,
)
from tracker.vocabulary import STALE_AFTER_DAYS

# Names of the working-out fields in the assessed frame, newest layout first.
_FIELDS = {
    "growth_observed": ("growth_observed", "cagr_observed"),
    "growth_required_from_base": ("growth_required_from_base", "cagr_required"),
    "growth_needed_from_now": ("growth_needed_from_now", "growth_needed"),
    "pace_observed": ("pace_observed",),
    "pace_required_from_base": ("pace_required_from_base", "slope_required"),
    "pace_needed_from_now": ("pace_needed_from_now", "pace_needed"),
}


# What makes two targets one goal: the same indicator and coverage, the same comparator, value and unit, due on
# the same day. Only what documents set counts (a reference level or a reading of words is not a goal).
SAME_GOAL = ("indicator", "coverage", "comparator", "value", "unit", "deadline")
SET_KINDS = ("commitment", "expectation")


def same_goals(targets: pd.DataFrame) -> dict[str, list[str]]:
    """For each target whose goal another target also sets (in another document or clause), the ids of the others,
    oldest document first. Worked out once for a whole catalogue (the site draws every target's page from it)."""
    kinds = targets["kind"].fillna("commitment") if "kind" in targets else pd.Series("commitment", targets.index)
    setting = targets[kinds.isin(SET_KINDS)].sort_values(["issued", "id"], kind="stable")
    keys = setting[list(SAME_GOAL)].astype(object)
    keys = keys.where(keys.notna(), "")  # no coverage matches no coverage (pandas' None == None is False)
    goal = pd.Series(list(map(tuple, keys.itertuples(index=False))), index=setting.index, dtype=object)
    groups = setting["id"].groupby(goal, sort=False).agg(list)
    return {i: [o for o in ids if o != i] for ids in groups if len(ids) > 1 for i in ids}


def repeated_goals_note(goals: dict[str, list[str]], lang: str) -> str:
    """The sentence under the counts when some goals are set by more than one document ("" when none is): the
    counts are of targets, so a goal two plans set counts twice, and a reader quoting "3 missed" should know."""
    groups = {frozenset([i, *others]) for i, others in goals.items()}
    if not groups:
        return ""
    return t("overview.repeated_goals", lang, goals=len(groups), targets=sum(map(len, groups)))


def same_goal(targets: pd.DataFrame, target_id: str, goals: dict[str, list[str]] | None = None) -> pd.DataFrame:
    """The other targets that set the goal ``target_id`` sets, oldest document first (``goals``: ``same_goals`` of
    ``targets``, if worked out already). Plans of one five-year period often repeat a goal; a reader who meets it
    twice on the scorecard should know it is one goal set twice, not two."""
    others = (same_goals(targets) if goals is None else goals).get(target_id, [])
    return targets.set_index("id", drop=False).loc[others] if others else targets.iloc[0:0]


def _value(row: object, *names: str) -> object:
    for n in names:
        v = getattr(row, n, None) if not isinstance(row, pd.Series) else row.get(n)
        if v is not None and not (isinstance(v, float) and math.isnan(v)):
            return v
    return None


def _qualifier(q: object, lang: str) -> str:
    return t(f"qualifier.{q}", lang) if q in (">", ">=", "<", "<=", "~") else ""


def source_line(series: pd.DataFrame, policy_title: str, issuer: str, issued: object, lang: str) -> str:
    """'Source: MIIT (2024-09, 2025-03); CAICT (2023). Target: <document> (MIIT, 2024-09-12).'; in Chinese with
    Chinese punctuation."""
    if series.empty:
        sources = t("card.no_sources", lang)
    else:
        by_publisher: dict[str, list[str]] = {}
        names = publishers(series, lang)  # lists: a long series has thousands
        for publisher, period in zip(names, series["period"].astype(str).tolist(), strict=True):
            by_publisher.setdefault(publisher, []).append(period)
        sources = t("chart.source_join", lang).join(
            t("chart.source_item", lang, publisher=p, periods=t("chart.period_join", lang).join(sorted(set(ps))))
            for p, ps in by_publisher.items()
        )
    document = t("chart.document", lang, title=policy_title, issuer=issuer, issued=issued)
    return t("chart.source_line", lang, sources=sources, document=document)


def evidence_converted(rows: list[dict[str, object]]) -> bool:
    """Whether any figure of ``evidence_rows`` reads otherwise as published (its unit or scale converted, 36亿户 as
    3.6 billion connections): the evidence tables show an "As published" column only then."""
    return any(r["value"] != r["as_published"] for r in rows)


def evidence_rows(series: pd.DataFrame, unit: str, lang: str) -> list[dict[str, object]]:
    """One row per figure: period, value in the indicator's unit (qualifier kept), as published, coverage, source."""
    coverage = series["coverage_name_zh" if lang == "zh" and "coverage_name_zh" in series else "coverage_name"] \
        if "coverage_name" in series else series.get("scope", pd.Series([""] * len(series)))  # fmt: skip
    # Column by column (a long series has thousands of figures): the qualifier's words and each published date
    # are worked out once per distinct value.
    words = {q: _qualifier(q, lang) for q in dict.fromkeys(series["qualifier"].tolist())}
    days = {d: "" if d is None or pd.isna(d) else pd.Timestamp(d).date().isoformat()
            for d in dict.fromkeys(series["published"].tolist())}  # fmt: skip
    names = ("period", "value", "qualifier", "published_value", "published_unit", "source_title", "source_url")
    # Each figure to the significant digits it was published with, as the scorecard writes it (15.9722 trillion
    # stays 15.9722, not a rounded 16 beside a 17 trillion target).
    columns = (
        [series[n].tolist() for n in names]
        + [publishers(series, lang)]
        + [series[n].tolist() for n in ("published", "note")]
        + [coverage.fillna("").tolist(), figure_digits(series)]
    )
    return [{"period": period, "value": words[q] + format_value(value, unit, lang, d),
             "as_published": words[q] + as_published(pv, pu), "coverage": cov, "source": source, "url": url,
             "publisher": publisher, "published": days[day], "note": "" if note is None or pd.isna(note) else note}
            for period, value, q, pv, pu, source, url, publisher, day, note, cov, d in zip(*columns, strict=True)
            ]  # fmt: skip


def _figure(row: object, which: str, unit: str, lang: str) -> str:
    """A figure of the working, to the digits it was published with where the assessment keeps them (the latest:
    2.888 billion, as the scorecard and the evidence write it, not a rounded 2.89 that reads as another month's)."""
    value = _value(row, f"{which}_value")
    if value is None:
        return ""
    digits = _value(row, f"{which}_digits")
    number = format_value(value, unit, lang, 3 if digits is None else max(int(digits), 1))
    figure = f"{_qualifier(_value(row, f'{which}_qualifier'), lang)}{number}"
    return t("value.figure_period", lang, figure=figure, period=_value(row, f"{which}_period"))


def _rate(value: object) -> str:
    return "" if value is None else f"{float(value):+.2%}"


def working_out(row: object, unit: str, lang: str) -> list[tuple[str, str]]:
    """The status's working, labelled 'from the base' or 'from the latest figure'; changes of a rate in points."""
    row = record_fields(row)  # about 30 fields read
    g = {k: _value(row, *names) for k, names in _FIELDS.items()}
    method = _value(row, "method")
    deadline = _value(row, "deadline")
    goal = format_goal(_value(row, "comparator"), _value(row, "target_value"), unit, lang)
    when = format_deadline(pd.Timestamp(deadline).date(), lang) if deadline is not None else ""
    flags = [f for f in (_value(row, "flags") or []) if f]
    ratio, score = _value(row, "ratio"), _value(row, "score")
    low, high = _value(row, "projected_low"), _value(row, "projected_high")
    # Nothing was required of a base that already met the target: say so instead of a pace away from it.
    met = base_meets_target(_value(row, "comparator"), _value(row, "target_value"), _value(row, "base_value"))
    none = t("work.none_required", lang) if met else None
    # The base and the latest figure are one figure (the only one): what is needed from it is what is required from
    # the base, said once, not twice with the same value.
    base_t, latest_t = _value(row, "base_t"), _value(row, "latest_t")
    one = base_t is not None and base_t == latest_t
    items = [
        ("work.method", t(f"method.{method}", lang) if method and has(f"method.{method}", lang) else ""),
        ("work.base", _figure(row, "base", unit, lang)),
        ("work.latest", _figure(row, "latest", unit, lang)),
        ("work.target", goal_due(goal, when, lang)),
        ("work.growth_observed", _rate(g["growth_observed"])),
        ("work.growth_required_from_base", none or _rate(g["growth_required_from_base"])),
        ("work.growth_needed_from_now", "" if one else _rate(g["growth_needed_from_now"])),
        ("work.pace_observed", "" if g["pace_observed"] is None else format_change(g["pace_observed"], unit, lang)),
        ("work.pace_required_from_base", none or (
         "" if g["pace_required_from_base"] is None else format_change(g["pace_required_from_base"], unit, lang))),
        ("work.pace_needed_from_now", "" if one or g["pace_needed_from_now"] is None
         else format_change(g["pace_needed_from_now"], unit, lang)),
        ("work.ratio", "" if ratio is None or met else f"{float(ratio):.2f}"),
        ("work.score", "" if score is None else f"{float(score):+.1f}"),
        ("work.projected", "" if _value(row, "projected_value") is None
         else format_value(_value(row, "projected_value"), unit, lang)),
        ("work.band", "" if low is None or high is None
         else f"{format_value(low, unit, lang)} – {format_value(high, unit, lang)}"),
        # How many figures the projection drew on: only beside a projection (an achieved goal has none).
        ("work.points", str(int(_value(row, "points") or 0))
         if _value(row, "points") and _value(row, "projected_value") is not None else ""),
        ("work.flags", "; ".join(t(f"flag.{f}", lang, **STALE_AFTER_DAYS) if has(f"flag.{f}", lang) else f
                                 for f in flags)),
    ]  # fmt: skip
    return [(t(key, lang), value) for key, value in items if value]


def with_citation(fig: go.Figure, title: str, source_line: str, url: str, width: int = 1000) -> go.Figure:
    """A copy of ``fig`` that carries its title, source line and page address, for a PNG or SVG export."""
    out = go.Figure(fig)
    columns = max(60, width // 7)  # a Latin character of the 12 px citation is about 7 px wide
    lines = wrap_columns(source_line, columns) + wrap_columns(url, columns)
    # The image has one known width, so the legend goes to the right of the plot, where its size does not
    # depend on how its entries wrap; below the plot are only the axis and the citation, whose heights are known.
    out.update_layout(
        title=dict(text=safe(title), x=0, xref="paper", xanchor="left", font=dict(size=17)),
        legend=dict(orientation="v", yref="paper", y=1, yanchor="top", xref="paper", x=1.02, xanchor="left"),
        margin=dict(t=70, b=90 + 18 * len(lines), l=10, r=10),
        height=int(fig.layout.height or 420) + 18 * len(lines),
        width=width,
    )
    out.add_annotation(
        x=0, y=0, xref="paper", yref="paper", yshift=-75, xanchor="left", yanchor="top", showarrow=False, align="left",
        text="<br>".join(safe(line) for line in lines), font=dict(color="#424a53", size=12),
    )  # fmt: skip
    return out


def image_export_available() -> bool:
    """Whether a PNG/SVG can be made here: kaleido installed and a Chrome or Chromium to drive."""
    try:
        import kaleido  # noqa: F401
    except ImportError:
        return False
    return _browser() is not None


def _browser() -> str | None:
    for candidate in (os.environ.get("BROWSER_PATH"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("google-chrome"), shutil.which("chrome")):  # fmt: skip
        if candidate and Path(candidate).exists():
            return candidate
    return None


def chart_image(fig, fmt: str, width: int = 1000) -> bytes:
    """The figure as PNG or SVG bytes, drawn by kaleido in the local Chrome/Chromium (no download)."""
    browser = _browser()
    if browser and not os.environ.get("BROWSER_PATH"):
        os.environ["BROWSER_PATH"] = browser
    return fig.to_image(format=fmt, width=width, height=int(fig.layout.height or 500), scale=2 if fmt == "png" else 1)
