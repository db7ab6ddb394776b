"""Is each target on course, and why: statuses, scores, projections and their working.

Method (see the Methodology page and ``shared/notes/methodology.md`` §3):

* ``cagr_ratio`` (Statistics Canada / Open SDG): R = sign · d · CAGR_i / |CAGR_T|,
  with CAGR_i = (y_latest / y_base)^(1/(t_latest − t_base)) − 1 and
  CAGR_T = (target / y_base)^(1/(t_deadline − t_base)) − 1. d = +1 when the
  comparator wants more (>, >=), −1 when it wants less; sign = −1 when y_base < 0.
* ``linear``: R = d · slope_observed / |slope_required|, the same with absolute
  change per year, for counts and cumulative totals (and whenever a value is 0
  or negative, where growth rates mean nothing).
* Thresholds: R ≥ 0.95 on_track, 0.60 ≤ R < 0.95 acceleration_needed,
  0 ≤ R < 0.60 limited_progress, R < 0 deteriorating; "achieved" is tested first.
* Score on −5..5 (Open SDG's piecewise formula): 5/0.7·(R − 0.6) for R ≥ 0.6,
  5/1.2·(R + 0.6) − 5 below, clamped; achieved 5, missed −5.

All targets are assessed in one pass: a single DuckDB query picks, for every
target at once, its base, latest and final figures and the sums of a weighted
regression; the formulas then run on whole numpy columns.
"""

from __future__ import annotations

import json
import math
from datetime import date
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from tracker.formatting import format_change, format_deadline, format_value
from tracker.model import JUDGED_KINDS

STATUSES: tuple[str, ...] = (
    "achieved",
    "on_track",
    "acceleration_needed",
    "limited_progress",
    "deteriorating",
    "missed",
    "insufficient_data",
    "no_data",
    "not_assessed",
)
STATUS_LABELS = {
    "achieved": "Achieved",
    "on_track": "On track",
    "acceleration_needed": "Acceleration needed",
    "limited_progress": "Limited progress",
    "deteriorating": "Deteriorating",
    "missed": "Missed",
    "insufficient_data": "Insufficient data",
    "no_data": "No data",
    "not_assessed": "Not assessed",
}
ON_TRACK = 0.95
ACCELERATION = 0.60
LIMITED = 0.0
SCORE_MAX, SCORE_MIN = 5.0, -5.0
SCORE_ACHIEVED, SCORE_MISSED = 5.0, -5.0
# Open SDG's anchors: R = -0.6 -> -5, 0 -> -2.5, 0.6 -> 0, 0.95 -> 2.5, 1.3 -> 5.
SCORE_UPPER_SLOPE = 5 / 0.7
SCORE_LOWER_SLOPE = 5 / 1.2
PROJECTION_LEVEL = 0.80
# Two-sided 80% prediction interval: Student's t 0.90 quantile by degrees of freedom.
T_90 = {1: 3.078, 2: 1.886, 3: 1.638, 4: 1.533, 5: 1.476, 6: 1.440, 7: 1.415, 8: 1.397, 9: 1.383, 10: 1.372,
        12: 1.356, 15: 1.341, 20: 1.325, 30: 1.310, 60: 1.296}  # fmt: skip
Z_90 = 1.2816
METHOD_BY_MEASURE = {"rate": "cagr_ratio", "level": "cagr_ratio", "count": "linear", "cumulative": "linear"}
RECORD_FIELDS: tuple[str, ...] = (
    "id", "status", "method", "score", "ratio", "latest_value", "latest_period", "base_value", "base_period",
    "target_value", "comparator", "deadline", "projected_value", "projected_low", "projected_high", "flags",
    "explanation",
)  # fmt: skip

RECENCY_YEARS = 3.0
"""Projection weights: a figure's weight falls by a factor e for every 3 years it lies before the latest."""
FIT_POINTS = 6
"""The projection is fitted to at most this many figures: the most recent ones since the base."""
QUALIFIER_CODES = ("=", ">", ">=", "<", "<=", "~")
KIND_CODES = ("year", "quarter", "month", "day")
_EPS = 1e-9

_TARGETS_SQL = """
SELECT g.id, g.kind, g.wording, g.indicator, g.coverage, g.proxy_coverage, g.comparator, g.value AS target_value,
       g.unit, g.deadline, g.deadline_t,
       g.baseline_period, g.baseline_start, g.baseline_t, g.baseline_value, g.method AS chosen_method,
       p.issued_t, i.measure, i."limit" AS ind_limit, i.name AS indicator_name,
       coalesce(g.deadline < $as_of, false) AS deadline_passed,
       (SELECT count(*) FROM observations o
        WHERE o.indicator = g.indicator AND o.value IS NOT NULL AND o.period_end <= $as_of
          AND o.coverage <> g.coverage AND o.coverage IS DISTINCT FROM g.proxy_coverage) AS other_coverage_figures
FROM targets g JOIN policies p ON p.id = g.policy_id JOIN indicators i ON i.id = g.indicator
ORDER BY g.id
"""

# Every figure up to the as-of date, as numbers, sorted by indicator and time; within one period
# the figure to use comes first: the target's own coverage before a proxy, then exact (=), then
# latest published, file, value.
_SERIES_SQL = """
SELECT c.code, o.t, o.value,
       CASE o.qualifier WHEN '=' THEN 0 WHEN '>' THEN 1 WHEN '>=' THEN 2 WHEN '<' THEN 3 WHEN '<=' THEN 4
                        ELSE 5 END::TINYINT AS q,
       coalesce(hash(o.coverage), 0) AS scope_hash,
       CASE o.period_kind WHEN 'year' THEN 0 WHEN 'quarter' THEN 1 WHEN 'month' THEN 2 ELSE 3 END::TINYINT AS kind,
       (o.period_start - DATE '1970-01-01')::INTEGER AS start
FROM observations o JOIN codes c ON c.indicator = o.indicator AND c.coverage = o.coverage
WHERE o.value IS NOT NULL AND o.period_end <= $as_of
ORDER BY c.code, o.t, kind, c.own DESC, (o.qualifier = '=') DESC, o.published DESC NULLS LAST,
         o.source_file, o.value
"""


def _period_text(kind: int, start_days: int) -> str:
    day = date.fromordinal(date(1970, 1, 1).toordinal() + int(start_days))
    name = KIND_CODES[kind]
    if name == "year":
        return f"{day.year:04d}"
    if name == "quarter":
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    if name == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


class _Series:
    """The figures of every indicator, one per period, sorted by indicator and time."""

    def __init__(self, raw: dict[str, np.ndarray]) -> None:
        code, t, kind = raw["code"], raw["t"], raw["kind"]
        n = len(t)
        first = np.ones(n, dtype=bool)
        if n:
            first[1:] = (code[1:] != code[:-1]) | (t[1:] != t[:-1]) | (kind[1:] != kind[:-1])
        starts = np.flatnonzero(first)
        self.figures = np.diff(np.append(starts, n))
        self.code = code[first].astype(np.int64)
        self.t = t[first]
        self.value = raw["value"][first]
        self.q = raw["q"][first]
        self.kind = kind[first]
        self.start = raw["start"][first].astype(np.int64)
        scope = raw["scope_hash"][first]
        self.key = self.code * 1000.0 + (self.t - 1900.0)
        m = len(self.t)
        changed = np.zeros(m, dtype=bool)
        if m:
            changed[1:] = (self.code[1:] == self.code[:-1]) & (scope[1:] != scope[:-1])
        # Running counts (exact integers) of the rows a target's range must list or flag.
        pad = lambda a: np.concatenate([[0], np.cumsum(a)])  # noqa: E731
        self.qualified_count = pad(self.q != 0)
        self.conflict_count = pad(self.figures > 1)
        self.change_count = pad(changed)
        self.nonpositive_count = pad(self.value <= 0)
        order = np.lexsort((self.t, self.start, self.code))
        self.by_start = order
        self.start_key = self.code[order] * 1_000_000.0 + self.start[order]

    def find(self, codes: np.ndarray, t: np.ndarray, side: str) -> np.ndarray:
        return np.searchsorted(self.key, codes * 1000.0 + (np.clip(t, 1900.0, 2899.0) - 1900.0), side=side)

    def period(self, idx: np.ndarray) -> list[str | None]:
        return [_period_text(self.kind[i], self.start[i]) if i >= 0 else None for i in idx]


def _pick(series: _Series, idx: np.ndarray, valid: np.ndarray) -> tuple[np.ndarray, ...]:
    """t, value, qualifier and period of the rows at ``idx`` (-1 / NaN where not valid)."""
    idx = np.where(valid, idx, -1)
    safe = np.clip(idx, 0, max(len(series.t) - 1, 0))
    if len(series.t) == 0:
        nan = np.full(len(idx), np.nan)
        return idx, nan, nan, np.full(len(idx), None, dtype=object), [None] * len(idx)
    t = np.where(valid, series.t[safe], np.nan)
    value = np.where(valid, series.value[safe], np.nan)
    qualifier = np.where(valid, np.array(QUALIFIER_CODES, dtype=object)[series.q[safe]], None)
    return idx, t, value, qualifier, series.period(idx)


def _lists(series: _Series, lo: np.ndarray, hi: np.ndarray, counts: np.ndarray, which: str) -> list[list]:
    """For each target, the qualified figures or the periods with several figures in rows (lo, hi]."""
    out: list[list] = [[] for _ in range(len(lo))]
    for i in np.flatnonzero(counts > 0):
        rows = np.arange(lo[i] + 1, hi[i] + 1)
        if which == "qualified":
            rows = rows[series.q[rows] != 0]
            out[i] = [
                {"period": p, "qualifier": QUALIFIER_CODES[series.q[r]], "value": float(series.value[r])}
                for r, p in zip(rows, series.period(rows), strict=True)
            ]
        else:
            out[i] = series.period(rows[series.figures[rows] > 1])
    return out


def _picks(con: duckdb.DuckDBPyConnection, as_of: date) -> pd.DataFrame:
    """Per target: base, latest and final figures, counts, and the sums of the projection fit."""
    cursor = con.cursor()
    try:
        df = cursor.execute(_TARGETS_SQL, {"as_of": as_of}).df()
        # One series per indicator and set of accepted coverages (the target's own, plus a declared proxy):
        # figures of other coverages never enter a target's trend.
        keys = sorted({(r.indicator, r.coverage, r.proxy_coverage or "") for r in df.itertuples(index=False)})
        code_of = {key: n for n, key in enumerate(keys)}
        codes = pd.DataFrame.from_records(
            [(n, ind, cov, cov == own) for (ind, own, proxy), n in code_of.items() for cov in (own, proxy) if cov],
            columns=["code", "indicator", "coverage", "own"],
        ).astype({"code": "int64", "indicator": "string", "coverage": "string", "own": "bool"})
        cursor.register("codes", codes)
        series = _Series(cursor.execute(_SERIES_SQL, {"as_of": as_of}).fetchnumpy())
    finally:
        cursor.close()
    n = len(df)
    code = np.array(
        [code_of[(r.indicator, r.coverage, r.proxy_coverage or "")] for r in df.itertuples(index=False)],
        dtype=np.int64,
    )
    f = lambda c: df[c].to_numpy(dtype=float, na_value=np.nan)  # noqa: E731
    passed = df["deadline_passed"].to_numpy(dtype=bool)
    deadline_t, issued_t, baseline_t = f("deadline_t"), f("issued_t"), f("baseline_t")
    cut_t = np.where(passed, deadline_t, 2899.0)
    seg_start = series.find(code, np.full(n, 1900.0), "left")
    seg_end = series.find(code, np.full(n, 2899.0), "right")
    df["n_obs"] = seg_end - seg_start

    hi = series.find(code, cut_t + _EPS, "right") - 1
    idx, df["latest_t"], df["latest_value"], df["latest_qualifier"], df["latest_period"] = _pick(
        series, hi, hi >= seg_start
    )
    fin = series.find(code, deadline_t - _EPS, "left")
    _, df["final_t"], df["final_value"], df["final_qualifier"], df["final_period"] = _pick(
        series, fin, passed & (fin < seg_end)
    )
    before = series.find(code, issued_t + _EPS, "right") - 1
    _, before_t, before_v, _, before_p = _pick(series, before, (before >= seg_start) & (before <= hi))
    after = before + 1
    _, after_t, after_v, _, after_p = _pick(series, after, (after < seg_end) & (after <= hi))
    start_days = (pd.to_datetime(df["baseline_start"]) - pd.Timestamp("1970-01-01")).dt.days.to_numpy(
        dtype=float, na_value=np.nan
    )
    pos = np.searchsorted(series.start_key, code * 1_000_000.0 + np.nan_to_num(start_days, nan=0.0), side="left")
    pos = np.clip(pos, 0, max(len(series.by_start) - 1, 0))
    bp = series.by_start[pos] if len(series.by_start) else np.full(n, -1)
    bp_ok = ~np.isnan(start_days) & (len(series.t) > 0) & (bp >= seg_start) & (bp <= hi) & (bp < seg_end)
    _, bp_t, bp_v, _, bp_p = _pick(series, bp, bp_ok)

    explicit = ~np.isnan(f("baseline_value"))
    by_period = ~np.isnan(baseline_t) & ~explicit
    use_before = ~explicit & ~by_period & ~np.isnan(before_t)
    df["base_t"] = np.select([explicit, by_period, use_before], [baseline_t, bp_t, before_t], default=after_t)
    df["base_value"] = np.select(
        [explicit, by_period, use_before], [f("baseline_value"), bp_v, before_v], default=after_v
    )
    periods = df["baseline_period"].to_numpy(dtype=object)
    df["base_period"] = [
        periods[i] if explicit[i] else bp_p[i] if by_period[i] else before_p[i] if use_before[i] else after_p[i]
        for i in range(n)
    ]

    # Rows (lo, hi] are the figures from the base to the latest.
    base_t = df["base_t"].to_numpy(dtype=float)
    lo = np.where(np.isnan(base_t), hi, series.find(code, np.nan_to_num(base_t) - _EPS, "left") - 1)
    lo = np.maximum(lo, seg_start - 1)
    has_range = (hi >= seg_start) & (lo < hi)
    lo = np.where(has_range, lo, hi)
    df["all_positive"] = (
        (series.nonpositive_count[hi + 1] - series.nonpositive_count[lo + 1]) == 0 if len(series.t) else True
    )

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

    count = lambda c: c[hi + 1] - c[lo + 1] if len(series.t) else np.zeros(n, dtype=int)  # noqa: E731
    df["qualified"] = _lists(series, lo, hi, count(series.qualified_count), "qualified")
    df["conflicts"] = _lists(series, lo, hi, count(series.conflict_count), "conflicts")
    # A change of scope counts from the figure after the base onwards.
    after_base = np.minimum(lo + 1, hi)
    df["scopes"] = 1 + (series.change_count[hi + 1] - series.change_count[after_base + 1] if len(series.t) else 0)
    return df


def _t_quantile(df: np.ndarray) -> np.ndarray:
    keys = np.array(sorted(T_90))
    values = np.array([T_90[k] for k in keys])
    out = np.full(df.shape, np.nan)
    ok = df >= 1
    idx = np.searchsorted(keys, np.where(ok, df, 1), side="right") - 1
    out[ok] = values[np.clip(idx[ok], 0, len(keys) - 1)]
    out[ok & (df > keys[-1])] = Z_90
    return out


def satisfies(comparator: np.ndarray, target: np.ndarray, value: np.ndarray, qualifier: np.ndarray) -> np.ndarray:
    """Whether a figure (with its qualifier) meets the target, elementwise.

    "> 26" means the true value is above 26, so it meets ">= 26" and "> 26";
    "~ 60" and "= 60" count as 60; "< 5" meets "< 5" and "<= 5".
    """
    exact = np.isin(qualifier, ["=", "~"]) | pd.isna(qualifier)
    above = qualifier == ">"
    at_least = qualifier == ">="
    below = qualifier == "<"
    at_most = qualifier == "<="
    with np.errstate(invalid="ignore"):
        ge = value >= target
        gt = value > target
        le = value <= target
        lt = value < target
        close = np.isclose(value, target, rtol=1e-9, atol=0)
    result = np.select(
        [comparator == ">", comparator == ">=", comparator == "<", comparator == "<=", comparator == "=="],
        [
            (exact & gt) | (above & ge) | (at_least & gt),
            (exact & ge) | ((above | at_least) & ge),
            (exact & lt) | (below & le) | (at_most & lt),
            (exact & le) | ((below | at_most) & le),
            exact & close,
        ],
        default=False,
    )
    return result & ~pd.isna(value)


def score_from_ratio(ratio: np.ndarray) -> np.ndarray:
    """Open SDG's piecewise score on -5..5 (NaN where there is no ratio)."""
    with np.errstate(invalid="ignore"):
        upper = np.minimum(SCORE_UPPER_SLOPE * (ratio - ACCELERATION), SCORE_MAX)
        lower = np.maximum(SCORE_LOWER_SLOPE * (ratio + ACCELERATION) - 5, SCORE_MIN)
        return np.where(ratio >= ACCELERATION, upper, lower)


def status_from_ratio(ratio: np.ndarray) -> np.ndarray:
    return np.select(
        [ratio >= ON_TRACK, ratio >= ACCELERATION, ratio >= LIMITED, ratio < LIMITED],
        ["on_track", "acceleration_needed", "limited_progress", "deteriorating"],
        default="insufficient_data",
    )


def _ratio(observed: np.ndarray, required: np.ndarray, d: np.ndarray, sign: np.ndarray) -> np.ndarray:
    """sign · d · observed / |required|, with a required change of 0 read as: any move the right way is enough."""
    with np.errstate(all="ignore"):
        r = sign * d * observed / np.abs(required)
        zero = np.isclose(required, 0.0)
        moved = sign * d * observed
        return np.where(zero, np.sign(moved) * np.inf, r)


def assess_frame(raw: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Apply the methods to the per-target rows of the assessment query (whole columns at once)."""
    df = raw.copy()
    n = len(df)
    f = lambda c: df[c].to_numpy(dtype=float, na_value=np.nan)  # noqa: E731
    target = f("target_value")
    comparator = df["comparator"].to_numpy(dtype=object)
    wants_more = np.isin(comparator, [">", ">="])
    wants_less = np.isin(comparator, ["<", "<="])
    base_v, base_t = f("base_value"), f("base_t")
    latest_v, latest_t = f("latest_value"), f("latest_t")
    deadline_t = f("deadline_t")
    d = np.where(
        wants_more, 1.0, np.where(wants_less, -1.0, np.sign(np.nan_to_num(target - base_v)) + (target == base_v))
    )
    n_obs = df["n_obs"].to_numpy(dtype=float, na_value=0)
    passed = df["deadline_passed"].to_numpy(dtype=bool)
    has_final = ~np.isnan(f("final_t"))
    latest_q = df["latest_qualifier"].to_numpy(dtype=object)
    final_q = df["final_qualifier"].to_numpy(dtype=object)

    # Method: chosen in the target file, else by what the indicator measures; growth rates
    # need positive values, so a series with a zero or negative value is assessed linearly.
    preferred = df["chosen_method"].fillna(df["measure"].map(METHOD_BY_MEASURE)).to_numpy(dtype=object)
    positive = (base_v > 0) & (latest_v > 0) & (target > 0) & df["all_positive"].fillna(False).to_numpy(dtype=bool)
    fallback = (preferred == "cagr_ratio") & ~positive & ~np.isnan(base_v) & ~np.isnan(latest_v)
    method = np.where(fallback, "linear", preferred)

    years_done = latest_t - base_t
    years_total = deadline_t - base_t
    years_left = deadline_t - latest_t
    two_points = years_done > 0
    with np.errstate(all="ignore"):
        cagr_i = np.where(two_points & positive, (latest_v / base_v) ** (1 / years_done) - 1, np.nan)
        cagr_t = np.where(positive & (years_total > 0), (target / base_v) ** (1 / years_total) - 1, np.nan)
        slope_i = np.where(two_points, (latest_v - base_v) / years_done, np.nan)
        slope_t = np.where(years_total > 0, (target - base_v) / years_total, np.nan)
    sign = np.where(base_v < 0, -1.0, 1.0)
    ratio = np.where(method == "cagr_ratio", _ratio(cagr_i, cagr_t, d, sign), _ratio(slope_i, slope_t, d, np.ones(n)))
    ratio = np.where(two_points, ratio, np.nan)

    latest_ok = satisfies(comparator, target, latest_v, latest_q)
    final_ok = satisfies(comparator, target, f("final_value"), final_q)
    judged = np.isin(df["kind"].to_numpy(dtype=object), JUDGED_KINDS)
    status = np.select(
        [
            ~judged,
            n_obs == 0,
            passed & has_final & final_ok,
            passed & has_final,
            latest_ok,
            np.isnan(latest_v),
            ~two_points | np.isnan(ratio),
        ],
        ["not_assessed", "no_data", "achieved", "missed", "achieved", "no_data", "insufficient_data"],
        default=status_from_ratio(np.nan_to_num(ratio, nan=0.0)),
    )
    score = np.select(
        [status == "achieved", status == "missed", np.isin(status, ["insufficient_data", "no_data", "not_assessed"])],
        [SCORE_ACHIEVED, SCORE_MISSED, np.nan],
        default=score_from_ratio(ratio),
    )

    # Projection to the deadline (this project's rule): a least-squares line through the figures
    # from the base to the latest, weighted towards recent ones (weight e^(t / RECENCY_YEARS)), on the
    # values (linear) or their logarithms (cagr_ratio), with an 80% prediction interval from the
    # residual spread; no interval from fewer than 3 points.
    use_log = method == "cagr_ratio"
    sw, swx, swxx = f("sw"), f("swx"), f("swxx")
    swy = np.where(use_log, f("swl"), f("swy"))
    swxy = np.where(use_log, f("swxl"), f("swxy"))
    swyy = np.where(use_log, f("swll"), f("swyy"))
    n_fit = f("n_fit")
    with np.errstate(all="ignore"):
        x_mean, y_mean = swx / sw, swy / sw
        sxx = swxx - swx * x_mean
        sxy = swxy - swx * y_mean
        syy = swyy - swy * y_mean
        # Centring the running totals on the base loses a few digits; a spread below one part in
        # a billion of the weights is a single point in time.
        slope = np.where((n_fit >= 2) & (sxx > 1e-9 * sw), sxy / sxx, np.nan)
        x0 = deadline_t - base_t
        fitted = y_mean + slope * (x0 - x_mean)
        dof = n_fit - 2
        # Weights are rescaled to sum to the number of points for the residual variance.
        sse = np.maximum(syy - slope * sxy, 0.0) * n_fit / sw
        s2 = np.where(dof >= 1, sse / dof, np.nan)
        se = np.sqrt(s2 * (1 + 1 / n_fit + (x0 - x_mean) ** 2 / (sxx * n_fit / sw)))
        half = _t_quantile(np.nan_to_num(dof, nan=0.0)) * se
        low, high = fitted - half, fitted + half
        projected = np.where(use_log, np.exp(fitted), fitted)
        projected_low = np.where(use_log, np.exp(low), low)
        projected_high = np.where(use_log, np.exp(high), high)
    # A projection never leaves the range the series can take: not below 0 for a series that has
    # only been positive, not above the indicator's limit (100 for a percentage).
    limit = np.where(np.isnan(f("ind_limit")), np.inf, f("ind_limit"))
    floor = np.where(df["all_positive"].fillna(False).to_numpy(dtype=bool), 0.0, -np.inf)
    for arr in (projected, projected_low, projected_high):
        np.copyto(arr, np.clip(arr, floor, limit), where=~np.isnan(arr))
    needs_projection = judged & ~np.isin(status, ["no_data"]) & ~(passed & has_final) & (years_left > 0)
    projected = np.where(needs_projection, projected, np.nan)
    projected_low = np.where(needs_projection, projected_low, np.nan)
    projected_high = np.where(needs_projection, projected_high, np.nan)
    with np.errstate(all="ignore"):
        pace_needed = np.where(years_left > 0, (target - latest_v) / years_left, np.nan)
        growth_needed = np.where(
            (years_left > 0) & (latest_v > 0) & (target > 0), (target / latest_v) ** (1 / years_left) - 1, np.nan
        )

    out = pd.DataFrame(
        {
            "id": df["id"],
            "kind": df["kind"],
            "wording": df["wording"],
            "judged": judged,
            "indicator": df["indicator"],
            "coverage": df["coverage"],
            "proxy_coverage": df["proxy_coverage"],
            "other_coverage_figures": df["other_coverage_figures"].fillna(0).astype(int),
            "indicator_name": df["indicator_name"],
            "unit": df["unit"],
            "status": status,
            "method": method,
            "score": score,
            "ratio": ratio,
            "latest_value": latest_v,
            "latest_period": df["latest_period"],
            "latest_qualifier": df["latest_qualifier"],
            "measure": df["measure"],
            "base_value": base_v,
            "base_period": df["base_period"],
            "base_t": base_t,
            "latest_t": latest_t,
            "deadline_t": deadline_t,
            "target_value": target,
            "comparator": comparator,
            "deadline": df["deadline"],
            "projected_value": projected,
            "projected_low": projected_low,
            "projected_high": projected_high,
            "pace_observed": slope_i,
            "pace_needed": pace_needed,
            "growth_needed": growth_needed,
            "cagr_observed": cagr_i,
            "cagr_required": cagr_t,
            "slope_required": slope_t,
            "final_value": f("final_value"),
            "final_period": df["final_period"],
            "final_qualifier": df["final_qualifier"],
            "points": df["n_fit"].fillna(0).astype(int),
        }
    )
    out["flags"] = _flags(df, passed, has_final, fallback, status)
    out["qualified_points"] = [_plain(q) for q in df["qualified"]]
    out["conflicting_periods"] = [_plain(c) for c in df["conflicts"]]
    out["explanation"] = [_explain(row) for row in out.itertuples(index=False)]
    out["as_of"] = as_of
    return out


def _plain(value: Any) -> list:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return []
    return [dict(v) if isinstance(v, dict) else v for v in list(value)]


def _flags(df: pd.DataFrame, passed, has_final, fallback, status) -> list[list[str]]:
    flags: list[list[str]] = []
    for i, row in enumerate(df.itertuples(index=False)):
        row_flags = []
        if passed[i] and not has_final[i] and status[i] != "no_data":
            row_flags.append("awaiting_final_data")
        if fallback[i]:
            row_flags.append("linear_because_not_positive")
        if len(_plain(row.qualified)):
            row_flags.append("qualified_figures")
        if len(_plain(row.conflicts)):
            row_flags.append("conflicting_figures")
        if not pd.isna(row.scopes) and row.scopes > 1:
            row_flags.append("scope_changes")
        if row.baseline_value is not None and not pd.isna(row.baseline_value):
            row_flags.append("base_value_from_target_file")
        flags.append(row_flags)
    return flags


_QUALIFIER_WORDS = {">": "more than ", ">=": "at least ", "<": "less than ", "<=": "at most ", "~": "about "}
_SERIES_WORD = {"rate": "the rate", "level": "the figure", "count": "the count", "cumulative": "the total"}


def _deadline(r: Any) -> str:
    return format_deadline(pd.Timestamp(r.deadline).date())


def _lower_first(name: str) -> str:
    """'Product pilots' -> 'product pilots', but 'CNC rate' stays as it is."""
    return name[0].lower() + name[1:] if len(name) > 1 and name[1].islower() else name


def _figure(value: float, qualifier: Any, unit: str) -> str:
    word = _QUALIFIER_WORDS.get(qualifier, "") if isinstance(qualifier, str) else ""
    return word + format_value(value, unit)


def _explain(r: Any) -> str:
    """One plain-English sentence on the status and its working (and on figures left out for their coverage)."""
    sentence = _explain_status(r)
    if r.status in ("no_data", "insufficient_data") and r.other_coverage_figures:
        count = r.other_coverage_figures
        sentence += (
            f" {count} figure{'s' if count > 1 else ''} of other coverages {'are' if count > 1 else 'is'} "
            "not comparable and not used."
        )
    return sentence


def _explain_status(r: Any) -> str:
    unit = r.unit
    if r.kind == "reference":
        level = format_value(r.target_value, unit)
        latest = (
            "no figure yet"
            if pd.isna(r.latest_value)
            else (f"the latest figure is {_figure(r.latest_value, r.latest_qualifier, unit)} ({r.latest_period})")
        )
        return f"A reference level of {level} to watch, not a target that a document sets; {latest}."
    if r.kind == "interpreted":
        latest = (
            "no figure has been published yet"
            if pd.isna(r.latest_value)
            else (f"the latest figure is {_figure(r.latest_value, r.latest_qualifier, unit)} ({r.latest_period})")
        )
        return (
            f"The document gives words, not a number (\u201c{r.wording}\u201d); this file reads them as "
            f"{r.comparator} {format_value(r.target_value, unit)} by {_deadline(r)}, and {latest}. "
            "No status is given for a reading."
        )
    target = f"{r.comparator} {format_value(r.target_value, unit)}"
    deadline = _deadline(r)
    latest = _figure(r.latest_value, r.latest_qualifier, unit)
    waiting = "awaiting_final_data" in r.flags
    if r.status == "no_data":
        return (
            f"No figure has been published yet for {_lower_first(r.indicator_name)}, "
            f"so progress towards {target} by {deadline} cannot be judged."
        )
    if r.status in ("missed", "achieved") and isinstance(r.final_period, str):
        verb = "met" if r.status == "achieved" else "fell short of"
        final = _figure(r.final_value, r.final_qualifier, unit)
        return f"The figure for {r.final_period}, {final}, {verb} the {target} target due by {deadline}."
    if r.status == "achieved":
        sentence = (
            f"The latest figure, {latest} ({r.latest_period}), already meets the {target} target due by {deadline}"
        )
        return sentence + ("; the figure for the deadline itself is not out yet." if waiting else ".")
    if r.status == "insufficient_data":
        return (
            f"Only one usable figure so far ({latest} in {r.latest_period}); a trend towards {target} by {deadline} "
            "needs at least two."
        )
    pace = format_change(r.pace_observed, unit)
    if waiting:
        return (
            f"No figure for the deadline ({deadline}) is out yet; the latest, {latest} ({r.latest_period}), "
            f"moved {pace} a year since {r.base_period}, against the {target} target."
        )
    growth = r.method == "cagr_ratio" and not pd.isna(r.cagr_observed)
    pace_text = f"{pace} a year" + (f", growth of {r.cagr_observed:.1%} a year" if growth else "")
    sentence = f"At the pace since {r.base_period} ({pace_text})"
    if not pd.isna(r.projected_value):
        reaches = format_value(r.projected_value, unit)
        meets = satisfies(
            np.array([r.comparator]), np.array([r.target_value]), np.array([r.projected_value]), np.array(["="])
        )[0]
        verdict = "meeting" if meets else "short of"
        series = _SERIES_WORD.get(r.measure, "the figure")
        sentence += f" {series} reaches {reaches} by {deadline}, {verdict} the {target} target"
    else:
        sentence += f" the latest figure is {latest} ({r.latest_period}), against the {target} target due by {deadline}"
    if not pd.isna(r.pace_needed):
        needed = f"{format_change(r.pace_needed, unit)} a year"
        if growth and not pd.isna(r.growth_needed):
            needed = f"growth of {r.growth_needed:.1%} a year ({needed})"
        sentence += f"; it needs {needed} from now"
    return sentence + "."


# Open SDG method 1 (no target): thresholds on sign · d · CAGR, scaled by the limit factor C.
NO_TARGET_HIGH, NO_TARGET_MED = 0.015, 0.005
LIMIT_EXPONENT = 4.44


def progress_without_target(
    base: np.ndarray, latest: np.ndarray, years: np.ndarray, direction: np.ndarray, limit: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Status and score of a series with no target (Open SDG method 1), for indicator trends.

    direction is +1 when higher is better, -1 when lower is better; limit is the
    natural ceiling (NaN for none), which shrinks the thresholds near it.
    """
    with np.errstate(all="ignore"):
        cagr = (latest / base) ** (1 / years) - 1
        v = np.where(base < 0, -1.0, 1.0) * direction * cagr
        below = base / limit
        above = (2 * limit - base) / limit
        c = np.where(
            np.isnan(limit),
            1.0,
            np.where(base <= limit, 1 - below**LIMIT_EXPONENT, 1 - above**LIMIT_EXPONENT),
        )
        high, med = NO_TARGET_HIGH * c, NO_TARGET_MED * c
        status = np.select([v >= high, v >= med, v >= 0, v < 0],
                           ["on_track", "acceleration_needed", "limited_progress", "deteriorating"],
                           default="insufficient_data")  # fmt: skip
        score = np.select(
            [v < 0, c == 0, v >= high, v >= med],
            [
                np.maximum(125 * v - 2.5, SCORE_MIN),
                SCORE_MAX,
                np.minimum(500 * v / c - 5, SCORE_MAX),
                250 * v / c - 1.25,
            ],
            default=500 * v / c - 2.5,
        )
    return status, score


def assess(con: duckdb.DuckDBPyConnection, as_of: date | None = None) -> pd.DataFrame:
    """Assess every target in the database as of a date (default today); one row per target."""
    as_of = as_of or date.today()
    return assess_frame(_picks(con, as_of), as_of)


def records(assessed: pd.DataFrame) -> list[dict[str, Any]]:
    """The status records of ``python -m tracker status``: plain JSON-able values."""
    out = []
    for row in assessed.to_dict("records"):
        record = {}
        for key in RECORD_FIELDS:
            value = row[key]
            if isinstance(value, float) and math.isnan(value):
                value = None
            elif isinstance(value, (pd.Timestamp, date)):
                value = pd.Timestamp(value).date().isoformat()
            elif isinstance(value, np.generic):
                value = value.item()
            record[key] = value
        record["qualified_points"] = row["qualified_points"]
        out.append(record)
    return out


def to_json(assessed: pd.DataFrame) -> str:
    return json.dumps(records(assessed), ensure_ascii=False, indent=2, default=str)


def status_table(assessed: pd.DataFrame) -> str:
    """A plain-text table for the terminal: id, status, latest, target, projection; then the explanations."""
    rows = [("target", "status", "score", "latest", "target value", "projected")]
    for r in assessed.itertuples(index=False):
        rows.append(
            (
                r.id,
                STATUS_LABELS[r.status] + (" *" if "awaiting_final_data" in r.flags else ""),
                "" if pd.isna(r.score) else f"{r.score:+.1f}",
                ""
                if pd.isna(r.latest_value)
                else f"{_figure(r.latest_value, r.latest_qualifier, r.unit)} ({r.latest_period})",
                " ".join(
                    part
                    for part in (
                        r.comparator if isinstance(r.comparator, str) else "",
                        format_value(r.target_value, r.unit),
                        f"by {_deadline(r)}" if not pd.isna(r.deadline) else "",
                    )
                    if part
                ),
                "" if pd.isna(r.projected_value) else format_value(r.projected_value, r.unit),
            )
        )
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append("")
    as_of = assessed["as_of"].iloc[0] if len(assessed) else ""
    lines.append(f"* deadline passed, figure for it not out yet. Assessed as of {as_of}.")
    lines += [f"{r.id}: {r.explanation}" for r in assessed.itertuples(index=False)]
    return "\n".join(lines)
