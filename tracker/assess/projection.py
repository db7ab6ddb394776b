"""Projection to the deadline (this project's own rule, stated on the Methodology page).

A least-squares line through the FIT_POINTS most recent figures from the base to the latest, weighted
towards recent ones (weight e^(-Δt / RECENCY_YEARS) for a figure Δt years before the latest), on the
values or on their logarithms (as the method says), with an 80% prediction interval from the residual
spread; no interval from fewer than 3 points. The weighted sums are gathered per target by picks.py.
"""

from __future__ import annotations

import numpy as np

PROJECTION_LEVEL = 0.80
# Two-sided 80% prediction interval: Student's t 0.90 quantile by degrees of freedom.
T_90 = {1: 3.078, 2: 1.886, 3: 1.638, 4: 1.533, 5: 1.476, 6: 1.440, 7: 1.415, 8: 1.397, 9: 1.383, 10: 1.372,
        12: 1.356, 15: 1.341, 20: 1.325, 30: 1.310, 60: 1.296}  # fmt: skip
Z_90 = 1.2816
RECENCY_YEARS = 3.0
"""Projection weights: a figure's weight falls by a factor e for every 3 years it lies before the latest."""
FIT_POINTS = 6
"""The projection is fitted to at most this many figures: the most recent ones since the base."""


def _t_quantile(df: np.ndarray) -> np.ndarray:
    keys = np.array(sorted(T_90))
    values = np.array([T_90[k] for k in keys])
    out = np.full(df.shape, np.nan)
    ok = df >= 1
    idx = np.searchsorted(keys, np.where(ok, df, 1), side="right") - 1
    out[ok] = values[np.clip(idx[ok], 0, len(keys) - 1)]
    out[ok & (df > keys[-1])] = Z_90
    return out


def project(
    sums: dict[str, np.ndarray], use_log: np.ndarray, x0: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The fitted value at x0 (years after the base) and its 80% band, from the weighted sums of the fit."""
    sw, swx, swxx, n_fit = sums["sw"], sums["swx"], sums["swxx"], sums["n_fit"]
    swy = np.where(use_log, sums["swl"], sums["swy"])
    swxy = np.where(use_log, sums["swxl"], sums["swxy"])
    swyy = np.where(use_log, sums["swll"], sums["swyy"])
    with np.errstate(all="ignore"):
        x_mean, y_mean = swx / sw, swy / sw
        sxx = swxx - swx * x_mean
        sxy = swxy - swx * y_mean
        syy = swyy - swy * y_mean
        # Centring the running totals on the base loses a few digits; a spread below one part in
        # a billion of the weights is a single point in time.
        slope = np.where((n_fit >= 2) & (sxx > 1e-9 * sw), sxy / sxx, np.nan)
        fitted = y_mean + slope * (x0 - x_mean)
        dof = n_fit - 2
        # Weights are rescaled to sum to the number of points for the residual variance.
        sse = np.maximum(syy - slope * sxy, 0.0) * n_fit / sw
        s2 = np.where(dof >= 1, sse / dof, np.nan)
        se = np.sqrt(s2 * (1 + 1 / n_fit + (x0 - x_mean) ** 2 / (sxx * n_fit / sw)))
        half = _t_quantile(np.nan_to_num(dof, nan=0.0)) * se
        low, high = fitted - half, fitted + half
        return tuple(np.where(use_log, np.exp(v), v) for v in (fitted, low, high))
