"""Methodology: how statuses, scores and projections are computed, from the constants the code uses."""

import pandas as pd
import streamlit as st

from tracker import assess as A
from tracker.status import STATUS_COLORS, STATUS_ICONS
from views import data

data.page_header("How progress is judged")

st.markdown(
    """
Each target is assessed with the progress measure of **Statistics Canada**, which Open SDG implements:
the growth (or change) observed since the base is compared with the growth (or change) needed to reach
the target by its deadline.

- **`cagr_ratio`** (rates and levels): CAGRᵢ = (latest / base)^(1/(tₗₐₜₑₛₜ − t_base)) − 1,
  CAGR_T = (target / base)^(1/(t_deadline − t_base)) − 1, **R = sign · d · CAGRᵢ / |CAGR_T|**,
  where d = +1 when the target asks for more and −1 when it asks for less, and sign = −1 for a negative base.
- **`linear`** (counts and cumulative totals, and any series with a zero or negative value):
  R = d · (observed change a year) / |change a year required|.
- Periods sit at the end of their last day on a time axis in years: 2015 to 2022 is exactly 7 years.
"""
)
thresholds = pd.DataFrame(
    {
        "Status": [f"{STATUS_ICONS[s]} {A.STATUS_LABELS[s]}" for s in A.STATUSES],
        "Rule": [
            "the latest figure meets the target (tested first); after the deadline, the figure for it does",
            f"R ≥ {A.ON_TRACK}",
            f"{A.ACCELERATION} ≤ R < {A.ON_TRACK}",
            f"{A.LIMITED} ≤ R < {A.ACCELERATION}",
            f"R < {A.LIMITED}",
            "the figure for the deadline (or later) does not meet the target",
            "one usable figure that does not meet the target",
            "no figure at all",
            "a reference level or a reading of words: shown, never judged",
        ],
        "Score": [
            f"{A.SCORE_ACHIEVED:+.0f}",
            "score(R)",
            "score(R)",
            "score(R)",
            "score(R)",
            f"{A.SCORE_MISSED:+.0f}",
            "none",
            "none",
            "none",
        ],  # fmt: skip
        "Colour": [STATUS_COLORS[s] for s in A.STATUSES],
    }
)
st.dataframe(thresholds, hide_index=True, width="stretch")
st.markdown(
    f"""
**Score** on {A.SCORE_MIN:+.0f}..{A.SCORE_MAX:+.0f} (Open SDG): {A.SCORE_UPPER_SLOPE:.4f} · (R − {A.ACCELERATION}) for
R ≥ {A.ACCELERATION}, else {A.SCORE_LOWER_SLOPE:.4f} · (R + {A.ACCELERATION}) − 5, clamped; so R = −0.6 → −5, 0 → −2.5,
0.6 → 0, 0.95 → 2.5, 1.3 → +5. A policy's score is the mean of its scored targets.

**Base**: an explicit value in the target file; else the figure for the baseline period or the first after it;
else the last figure at or before the policy was issued, else the first after. **Deadline passed**: the figure for
the deadline period or later decides achieved or missed; until it is out the target is judged on data up to the
deadline and flagged *awaiting final data*. **Qualified figures**: “> 26” counts as 26 for the trend and meets
“≥ 26”; “~ 60” counts as 60. Of several figures for one period, the one without a coverage note is used, then an
exact one, then the latest published.

**Projection (this project's own rule, not a published method)**: a weighted least-squares line through at most
the {A.FIT_POINTS} most recent figures since the base (on logarithms for `cagr_ratio`), each weighted
e^(−years before the latest / {A.RECENCY_YEARS:g}); the projected value is the line at the deadline, and the band is
its {A.PROJECTION_LEVEL:.0%} prediction interval (Student's t on n − 2 degrees of freedom; no band from fewer than
3 figures). Projections stay at or above 0 for positive series and within an indicator's limit.

Sources: `shared/notes/methodology.md` §3 (Open SDG / Statistics Canada), §4 (projections), and `docs/methodology.md`.
"""
)
