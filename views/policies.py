"""Policies: one section per policy document, its targets and the average of their scores."""

import pandas as pd
import streamlit as st

from tracker.escape import markdown_link
from views import data

data.page_header("Policy documents")
policies = data.policies()
card = data.scorecard()
if policies.empty:
    st.info("No policy documents yet.")
    st.stop()

st.caption("Scores run from -5 (deteriorating or missed) to +5 (on track or achieved); see Methodology.")
for p in policies.itertuples(index=False):
    rows = card[card["policy_id"] == p.id]
    st.subheader(data.plain(data.name(p.title, p.title_zh)))
    if data.lang() == "en" and isinstance(p.title_zh, str):
        st.caption(data.plain(p.title_zh))
    scored = rows["score"].dropna()
    c1, c2, c3 = st.columns([2, 1, 1])
    c1.markdown(f"**{data.plain(p.issuer)}**, issued {p.issued} · {markdown_link('read the document', p.url)}")
    c1.markdown(data.plain(p.summary))
    c2.metric("Targets", len(rows))
    c3.metric(
        "Average score", "n/a" if scored.empty else f"{scored.mean():+.1f}",
        help=f"Mean of the {len(scored)} scored targets (targets without data have no score).",
    )  # fmt: skip
    st.dataframe(
        pd.DataFrame(
            {
                "Target": rows["title"],
                "Status": rows["status_label"],
                "Score": rows["score"].round(1),
                "Deadline": rows["due"],
                "Details": "./target?target=" + rows["id"],
            }
        ),
        hide_index=True,
        width="stretch",
        column_config={"Details": st.column_config.LinkColumn(display_text="open ↗")},
        key=f"policy_{p.id}",
    )
    st.divider()
