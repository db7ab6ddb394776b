"""The target catalogue as validated from targets/*.yaml (until the full dashboard lands)."""

import pandas as pd
import streamlit as st

from tracker import paths
from tracker.catalog import load_catalogue

st.title("Policy targets")
catalogue = load_catalogue(paths.TARGETS_DIR, paths.DATA_DIR)
st.caption(
    f"{len(catalogue.targets)} targets from {len(catalogue.policies)} policy documents, "
    f"measured on {len(catalogue.indicators)} indicators. Progress charts arrive with the dashboard issue."
)
if catalogue.errors:
    st.error(f"{len(catalogue.errors)} problems in the target files; run `python -m tracker validate` to see them.")

rows = [
    {
        "Target": t.title,
        "Policy": catalogue.policies[t.policy_id].title,
        "Issuer": catalogue.policies[t.policy_id].issuer,
        "Goal": f"{t.comparator} {t.value:,.10g} {t.unit}",
        "Deadline": t.deadline.isoformat(),
        "Indicator": catalogue.indicators[t.indicator].name,
    }
    for t in sorted(catalogue.targets.values(), key=lambda t: (t.deadline, t.id))
]
st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
