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

# A series is stale when its last figure is older than this for its frequency.
STALE_AFTER_DAYS = {"monthly": 120, "quarterly": 200, "annual": 550}


def indicator_summary(indicators: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """``indicators`` (tracker.queries.indicators) with ``stale`` (bool) and ``trend`` (a status id or '')."""
    out = indicators.copy()
    if out.empty:
        return out.assign(stale=pd.Series(dtype=bool), trend=pd.Series(dtype=object))
    last = pd.to_datetime(out["last_period_end"])
    limit = out["frequency"].map(STALE_AFTER_DAYS)
    out["stale"] = (limit.notna() & last.notna() & ((pd.Timestamp(as_of) - last).dt.days > limit)).astype(bool)
    as_float = lambda c: out[c].to_numpy(dtype=float, na_value=np.nan)  # noqa: E731
    years = as_float("last_t") - as_float("first_t")
    trend, _ = progress_without_target(
        as_float("first_value"),
        as_float("last_value"),
        years,
        out["direction"].map({"higher": 1.0, "lower": -1.0}).to_numpy(dtype=float),
        as_float("limit"),
    )
    first = out["first_value"].fillna(0).to_numpy(dtype=float)
    out["trend"] = [str(s) if y > 0 and f > 0 else "" for s, y, f in zip(trend, years, first, strict=True)]
    return out
