"""The methods applied to every target at once: method choice, ratio, status, score, projection."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from tracker.assess.explain import explain
from tracker.assess.methods import FALLBACK, METHOD_BY_MEASURE, METHODS
from tracker.assess.projection import project
from tracker.assess.scoring import (
    SCORE_ACHIEVED,
    SCORE_MISSED,
    ratio_of,
    satisfies,
    score_from_ratio,
    status_from_ratio,
)
from tracker.model import JUDGED_KINDS


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
    needs_positive = np.isin(preferred, [m.name for m in METHODS.values() if m.needs_positive])
    fallback = needs_positive & ~positive & ~np.isnan(base_v) & ~np.isnan(latest_v)
    method = np.where(fallback, FALLBACK, preferred)

    years_done = latest_t - base_t
    years_total = deadline_t - base_t
    years_left = deadline_t - latest_t
    two_points = years_done > 0
    # The working shown to readers, in both terms whatever the method: change and growth a year.
    growth, change = METHODS["cagr_ratio"], METHODS["linear"]
    cagr_i = np.where(two_points & positive, growth.observed(base_v, latest_v, years_done), np.nan)
    cagr_t = np.where(positive & (years_total > 0), growth.required(base_v, target, years_total), np.nan)
    slope_i = np.where(two_points, change.observed(base_v, latest_v, years_done), np.nan)
    slope_t = np.where(years_total > 0, change.required(base_v, target, years_total), np.nan)
    ratio = np.full(n, np.nan)
    for m in METHODS.values():
        rows = method == m.name
        if not rows.any():
            continue
        sign = np.where(base_v < 0, -1.0, 1.0) if m.sign_from_base else np.ones(n)
        observed = m.observed(base_v, latest_v, years_done)
        required = m.required(base_v, target, years_total)
        ratio = np.where(rows, ratio_of(observed, required, d, sign), ratio)
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

    use_log = np.isin(method, [m.name for m in METHODS.values() if m.log_scale])
    sums = {k: f(k) for k in ("sw", "swx", "swxx", "swy", "swxy", "swyy", "swl", "swxl", "swll", "n_fit")}
    projected, projected_low, projected_high = project(sums, use_log, deadline_t - base_t)
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
            # The working, labelled by where it counts from: per year since the base, needed from the
            # base (the required path), and needed from the latest figure to the deadline.
            "pace_observed": slope_i,
            "pace_required_from_base": slope_t,
            "pace_needed_from_now": pace_needed,
            "growth_observed": cagr_i,
            "growth_required_from_base": cagr_t,
            "growth_needed_from_now": growth_needed,
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
    out["coverages_used"] = [
        [c for c in (r.coverage, r.proxy_coverage) if isinstance(c, str)] for r in out.itertuples(index=False)
    ]
    out["explanation"] = [explain(row) for row in out.itertuples(index=False)]
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
            row_flags.append("proxy_figures_used")
        if row.baseline_value is not None and not pd.isna(row.baseline_value):
            row_flags.append("base_value_from_target_file")
        flags.append(row_flags)
    return flags
