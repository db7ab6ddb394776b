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

STATUSES: tuple[str, ...] = (
    "achieved",
    "on_track",
    "acceleration_needed",
    "limited_progress",
    "deteriorating",
    "missed",
    "insufficient_data",
    "no_data",
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

# One row per target with everything the formulas need. Observations after the
# as-of date are ignored; of several figures for one period the one used is the
# figure without a scope note, then an exact one (=), then the latest published.
_SELECT = r"""
WITH picked AS (
    SELECT indicator, period, period_start, period_end, t, value, qualifier, scope,
           count(*) OVER (PARTITION BY indicator, period) AS figures,
           row_number() OVER (PARTITION BY indicator, period
                              ORDER BY (scope IS NULL) DESC, (qualifier = '=') DESC, published DESC NULLS LAST,
                                       source_file, value) AS pick
    FROM observations
    WHERE value IS NOT NULL AND period_end <= $as_of
), o AS (
    SELECT * FROM picked WHERE pick = 1
), tg AS (
    SELECT g.id, g.indicator, g.comparator, g.value AS target_value, g.unit, g.deadline, g.deadline_t,
           g.baseline_period, g.baseline_start, g.baseline_t, g.baseline_value, g.method AS chosen_method,
           p.issued_date, p.issued_t, i.measure, i."limit" AS ind_limit, i.name AS indicator_name,
           g.deadline < $as_of AS deadline_passed
    FROM targets g JOIN policies p ON p.id = g.policy_id JOIN indicators i ON i.id = g.indicator
), joined AS (
    -- Window: everything up to the as-of date; after a deadline, only figures up to it count for the trend.
    SELECT tg.*, o.period, o.period_start, o.period_end, o.t, o.value, o.qualifier, o.scope, o.figures,
           (NOT tg.deadline_passed OR o.period_end <= tg.deadline) AS in_window
    FROM tg LEFT JOIN o ON o.indicator = tg.indicator
), s1 AS (
    SELECT id,
        any_value(indicator) AS indicator, any_value(comparator) AS comparator,
        any_value(target_value) AS target_value, any_value(unit) AS unit, any_value(deadline) AS deadline,
        any_value(deadline_t) AS deadline_t, any_value(baseline_period) AS baseline_period,
        any_value(baseline_t) AS baseline_t, any_value(baseline_value) AS baseline_value,
        any_value(chosen_method) AS chosen_method, any_value(measure) AS measure, any_value(ind_limit) AS ind_limit,
        any_value(indicator_name) AS indicator_name, any_value(deadline_passed) AS deadline_passed,
        any_value(issued_t) AS issued_t,
        count(t) AS n_obs,
        max(t) FILTER (WHERE in_window) AS latest_t,
        arg_max(value, t) FILTER (WHERE in_window) AS latest_value,
        arg_max(qualifier, t) FILTER (WHERE in_window) AS latest_qualifier,
        arg_max(period, t) FILTER (WHERE in_window) AS latest_period,
        min(t) FILTER (WHERE period_end >= deadline) AS final_t,
        arg_min(value, t) FILTER (WHERE period_end >= deadline) AS final_value,
        arg_min(qualifier, t) FILTER (WHERE period_end >= deadline) AS final_qualifier,
        arg_min(period, t) FILTER (WHERE period_end >= deadline) AS final_period,
        min(t) FILTER (WHERE in_window AND period_start >= baseline_start) AS bp_t,
        arg_min(value, t) FILTER (WHERE in_window AND period_start >= baseline_start) AS bp_value,
        arg_min(period, t) FILTER (WHERE in_window AND period_start >= baseline_start) AS bp_period,
        max(t) FILTER (WHERE in_window AND t <= issued_t) AS before_t,
        arg_max(value, t) FILTER (WHERE in_window AND t <= issued_t) AS before_value,
        arg_max(period, t) FILTER (WHERE in_window AND t <= issued_t) AS before_period,
        min(t) FILTER (WHERE in_window AND t > issued_t) AS after_t,
        arg_min(value, t) FILTER (WHERE in_window AND t > issued_t) AS after_value,
        arg_min(period, t) FILTER (WHERE in_window AND t > issued_t) AS after_period
    FROM joined
    GROUP BY id
), s2 AS (
    SELECT s1.*,
        CASE WHEN baseline_value IS NOT NULL THEN baseline_t
             WHEN baseline_t IS NOT NULL THEN bp_t
             ELSE coalesce(before_t, after_t) END AS base_t,
        CASE WHEN baseline_value IS NOT NULL THEN baseline_value
             WHEN baseline_t IS NOT NULL THEN bp_value
             WHEN before_t IS NOT NULL THEN before_value ELSE after_value END AS base_value,
        CASE WHEN baseline_value IS NOT NULL THEN baseline_period
             WHEN baseline_t IS NOT NULL THEN bp_period
             WHEN before_t IS NOT NULL THEN before_period ELSE after_period END AS base_period
    FROM s1
), fit AS (
    -- Points from the base to the latest figure, weighted towards recent ones: w = 1 / (1 + years before latest).
    SELECT j.id,
        count(*) AS n_fit,
        bool_and(j.value > 0) AS all_positive,
        sum(w) AS sw, sum(w * x) AS swx, sum(w * x * x) AS swxx,
        sum(w * j.value) AS swy, sum(w * x * j.value) AS swxy, sum(w * j.value * j.value) AS swyy,
        sum(w * ly) AS swl, sum(w * x * ly) AS swxl, sum(w * ly * ly) AS swll,
        list(struct_pack(period := j.period, qualifier := j.qualifier, value := j.value) ORDER BY j.t)
            FILTER (WHERE j.qualifier <> '=') AS qualified,
        list(DISTINCT j.period) FILTER (WHERE j.figures > 1) AS conflicts,
        count(DISTINCT coalesce(j.scope, '')) AS scopes
    FROM (
        SELECT joined.id, joined.period, joined.qualifier, joined.value, joined.figures, joined.scope, joined.t,
               joined.t - s2.base_t AS x,
               1.0 / (1.0 + (s2.latest_t - joined.t)) AS w,
               CASE WHEN joined.value > 0 THEN ln(joined.value) END AS ly
        FROM joined JOIN s2 ON s2.id = joined.id
        WHERE joined.in_window AND joined.t >= s2.base_t AND joined.t <= s2.latest_t
    ) j
    GROUP BY j.id
)
SELECT s2.*, fit.* EXCLUDE (id)
FROM s2 LEFT JOIN fit ON fit.id = s2.id
ORDER BY s2.id
"""


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
    with np.errstate(divide="ignore", invalid="ignore"):
        cagr_i = np.where(two_points & positive, (latest_v / base_v) ** (1 / years_done) - 1, np.nan)
        cagr_t = np.where(positive & (years_total > 0), (target / base_v) ** (1 / years_total) - 1, np.nan)
        slope_i = np.where(two_points, (latest_v - base_v) / years_done, np.nan)
        slope_t = np.where(years_total > 0, (target - base_v) / years_total, np.nan)
    sign = np.where(base_v < 0, -1.0, 1.0)
    ratio = np.where(method == "cagr_ratio", _ratio(cagr_i, cagr_t, d, sign), _ratio(slope_i, slope_t, d, np.ones(n)))
    ratio = np.where(two_points, ratio, np.nan)

    latest_ok = satisfies(comparator, target, latest_v, latest_q)
    final_ok = satisfies(comparator, target, f("final_value"), final_q)
    status = np.select(
        [
            n_obs == 0,
            passed & has_final & final_ok,
            passed & has_final,
            latest_ok,
            np.isnan(latest_v),
            ~two_points | np.isnan(ratio),
        ],
        ["no_data", "achieved", "missed", "achieved", "no_data", "insufficient_data"],
        default=status_from_ratio(np.nan_to_num(ratio, nan=0.0)),
    )
    score = np.select(
        [status == "achieved", status == "missed", np.isin(status, ["insufficient_data", "no_data"])],
        [SCORE_ACHIEVED, SCORE_MISSED, np.nan],
        default=score_from_ratio(ratio),
    )

    # Projection to the deadline (this project's rule): a recency-weighted least-squares line through
    # the figures from the base to the latest, on the values (linear) or their logarithms (cagr_ratio),
    # with an 80% prediction interval from the residual spread; no interval from fewer than 3 points.
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
        slope = np.where(sxx > 1e-12, sxy / sxx, np.nan)
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
    limit = f("ind_limit")
    for arr in (projected, projected_low, projected_high):
        np.copyto(
            arr, np.clip(arr, 0, np.where(np.isnan(limit), np.inf, limit)), where=~np.isnan(arr) & ~np.isnan(limit)
        )
    needs_projection = ~np.isin(status, ["no_data"]) & ~(passed & has_final) & (years_left > 0)
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
            "indicator": df["indicator"],
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
    """One plain-English sentence on the status and its working."""
    unit = r.unit
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


def assess(con: duckdb.DuckDBPyConnection, as_of: date | None = None) -> pd.DataFrame:
    """Assess every target in the database as of a date (default today); one row per target."""
    as_of = as_of or date.today()
    cursor = con.cursor()
    try:
        raw = cursor.execute(_SELECT, {"as_of": as_of}).df()
    finally:
        cursor.close()
    return assess_frame(raw, as_of)


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
                f"{r.comparator} {format_value(r.target_value, r.unit)} by {_deadline(r)}",
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
