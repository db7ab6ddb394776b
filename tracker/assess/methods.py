"""The registry of progress methods: one entry per method, and the only place a method is defined.

A method says how fast a series moves (``observed``) and how fast it must move to reach the target
(``required``), in the same terms; the progress ratio is R = sign · d · observed / |required|
(d = +1 when the target wants more, -1 when it wants less). It also says whether the projection is
fitted to the values or to their logarithms, and how the Methodology page describes it. To add a
method, add an entry to ``METHODS`` (and its tests); the assessment, the status command and the
Methodology page read the registry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy is imported when a rate is computed: the catalogue reads the names without it
    import numpy as np

    Rate = Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]


@dataclass(frozen=True)
class Method:
    name: str
    title: str
    description: str
    observed: Rate
    """(base, latest, years from base to latest) -> the pace observed."""
    required: Rate
    """(base, target, years from base to deadline) -> the pace needed from the base."""
    log_scale: bool
    """Fit the projection to the logarithms of the values (growth), not the values (change)."""
    needs_positive: bool
    """Only defined for positive values; other series fall back to ``linear``."""
    sign_from_base: bool = False
    """Flip the ratio for a negative base (a growth rate of a negative number reads backwards)."""


def _growth(start: np.ndarray, end: np.ndarray, years: np.ndarray) -> np.ndarray:
    import numpy as np

    with np.errstate(all="ignore"):
        return (end / start) ** (1 / years) - 1


def _change(start: np.ndarray, end: np.ndarray, years: np.ndarray) -> np.ndarray:
    import numpy as np

    with np.errstate(all="ignore"):
        return (end - start) / years


METHODS: dict[str, Method] = {
    m.name: m
    for m in (
        Method(
            name="cagr_ratio",
            title="Growth rate (Statistics Canada / Open SDG)",
            description="Compound annual growth observed, CAGRᵢ = (latest / base)^(1/(t_latest − t_base)) − 1, "
            "against the growth required, CAGR_T = (target / base)^(1/(t_deadline − t_base)) − 1, for rates and "
            "levels; R = sign · d · CAGRᵢ / |CAGR_T|, where d is +1 when the target asks for more and −1 when it "
            "asks for less, and sign is −1 for a negative base, else +1.",
            observed=_growth,
            required=_growth,
            log_scale=True,
            needs_positive=True,
            sign_from_base=True,
        ),
        Method(
            name="linear",
            title="Absolute change a year",
            description="Observed change a year from the base against the change a year the target needs from the "
            "base, for counts and cumulative totals and any series with a zero or negative value.",
            observed=_change,
            required=_change,
            log_scale=False,
            needs_positive=False,
        ),
    )
}
FALLBACK = "linear"
"""The method used when the preferred one needs positive values and the series has others."""
METHOD_BY_MEASURE = {"rate": "cagr_ratio", "level": "cagr_ratio", "count": "linear", "cumulative": "linear"}
"""The default method for what an indicator measures, when a target file names none."""
