"""How current each indicator's series is, and which way it has moved on its own (no target).

Stale: the last figure's period ended longer ago than a series of its frequency allows.
Trend: Open SDG's method without a target (tracker.assess.progress_without_target), first
to last figure. Both are computed here, once, and only shown by the pages.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from tracker.assess import progress_without_target
from tracker.vocabulary import STALE_LIMIT_DAYS


def indicator_summary(
    indicators: pd.DataFrame, as_of: date, series: dict[str, pd.DataFrame] | None = None
) -> pd.DataFrame:
    """``indicators`` (tracker.queries.indicators) with ``stale`` (bool), ``trend`` (a status id or ''),
    ``trend_coverage`` (the coverage the trend was read in) and, with ``series``, ``coverage_count`` (how many
    coverages its figures are of) and ``latest_coverage_name`` / ``latest_coverage_name_zh`` (the coverage of its
    latest figure, which the latest period and the trend are of).

    With ``series`` (each indicator's figures, tracker.queries.observations), the trend runs from the first to
    the last figure of the coverage of the latest figure, so that no trend mixes coverages; without it, from
    the first to the last figure of the indicator.
    """
    out = indicators.copy()
    if out.empty:
        return out.assign(stale=pd.Series(dtype=bool), trend=pd.Series(dtype=object),
                          trend_coverage=pd.Series(dtype=object))  # fmt: skip
    last = pd.to_datetime(out["last_period_end"])
    limit = out["frequency"].map(STALE_LIMIT_DAYS)
    out["stale"] = (limit.notna() & last.notna() & ((pd.Timestamp(as_of) - last).dt.days > limit)).astype(bool)
    ends = [_ends(series.get(i) if series else None, row) for i, row in zip(out["id"], out.itertuples(), strict=True)]
    first_value, first_t, last_value, last_t, coverage = (np.asarray(c, dtype=object) for c in zip(*ends, strict=True))
    years = last_t.astype(float) - first_t.astype(float)
    trend, _ = progress_without_target(
        first_value.astype(float),
        last_value.astype(float),
        years,
        out["direction"].map({"higher": 1.0, "lower": -1.0}).to_numpy(dtype=float),
        out["limit"].to_numpy(dtype=float, na_value=np.nan),
    )
    first = np.nan_to_num(first_value.astype(float))
    out["trend"] = [str(s) if y > 0 and f > 0 else "" for s, y, f in zip(trend, years, first, strict=True)]
    out["trend_coverage"] = [c if tr else "" for c, tr in zip(coverage, out["trend"], strict=True)]
    named = [_coverage_names(series.get(i) if series else None, c) for i, c in zip(out["id"], coverage, strict=True)]
    out["coverage_count"] = [n for n, _, _ in named]
    out["latest_coverage_name"] = [en for _, en, _ in named]
    out["latest_coverage_name_zh"] = [zh for _, _, zh in named]
    return out


def latest_coverage(figures: pd.DataFrame | None) -> tuple[int, str | None, str | None]:
    """How many coverages an indicator's figures (tracker.queries.observations) are of, and the names (English,
    Chinese) of the coverage of its latest figure: what ``indicator_summary`` gives as ``coverage_count`` and
    ``latest_coverage_name(_zh)``, for one indicator (the static site's list of indicators)."""
    if figures is None or figures.empty or "coverage" not in figures.columns:
        return 0, None, None
    return _coverage_names(figures, _ends(figures, None)[4])


def _coverage_names(figures: pd.DataFrame | None, coverage: str) -> tuple[int, str | None, str | None]:
    """How many coverages an indicator's figures are of, and the names of ``coverage``, the one of its latest figure
    that ``_ends`` picked (the trend's, so that the table never names another on a tie)."""
    if figures is None or figures.empty or "coverage" not in figures.columns:
        return 0, None, None
    row = figures[figures["coverage"] == coverage].iloc[-1] if coverage else figures.iloc[-1]
    names = [row.get(k) if isinstance(row.get(k), str) else None for k in ("coverage_name", "coverage_name_zh")]
    return int(figures["coverage"].nunique()), names[0] or coverage or None, names[1]


def _ends(figures: pd.DataFrame | None, row) -> tuple[float, float, float, float, str]:
    """First and last figure (value, t) of the coverage of the latest figure, and that coverage."""
    nan = float("nan")
    if figures is None or "coverage" not in getattr(figures, "columns", []):
        values = (row.first_value, row.first_t, row.last_value, row.last_t)
        return (*(nan if pd.isna(v) else float(v) for v in values), "")
    if figures.empty:
        return nan, nan, nan, nan, ""
    ordered = figures.sort_values("t")
    coverage = ordered["coverage"].iloc[-1]
    same = ordered[ordered["coverage"] == coverage]
    return (float(same["value"].iloc[0]), float(same["t"].iloc[0]), float(same["value"].iloc[-1]),
            float(same["t"].iloc[-1]), "" if pd.isna(coverage) else str(coverage))  # fmt: skip
