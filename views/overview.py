"""Overview: every target at a glance, sorted by urgency, with filters kept in the URL."""

import pandas as pd
import streamlit as st

from tracker.charts import pace_chart
from tracker.exports import to_csv, to_excel
from tracker.status import AT_RISK, STATUS_ICONS, STATUS_LABELS, STATUSES
from views import data

data.page_header("Policy targets at a glance")
card = data.scorecard()

if card.empty:
    st.info("No targets yet. Add a policy file to `targets/` (see README) and rebuild.")
    st.stop()

# Only commitments and expectations are judged; reference levels and readings of words are counted apart.
counts = card["status"].value_counts()
for row in (STATUSES[:4], STATUSES[4:8]):
    for col, status in zip(st.columns(4), row, strict=True):
        col.metric(f"{STATUS_ICONS[status]} {STATUS_LABELS[status]}", int(counts.get(status, 0)))
if counts.get("not_assessed", 0):
    st.caption(f"{int(counts['not_assessed'])} reference levels and readings of words are shown without a status.")

with st.expander("Filters", expanded=bool(set(st.query_params) & {"policy", "issuer", "tag", "status", "year"})):
    f1, f2, f3 = st.columns(3)
    policy_names = dict(zip(card["policy_id"], card["policy_label"], strict=False))
    policies = data.url_multi("Policy", sorted(policy_names), "policy", policy_names.get, f1)
    issuers = data.url_multi("Issuer", sorted(card["issuer"].dropna().unique()), "issuer", container=f2)
    all_tags = sorted({t for tags in card["tags"] for t in (tags if tags is not None else [])})
    tags = data.url_multi("Tag", all_tags, "tag", container=f3)
    f4, f5 = st.columns(2)
    statuses = data.url_multi("Status", list(STATUSES), "status", STATUS_LABELS.get, f4)
    years = data.url_multi(
        "Deadline year", [int(y) for y in sorted(card["deadline_year"].dropna().unique())], "year", container=f5
    )

shown = card
if policies:
    shown = shown[shown["policy_id"].isin(policies)]
if issuers:
    shown = shown[shown["issuer"].isin(issuers)]
if tags:
    shown = shown[shown["tags"].map(lambda ts: ts is not None and any(t in tags for t in ts))]
if statuses:
    shown = shown[shown["status"].isin(statuses)]
if years:
    shown = shown[shown["deadline_year"].isin(years)]

at_risk = shown[shown["status"].isin(AT_RISK)]
if not at_risk.empty:
    st.subheader("Needs attention")
    for r in at_risk.head(5).itertuples(index=False):
        st.page_link(
            "views/target.py",
            label=data.plain(f"{r.title} · {r.status_label} · due {r.due}"),
            query_params={"target": r.id},
        )

st.subheader(f"Scorecard: {len(shown)} of {len(card)} targets, most urgent first")
table = pd.DataFrame(
    {
        "Target": shown["title"],
        "Status": shown["status_label"],
        "Progress": shown["progress"].clip(0, 1),
        "Latest": shown["latest"],
        "Target value": shown["goal"],
        "Deadline": shown["due"],
        "Time left": shown["time_left"],
        "Projected at deadline": shown["projected"],
        "Details": "./target?target=" + shown["id"],
    }
)
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    height=min(38 + 35 * len(table), 760),
    column_config={
        "Target": st.column_config.TextColumn(width="large", pinned=True),
        "Progress": st.column_config.ProgressColumn(
            help="Share of the way from the base to the target", min_value=0, max_value=1, format="percent"
        ),
        "Details": st.column_config.LinkColumn(display_text="open ↗", help="The target's page"),
    },
)
export = shown[["id", "title", "status", "score", "latest_value", "latest_period", "comparator", "target_value",
                "unit", "deadline", "projected_value", "projected_low", "projected_high", "explanation"]]  # fmt: skip
d1, d2, _ = st.columns([1, 1, 4])
# The files are written when a button is clicked, not on every rerun (Excel takes most of a rerun).
d1.download_button("Download CSV", lambda frame=export: to_csv(frame), "scorecard.csv", "text/csv", key="dl_csv")
d2.download_button(
    "Download Excel", lambda frame=export: to_excel(frame, "scorecard"), "scorecard.xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="dl_xlsx",
)  # fmt: skip

st.subheader("Pace: way covered against time used")
st.caption(
    "Each dot is a target with a base and a latest figure. Below the dashed line, less of the way "
    "to the target has been covered than of the time to its deadline: those are the laggards."
)
st.plotly_chart(pace_chart(shown), width="stretch", key="pace")
