"""Per target: the base, latest and final figures, the counts behind the flags, and the sums of the projection fit."""

from __future__ import annotations

from datetime import date

import duckdb
import numpy as np
import pandas as pd

from tracker.assess.projection import FIT_POINTS, RECENCY_YEARS
from tracker.assess.series import _EPS, SERIES_SQL, T_MAX, T_MIN, TARGETS_SQL, Series, pick


def _fetch(con: duckdb.DuckDBPyConnection, as_of: date) -> tuple[pd.DataFrame, Series, np.ndarray]:
    """The targets, the series they read, and each target's series code."""
    cursor = con.cursor()
    try:
        df = cursor.execute(TARGETS_SQL, {"as_of": as_of}).df()
        # Text as Python objects: the per-target steps below read them one by one.
        df = df.astype({k: object for k, dtype in df.dtypes.items() if pd.api.types.is_string_dtype(dtype)})
        triples = list(zip(df["indicator"], df["coverage"], df["proxy_coverage"].fillna(""), strict=True))
        # One series per indicator and set of accepted coverages (the target's own, plus a declared proxy):
        # figures of other coverages never enter a target's trend.
        keys = sorted(set(triples))
        code_of = {key: n for n, key in enumerate(keys)}
        codes = pd.DataFrame.from_records(
            [(n, ind, cov, cov == own) for (ind, own, proxy), n in code_of.items() for cov in (own, proxy) if cov],
            columns=["code", "indicator", "coverage", "own"],
        ).astype({"code": "int64", "indicator": "string", "coverage": "string", "own": "bool"})
        cursor.register("codes", codes)
        series = Series(cursor.execute(SERIES_SQL, {"as_of": as_of}).fetchnumpy())
    finally:
        cursor.close()
    code = np.array([code_of[key] for key in triples], dtype=np.int64)
    return df, series, code


def pick_figures(con: duckdb.DuckDBPyConnection, as_of: date) -> pd.DataFrame:
    """Per target: base, latest and final figures, counts, and the sums of the projection fit."""
    df, series, code = _fetch(con, as_of)
    n = len(df)
    f = lambda c: df[c].to_numpy(dtype=float, na_value=np.nan)  # noqa: E731
    passed = df["deadline_passed"].to_numpy(dtype=bool)
    deadline_t = f("deadline_t")
    cut_t = np.where(passed, deadline_t, T_MAX)
    seg_start = series.find(code, np.full(n, T_MIN), "left")
    seg_end = series.find(code, np.full(n, T_MAX), "right")
    df["n_obs"] = seg_end - seg_start

    hi = series.find(code, cut_t + _EPS, "right") - 1
    latest, df["latest_t"], df["latest_value"], df["latest_qualifier"], df["latest_period"] = pick(
        series, hi, hi >= seg_start
    )
    fin = series.find(code, deadline_t - _EPS, "left")
    final, df["final_t"], df["final_value"], df["final_qualifier"], df["final_period"] = pick(
        series, fin, passed & (fin < seg_end)
    )
    df["latest_digits"], df["final_digits"] = series.published_digits(latest), series.published_digits(final)
    _pick_base(df, series, code, seg_start, seg_end, hi)
    lo, has_range = _range(df, series, code, seg_start, hi)
    _fit_sums(df, series, lo, hi, has_range)
    count = lambda c: c[hi + 1] - c[lo + 1] if len(series.t) else np.zeros(n, dtype=int)  # noqa: E731
    df["qualified"] = series.qualified_points(lo, hi)
    df["qualified_count"] = count(series.qualified_count)
    # The periods themselves are listed by the Data quality page (tracker.queries.conflicts).
    df["conflicting_period_count"] = count(series.conflict_count)
    # A change of coverage (to or from a declared proxy) counts from the figure after the base onwards.
    after_base = np.minimum(lo + 1, hi)
    df["scopes"] = 1 + (series.change_count[hi + 1] - series.change_count[after_base + 1] if len(series.t) else 0)
    return df


def _pick_base(
    df: pd.DataFrame, series: Series, code: np.ndarray, seg_start: np.ndarray, seg_end: np.ndarray, hi: np.ndarray
) -> None:
    """The base: an explicit value in the file; else the figure for the baseline period; else the last
    figure before the policy was issued; else the first one after."""
    n = len(df)
    f = lambda c: df[c].to_numpy(dtype=float, na_value=np.nan)  # noqa: E731
    issued_t, baseline_t = f("issued_t"), f("baseline_t")
    before = series.find(code, issued_t + _EPS, "right") - 1
    _, before_t, before_v, _, before_p = pick(series, before, (before >= seg_start) & (before <= hi))
    after = before + 1
    _, after_t, after_v, _, after_p = pick(series, after, (after < seg_end) & (after <= hi))
    start_days = (pd.to_datetime(df["baseline_start"]) - pd.Timestamp("1970-01-01")).dt.days.to_numpy(
        dtype=float, na_value=np.nan
    )
    pos = np.searchsorted(series.start_key, code * 1_000_000.0 + np.nan_to_num(start_days, nan=0.0), side="left")
    # A position past the end means no figure starts at or after the baseline period: there is no base.
    found = pos < len(series.by_start)
    pos = np.clip(pos, 0, max(len(series.by_start) - 1, 0))
    bp = series.by_start[pos] if len(series.by_start) else np.full(n, -1)
    bp_ok = ~np.isnan(start_days) & found & (bp >= seg_start) & (bp <= hi) & (bp < seg_end)
    _, bp_t, bp_v, _, bp_p = pick(series, bp, bp_ok)

    explicit = ~np.isnan(f("baseline_value"))
    by_period = ~np.isnan(baseline_t) & ~explicit
    use_before = ~explicit & ~by_period & ~np.isnan(before_t)
    df["base_t"] = np.select([explicit, by_period, use_before], [baseline_t, bp_t, before_t], default=after_t)
    df["base_value"] = np.select(
        [explicit, by_period, use_before], [f("baseline_value"), bp_v, before_v], default=after_v
    )
    periods = df["baseline_period"].to_numpy(dtype=object)
    df["base_period"] = np.where(explicit, periods, np.where(by_period, bp_p, np.where(use_before, before_p, after_p)))


def _range(
    df: pd.DataFrame, series: Series, code: np.ndarray, seg_start: np.ndarray, hi: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Rows (lo, hi] are the figures from the base to the latest."""
    base_t = df["base_t"].to_numpy(dtype=float)
    lo = np.where(np.isnan(base_t), hi, series.find(code, np.nan_to_num(base_t) - _EPS, "left") - 1)
    lo = np.maximum(lo, seg_start - 1)
    has_range = (hi >= seg_start) & (lo < hi)
    lo = np.where(has_range, lo, hi)
    df["all_positive"] = (
        (series.nonpositive_count[hi + 1] - series.nonpositive_count[lo + 1]) == 0 if len(series.t) else True
    )
    return lo, has_range


def _fit_sums(df: pd.DataFrame, series: Series, lo: np.ndarray, hi: np.ndarray, has_range: np.ndarray) -> None:
    """The weighted sums of the projection fit."""
    base_t = df["base_t"].to_numpy(dtype=float)
    # The projection fit: the FIT_POINTS most recent figures in (lo, hi], weighted towards the latest.
    rows = hi[:, None] - np.arange(FIT_POINTS)[None, :]
    use = (rows > lo[:, None]) & has_range[:, None]
    rows = np.clip(rows, 0, max(len(series.t) - 1, 0))
    if len(series.t):
        tt, yy = series.t[rows], series.value[rows]
    else:
        tt = yy = np.zeros(rows.shape)
    latest_t = df["latest_t"].to_numpy(dtype=float)
    x = np.where(use, tt - base_t[:, None], 0.0)
    w = np.where(use, np.exp(-(latest_t[:, None] - tt) / RECENCY_YEARS), 0.0)
    y = np.where(use, yy, 0.0)
    with np.errstate(all="ignore"):
        ly = np.where(use & (yy > 0), np.log(np.where(yy > 0, yy, 1.0)), 0.0)
    df["n_fit"] = use.sum(axis=1)
    for name, values in (
        ("sw", w), ("swx", w * x), ("swxx", w * x * x), ("swy", w * y), ("swxy", w * x * y), ("swyy", w * y * y),
        ("swl", w * ly), ("swxl", w * x * ly), ("swll", w * ly * ly),
    ):  # fmt: skip
        df[name] = values.sum(axis=1)
