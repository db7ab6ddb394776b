"""Statuses and scores from the progress ratio R, and whether a figure meets a target.

Thresholds: R >= 0.95 on_track, 0.60 <= R < 0.95 acceleration_needed, 0 <= R < 0.60
limited_progress, R < 0 deteriorating; "achieved" is tested first. Score on -5..5 (Open SDG's
piecewise formula): 5/0.7*(R - 0.6) for R >= 0.6, 5/1.2*(R + 0.6) - 5 below, clamped.
"""

from __future__ import annotations

import numpy as np

from tracker.assess.columns import missing

ON_TRACK = 0.95
ACCELERATION = 0.60
LIMITED = 0.0
SCORE_MAX, SCORE_MIN = 5.0, -5.0
SCORE_ACHIEVED, SCORE_MISSED = 5.0, -5.0
# Open SDG's anchors: R = -0.6 -> -5, 0 -> -2.5, 0.6 -> 0, 0.95 -> 2.5, 1.3 -> 5.
SCORE_UPPER_SLOPE = 5 / 0.7
SCORE_LOWER_SLOPE = 5 / 1.2


def satisfies(comparator: np.ndarray, target: np.ndarray, value: np.ndarray, qualifier: np.ndarray) -> np.ndarray:
    """Whether a figure (with its qualifier) meets the target, elementwise.

    "> 26" means the true value is above 26, so it meets ">= 26" and "> 26";
    "~ 60" and "= 60" count as 60; "< 5" meets "< 5" and "<= 5".
    """
    qualifier = np.asarray(qualifier, dtype=object)
    above = qualifier == ">"
    at_least = qualifier == ">="
    below = qualifier == "<"
    at_most = qualifier == "<="
    # "=", "~" or none (the qualifiers of QUALIFIER_CODES that are not bounds): read as the value itself
    exact = ~(above | at_least | below | at_most)
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
    return result & ~missing(value)


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


def ratio_of(observed: np.ndarray, required: np.ndarray, d: np.ndarray, sign: np.ndarray) -> np.ndarray:
    """sign · d · observed / |required|, with a required change of 0 read as: any move the right way is enough."""
    with np.errstate(all="ignore"):
        r = sign * d * observed / np.abs(required)
        zero = np.isclose(required, 0.0)
        moved = sign * d * observed
        return np.where(zero, np.sign(moved) * np.inf, r)


def base_meets_target(comparator: object, target: object, base: object) -> bool:
    """Whether the base figure itself already met the target. No change was then required from the base: the
    "required" pace points away from the target (a fall towards a floor already passed) and R compares the
    observed pace with it, so neither says anything a reader should weigh."""
    if not isinstance(comparator, str):
        return False
    try:
        target_v, base_v = float(target), float(base)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return bool(satisfies(np.asarray([comparator], dtype=object), np.asarray([target_v]), np.asarray([base_v]),
                          np.asarray(["="], dtype=object))[0])  # fmt: skip
