"""Per target: the base, latest and final figures, the counts behind the flags, and the sums of the projection fit."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from tracker.assess.columns import Columns, Later, filled, object_column
from tracker.assess.projection import FIT_POINTS, RECENCY_YEARS
from tracker.assess.queries import Fetch
from tracker.assess.series import _EPS, T_MAX, T_MIN, Series, pick, search, with_nulls

if TYPE_CHECKING:
    import duckdb


def _fetch(con: duckdb.DuckDBPyConnection, as_of: date, started: Fetch | None) -> tuple[Columns, Series]:
    """The targets (with each one's series code) and the series they read: from the queries ``started`` on ``con``
    for ``as_of``, else started here."""
    fetch = Fetch(con, as_of) if started is None else started
    try:
        columns = {name: filled(values) for name, values in with_nulls(fetch.targets()).items()}
    except BaseException:  # the figures' query is ended before the caller closes the connection
        fetch.stop()
        raise
    return columns, fetch.series()


def pick_figures(con: duckdb.DuckDBPyConnection, as_of: date, started: Fetch | None = None) -> Columns:
    """Per target: base, latest and final figures, counts, and the sums of the projection fit. ``started``: the
    queries already started on ``con`` for ``as_of`` (``tracker status`` starts them while it imports)."""
    c, series = _fetch(con, as_of, started)
    code = c["code"].astype(np.int64)
    n = len(code)
    by_series = np.argsort(code, kind="stable")
    passed = c["deadline_passed"].astype(bool)
    deadline_t = c["deadline_t"].astype(float)
    cut_t = np.where(passed, deadline_t, T_MAX)
    seg_start = series.find(code, np.full(n, T_MIN), "left", by_series)
    seg_end = series.find(code, np.full(n, T_MAX), "right", by_series)
    c["n_obs"] = seg_end - seg_start

    hi = series.find(code, cut_t + _EPS, "right", by_series) - 1
    latest, c["latest_t"], c["latest_value"], c["latest_qualifier"], c["latest_period"] = pick(
        series, hi, hi >= seg_start
    )
    fin = series.find(code, deadline_t - _EPS, "left", by_series)
    final, c["final_t"], c["final_value"], c["final_qualifier"], c["final_period"] = pick(
        series, fin, passed & (fin < seg_end)
    )
    c["latest_digits"], c["final_digits"] = series.published_digits(latest), series.published_digits(final)
    _pick_base(c, series, code, seg_start, seg_end, hi, by_series)
    lo, has_range = _range(c, series, code, seg_start, hi, by_series)
    _fit_sums(c, series, lo, hi, has_range)
    count = lambda k: k[hi + 1] - k[lo + 1] if len(series.t) else np.zeros(n, dtype=int)  # noqa: E731
    # Only the JSON records and the app read them: listed when first read (a twentieth of the work here otherwise).
    c["qualified"] = Later(lambda: object_column(series.qualified_points(lo, hi)))
    c["qualified_count"] = count(series.qualified_count)
    # The periods themselves are listed by the Data quality page (tracker.queries.conflicts).
    c["conflicting_period_count"] = count(series.conflict_count)
    # A change of coverage (to or from a declared proxy) counts from the figure after the base onwards.
    after_base = np.minimum(lo + 1, hi)
    changes = series.change_count[hi + 1] - series.change_count[after_base + 1] if len(series.t) else 0
    c["scopes"] = 1 + np.zeros(n, dtype=np.int64) + changes
    return c


def _pick_base(
    c: Columns,
    series: Series,
    code: np.ndarray,
    seg_start: np.ndarray,
    seg_end: np.ndarray,
    hi: np.ndarray,
    by_series: np.ndarray,
) -> None:
    """The base: an explicit value in the file; else the figure for the baseline period; else the last
    figure before the policy was issued; else the first one after."""
    n = len(code)
    issued_t, baseline_t = c["issued_t"].astype(float), c["baseline_t"].astype(float)
    before = series.find(code, issued_t + _EPS, "right", by_series) - 1
    _, before_t, before_v, before_q, before_p = pick(series, before, (before >= seg_start) & (before <= hi))
    after = before + 1
    _, after_t, after_v, after_q, after_p = pick(series, after, (after < seg_end) & (after <= hi))
    start_days = c["baseline_start_day"].astype(float)
    pos = search(series.start_key, code * 1_000_000.0 + np.nan_to_num(start_days, nan=0.0), "left", by_series)
    # A position past the end means no figure starts at or after the baseline period: there is no base.
    found = pos < len(series.by_start)
    pos = np.clip(pos, 0, max(len(series.by_start) - 1, 0))
    bp = series.by_start[pos] if len(series.by_start) else np.full(n, -1)
    bp_ok = ~np.isnan(start_days) & found & (bp >= seg_start) & (bp <= hi) & (bp < seg_end)
    _, bp_t, bp_v, bp_q, bp_p = pick(series, bp, bp_ok)

    baseline_value = c["baseline_value"].astype(float)
    explicit = ~np.isnan(baseline_value)
    by_period = ~np.isnan(baseline_t) & ~explicit
    use_before = ~explicit & ~by_period & ~np.isnan(before_t)
    c["base_t"] = np.select([explicit, by_period, use_before], [baseline_t, bp_t, before_t], default=after_t)
    c["base_value"] = np.select([explicit, by_period, use_before], [baseline_value, bp_v, before_v], default=after_v)
    # The qualifier of the figure the base is ("more than 400 billion"); none for a value the file gives.
    c["base_qualifier"] = np.select([explicit, by_period, use_before], [np.full(n, None, dtype=object), bp_q, before_q],
                                    default=after_q)  # fmt: skip
    periods = c["baseline_period"].astype(object)
    c["base_period"] = np.where(explicit, periods, np.where(by_period, bp_p, np.where(use_before, before_p, after_p)))


def _range(
    c: Columns, series: Series, code: np.ndarray, seg_start: np.ndarray, hi: np.ndarray, by_series: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Rows (lo, hi] are the figures from the base to the latest."""
    base_t = c["base_t"]
    lo = np.where(np.isnan(base_t), hi, series.find(code, np.nan_to_num(base_t) - _EPS, "left", by_series) - 1)
    lo = np.maximum(lo, seg_start - 1)
    has_range = (hi >= seg_start) & (lo < hi)
    lo = np.where(has_range, lo, hi)
    if len(series.t):
        c["all_positive"] = (series.nonpositive_count[hi + 1] - series.nonpositive_count[lo + 1]) == 0
    else:
        c["all_positive"] = np.ones(len(code), dtype=bool)
    return lo, has_range


def _fit_sums(c: Columns, series: Series, lo: np.ndarray, hi: np.ndarray, has_range: np.ndarray) -> None:
    """The weighted sums of the projection fit."""
    base_t = c["base_t"]
    # The projection fit: the FIT_POINTS most recent figures in (lo, hi], weighted towards the latest.
    rows = hi[:, None] - np.arange(FIT_POINTS)[None, :]
    use = (rows > lo[:, None]) & has_range[:, None]
    rows = np.clip(rows, 0, max(len(series.t) - 1, 0))
    if len(series.t):
        tt, yy = series.t[rows], series.value[rows]
    else:
        tt = yy = np.zeros(rows.shape)
    latest_t = c["latest_t"]
    x = np.where(use, tt - base_t[:, None], 0.0)
    w = np.where(use, np.exp(-(latest_t[:, None] - tt) / RECENCY_YEARS), 0.0)
    y = np.where(use, yy, 0.0)
    with np.errstate(all="ignore"):
        ly = np.where(use & (yy > 0), np.log(np.where(yy > 0, yy, 1.0)), 0.0)
    c["n_fit"] = use.sum(axis=1)
    for name, values in (
        ("sw", w), ("swx", w * x), ("swxx", w * x * x), ("swy", w * y), ("swxy", w * x * y), ("swyy", w * y * y),
        ("swl", w * ly), ("swxl", w * x * ly), ("swll", w * ly * ly),
    ):  # fmt: skip
        c[name] = values.sum(axis=1)
