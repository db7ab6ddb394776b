"""Timeline: every deadline on one time axis, and what falls due in the next 12 months."""

from datetime import timedelta

import pandas as pd
import streamlit as st

from tracker.overview_charts import timeline_chart
from views import cached
from views.widgets import esc, facts_table, html_block, lang, page_header, status_badge, target_link, tr, unless_empty

page_header(tr("timeline.title"), tr("page.timeline"))
card = unless_empty(cached.scorecard(lang()), "overview.empty")

st.plotly_chart(timeline_chart(card, cached.today(), lang()), width="stretch", key="timeline")
today = pd.Timestamp(cached.today())
deadlines = pd.to_datetime(card["deadline"])
soon = card[(deadlines >= today) & (deadlines <= today + timedelta(days=365))]
st.subheader(tr("timeline.soon", n=len(soon)))
if soon.empty:
    st.caption(tr("timeline.nothing", date=(today + timedelta(days=365)).date().isoformat()))
else:
    html_block(facts_table(
        [tr("col.target_title"), tr("col.status"), tr("col.deadline"), tr("col.time_left")],
        [[f'<a href="{esc(target_link(r.id))}" target="_self">{esc(r.title)}</a>', status_badge(r.status),
          esc(r.due), esc(r.time_left)] for r in soon.itertuples(index=False)]))  # fmt: skip
