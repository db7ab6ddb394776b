"""Timeline: every deadline on one time axis, and what falls due in the next 12 months."""

from datetime import timedelta

import pandas as pd
import streamlit as st

from tracker.charts import timeline_chart
from views import data

data.page_header("Deadlines")
card = data.scorecard()
if card.empty:
    st.info("No targets yet.")
    st.stop()

st.plotly_chart(timeline_chart(card, data.today()), width="stretch", key="timeline")

today = pd.Timestamp(data.today())
soon = card[
    (pd.to_datetime(card["deadline"]) >= today) & (pd.to_datetime(card["deadline"]) <= today + timedelta(days=365))
]
st.subheader(f"Due in the next 12 months: {len(soon)}")
if soon.empty:
    st.caption("Nothing falls due before " + (today + timedelta(days=365)).date().isoformat() + ".")
else:
    st.dataframe(
        pd.DataFrame({"Target": soon["title"], "Status": soon["status_label"], "Deadline": soon["due"],
                      "Time left": soon["time_left"], "Details": "./target?target=" + soon["id"]}),
        hide_index=True, width="stretch",
        column_config={"Details": st.column_config.LinkColumn(display_text="open ↗")},
    )  # fmt: skip
