"""A series' own trend when no target applies (Open SDG method 1), for the Indicators page."""

from __future__ import annotations

import numpy as np

from tracker.assess.scoring import SCORE_MAX, SCORE_MIN

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
