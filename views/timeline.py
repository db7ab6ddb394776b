"""Timeline: every deadline on one time axis, and what falls due in the next 12 months."""

from datetime import timedelta

import pandas as pd
import streamlit as st

from tracker.overview_charts import timeline_chart
from views import cached
from views import widgets as ui

ui.page_header(ui.tr("timeline.title"), ui.tr("page.timeline"))
card = ui.unless_empty(cached.scorecard(ui.lang()), "overview.empty")

st.plotly_chart(timeline_chart(card, cached.today(), ui.lang()), width="stretch", key="timeline")
today = pd.Timestamp(cached.today())
deadlines = pd.to_datetime(card["deadline"])
soon = card[(deadlines >= today) & (deadlines <= today + timedelta(days=365))]
st.subheader(ui.tr("timeline.soon", n=len(soon)))
if soon.empty:
    st.caption(ui.tr("timeline.nothing", date=(today + timedelta(days=365)).date().isoformat()))
else:
    ui.html_block(ui.facts_table(
        [ui.tr("col.target_title"), ui.tr("col.status"), ui.tr("col.deadline"), ui.tr("col.time_left")],
        [[f'<a href="{ui.esc(ui.target_link(r.id))}" target="_self">{ui.esc(r.title)}</a>', ui.status_badge(r.status),
          ui.esc(r.due), ui.esc(r.time_left)] for r in soon.itertuples(index=False)]))  # fmt: skip
