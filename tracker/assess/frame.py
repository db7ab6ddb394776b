"""The methods applied to every target at once: method choice, ratio, status, score, projection.

Each step reads whole numpy columns and adds its own; ``assess_columns`` runs them in order.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from tracker.assess.columns import Columns, Later, lazily, object_column
from tracker.assess.explain import explanations
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
from tracker.periods import date_to_t
from tracker.status import AWAITING, TREND_STATUSES
from tracker.vocabulary import JUDGED_KINDS, STALE_LIMIT_DAYS

UNSCORED = ("insufficient_data", "no_data", "not_assessed", AWAITING)


def _inputs(df: Columns) -> Columns:
    num = lambda c: np.asarray(df[c], dtype=float)  # noqa: E731
    c: Columns = {k: num(k) for k in ("target_value", "base_value", "base_t", "latest_value", "latest_t",
                                      "deadline_t", "final_value", "final_t", "ind_limit")}  # fmt: skip
    c["comparator"] = np.asarray(df["comparator"], dtype=object)
    target, base = c["target_value"], c["base_value"]
    wants_more = np.isin(c["comparator"], [">", ">="])
    wants_less = np.isin(c["comparator"], ["<", "<="])
    # d: +1 when the target wants more, -1 when less; for "==", the side the target lies on.
    c["d"] = np.where(
        wants_more, 1.0, np.where(wants_less, -1.0, np.sign(np.nan_to_num(target - base)) + (target == base))
    )
    c["n_obs"] = np.asarray(df["n_obs"], dtype=float)
    c["passed"] = np.asarray(df["deadline_passed"], dtype=bool)
    c["has_final"] = ~np.isnan(c["final_t"])
    c["all_positive"] = np.asarray(df["all_positive"], dtype=bool)
    c["judged"] = np.isin(np.asarray(df["kind"], dtype=object), JUDGED_KINDS)
    c["years_done"] = c["latest_t"] - c["base_t"]
    c["years_total"] = c["deadline_t"] - c["base_t"]
    c["years_left"] = c["deadline_t"] - c["latest_t"]
    c["positive"] = (base > 0) & (c["latest_value"] > 0) & (target > 0) & c["all_positive"]
    return c


def _choose_method(df: Columns, c: Columns) -> None:
    """Chosen in the target file, else by what the indicator measures; a method that needs positive
    values falls back to linear for a series with a zero or negative value."""
    chosen, measure = df["chosen_method"].tolist(), df["measure"].tolist()
    preferred = np.array([m if isinstance(m, str) else METHOD_BY_MEASURE.get(w) for m, w in zip(chosen, measure,
                                                                                                 strict=True)],
                         dtype=object)  # fmt: skip
    needs_positive = np.isin(preferred, [m.name for m in METHODS.values() if m.needs_positive])
    c["fallback"] = needs_positive & ~c["positive"] & ~np.isnan(c["base_value"]) & ~np.isnan(c["latest_value"])
    c["method"] = np.where(c["fallback"], FALLBACK, preferred)


def _working(c: Columns) -> None:
    """The pace seen since the base, the pace needed from the base and from now, and the ratio R."""
    base, latest, target = c["base_value"], c["latest_value"], c["target_value"]
    done, total, left = c["years_done"], c["years_total"], c["years_left"]
    two_points = done > 0
    # Shown to readers in both terms whatever the method: change a year and growth a year.
    growth, change = METHODS["cagr_ratio"], METHODS["linear"]
    c["growth_observed"] = np.where(two_points & c["positive"], growth.observed(base, latest, done), np.nan)
    c["growth_required_from_base"] = np.where(c["positive"] & (total > 0), growth.required(base, target, total), np.nan)
    c["pace_observed"] = np.where(two_points, change.observed(base, latest, done), np.nan)
    c["pace_required_from_base"] = np.where(total > 0, change.required(base, target, total), np.nan)
    c["pace_needed_from_now"] = np.where(left > 0, change.required(latest, target, left), np.nan)
    c["growth_needed_from_now"] = np.where(
        (left > 0) & (latest > 0) & (target > 0), growth.required(latest, target, left), np.nan
    )
    ratio = np.full(len(base), np.nan)
    for m in METHODS.values():
        rows = c["method"] == m.name
        if rows.any():
            sign = np.where(base < 0, -1.0, 1.0) if m.sign_from_base else np.ones(len(base))
            observed, required = m.observed(base, latest, done), m.required(base, target, total)
            ratio = np.where(rows, ratio_of(observed, required, c["d"], sign), ratio)
    c["ratio"] = np.where(two_points, ratio, np.nan)


def _status(df: Columns, c: Columns) -> None:
    """Achieved and missed first (on the figure for the deadline once it has passed), then by R."""
    latest_q = np.asarray(df["latest_qualifier"], dtype=object)
    final_q = np.asarray(df["final_qualifier"], dtype=object)
    latest_ok = satisfies(c["comparator"], c["target_value"], c["latest_value"], latest_q)
    final_ok = satisfies(c["comparator"], c["target_value"], c["final_value"], final_q)
    passed, has_final, ratio = c["passed"], c["has_final"], c["ratio"]
    status = np.select(
        [~c["judged"], c["n_obs"] == 0, passed & has_final & final_ok, passed & has_final, latest_ok,
         np.isnan(c["latest_value"]), ~(c["years_done"] > 0) | np.isnan(ratio)],
        ["not_assessed", "no_data", "achieved", "missed", "achieved", "no_data", "insufficient_data"],
        default=status_from_ratio(np.nan_to_num(ratio, nan=0.0)),
    )  # fmt: skip
    # Past the deadline with no figure for it, a trend is no verdict: the status waits, and what the figures up to
    # the deadline pointed to is kept apart (trend_status), for the note under the status and the sentence.
    waiting = c["judged"] & passed & ~has_final & np.isin(status, TREND_STATUSES)
    c["trend_status"] = np.where(waiting, status, None).astype(object)
    status = np.where(waiting, AWAITING, status).astype(object)
    c["status"] = status
    c["score"] = np.select(
        [status == "achieved", status == "missed", np.isin(status, UNSCORED)],
        [SCORE_ACHIEVED, SCORE_MISSED, np.nan],
        default=score_from_ratio(ratio),
    )


def _projection(df: Columns, c: Columns) -> None:
    """Projected value at the deadline and its band, for judged targets still open."""
    use_log = np.isin(c["method"], [m.name for m in METHODS.values() if m.log_scale])
    sums = {k: np.asarray(df[k], dtype=float)
            for k in ("sw", "swx", "swxx", "swy", "swxy", "swyy", "swl", "swxl", "swll", "n_fit")}  # fmt: skip
    projected = project(sums, use_log, c["deadline_t"] - c["base_t"])
    # A projection never leaves the range the series can take: not below 0 for a series that has
    # only been positive, not above the indicator's limit (100 for a percentage).
    limit = np.where(np.isnan(c["ind_limit"]), np.inf, c["ind_limit"])
    floor = np.where(c["all_positive"], 0.0, -np.inf)
    needs = c["judged"] & (c["status"] != "no_data") & ~(c["passed"] & c["has_final"]) & (c["years_left"] > 0)
    for name, values in zip(("projected_value", "projected_low", "projected_high"), projected, strict=True):
        clipped = np.where(np.isnan(values), values, np.clip(values, floor, limit))
        c[name] = np.where(needs, clipped, np.nan)
    exact = np.full(len(needs), "=", dtype=object)
    c["projection_meets"] = satisfies(c["comparator"], c["target_value"], c["projected_value"], exact)


PASSED_THROUGH = ("id", "kind", "wording", "indicator", "coverage", "proxy_coverage", "indicator_name",
                  "indicator_name_zh", "unit",
                  "latest_period", "latest_qualifier", "latest_digits", "final_digits", "measure", "base_period",
                  "base_qualifier",
                  "deadline", "final_period", "final_qualifier")  # fmt: skip
COMPUTED = ("judged", "status", "trend_status", "method", "score", "ratio", "latest_value", "base_value", "base_t",
            "latest_t", "deadline_t", "target_value", "comparator", "projected_value", "projected_low",
            "projected_high", "pace_observed", "pace_required_from_base", "pace_needed_from_now", "growth_observed",
            "growth_required_from_base", "growth_needed_from_now", "final_value", "projection_meets")  # fmt: skip


LANGUAGES = ("en", "zh")
"""The languages whose explanations ``assess_columns`` writes by default: ``explanation`` (English) and
``explanation_zh``; a caller that shows only one asks for only that one."""
TEXT_FROM_FILES = ("id", "kind", "wording", "indicator", "coverage", "proxy_coverage", "indicator_name",
                   "indicator_name_zh", "unit", "measure")  # fmt: skip
"""Columns passed through from the catalogue as they are (object columns in the DataFrame of ``assess``)."""


def assess_columns(
    raw: Columns, as_of: date, languages: tuple[str, ...] = LANGUAGES, when_read: bool = False
) -> Columns:
    """Apply the methods to the per-target columns of ``pick_figures`` (whole columns at once), with the
    explanation in each of ``languages`` (column ``explanation`` for English, ``explanation_<lang>``). With
    ``when_read`` the explanations are written when first read, and only for the rows read (``columns.lazily``: an
    output written in parts writes each part's own). The qualified figures and the coverages used, which only the
    JSON records and the app read, are always written when first read."""
    c = _inputs(raw)
    _choose_method(raw, c)
    _working(c)
    _status(raw, c)
    _projection(raw, c)
    n = len(c["status"])
    out: Columns = {**{k: raw[k] for k in PASSED_THROUGH}, **{k: _finite_or_nan(c[k]) for k in COMPUTED}}
    out["other_coverage_figures"] = np.asarray(raw["other_coverage_figures"]).astype(np.int64)
    out["points"] = np.asarray(raw["n_fit"]).astype(np.int64)
    out["flags"] = object_column(_flags(raw, c, as_of))
    out["qualified_points"] = raw["qualified"]
    out["conflicting_period_count"] = np.asarray(raw["conflicting_period_count"]).astype(np.int64)
    out["coverages_used"] = Later(lambda: _coverages_used(raw["coverage"], raw["proxy_coverage"]))  # the app's only
    for lang in languages:
        key = "explanation" if lang == "en" else f"explanation_{lang}"
        if when_read:
            out[key] = lazily(explanations, out, lang)
        else:
            out[key] = np.array(explanations(out, lang), dtype=object)
    out["as_of"] = np.full(n, as_of, dtype=object)
    return out


def _finite_or_nan(values: np.ndarray) -> np.ndarray:
    """A number column with infinity as NaN (missing), once the status is decided: a ratio against a required change
    of zero, or a projection or growth that overflowed, says nothing a reader can use, and JSON has no infinity (the
    open data's and ``tracker status``'s JSON wrote ``Infinity``, which a browser's JSON.parse refuses)."""
    if values.dtype.kind != "f":
        return values
    return np.where(np.isinf(values), np.nan, values)


def _coverages_used(own: np.ndarray, proxy: np.ndarray) -> np.ndarray:
    """Each target's coverages: its own, and its declared proxy if it has one."""
    pairs = zip(own.tolist(), proxy.tolist(), strict=True)
    return object_column([[o] if not isinstance(p, str) else [o, p] for o, p in pairs])


FLAGS = ("awaiting_final_data", "linear_because_not_positive", "qualified_figures", "conflicting_figures",
         "proxy_figures_used", "base_value_from_target_file", "out_of_date_figure")  # fmt: skip


def _out_of_date(df: Columns, c: Columns, as_of: date) -> np.ndarray:
    """A status that rests on the trend to a latest figure whose period ended longer ago than its indicator's
    frequency allows (STALE_LIMIT_DAYS, by which the indicators page flags a series; an irregular one is held to the
    annual limit): the period's end before the as-of date less that many days, compared in the assessment's time
    axis (t grows with the day)."""
    frequency = np.asarray(df["frequency"], dtype=object)
    limit = np.full(len(frequency), -np.inf)
    for name, days in STALE_LIMIT_DAYS.items():
        limit[frequency == name] = date_to_t(as_of - timedelta(days=days))
    # A target awaiting its final figure is flagged as its trend would be: the trend under it rests on that figure.
    resting = np.isin(c["status"], TREND_STATUSES) | (c["status"] == AWAITING)
    return resting & (c["latest_t"] < limit)


def _flags(df: Columns, c: Columns, as_of: date) -> list[list[str]]:
    """Each target's flags, in the order of FLAGS."""
    num = lambda k: np.asarray(df[k], dtype=float)  # noqa: E731
    raised = np.column_stack([
        c["passed"] & ~c["has_final"] & ~np.isin(c["status"], ["no_data", "not_assessed"]),
        c["fallback"],
        num("qualified_count") > 0,
        num("conflicting_period_count") > 0,
        num("scopes") > 1,
        ~np.isnan(num("baseline_value")),
        _out_of_date(df, c, as_of),
    ])  # fmt: skip
    code = raised @ (1 << np.arange(len(FLAGS)))
    # set, not np.unique: without its options np.unique imports numpy.ma (a twentieth of the start-up)
    names = {k: [f for b, f in enumerate(FLAGS) if k >> b & 1] for k in set(code.tolist())}
    return [list(names[k]) for k in code.tolist()]
