"""One target: what it is, where it comes from, how it is doing and on what evidence."""

import pandas as pd
import streamlit as st

from tracker.charts import target_chart
from tracker.exports import to_csv, to_excel
from tracker.formatting import format_value
from tracker.status import STATUS_COLORS, STATUS_ICONS, STATUS_LABELS
from views import data

targets = data.targets()
ids = list(targets["id"])
asked = st.query_params.get("target")
if asked is not None and asked not in ids:
    data.page_header("Target not found")
    st.error(f"There is no target with the id “{asked}”. It may have been renamed or removed.")
    st.page_link("views/overview.py", label="Back to the overview", icon="⬅️")
    st.stop()
if not ids:
    data.page_header("Target")
    st.info("No targets yet.")
    st.stop()

titles = dict(zip(targets["id"], targets["title"], strict=True))
target_id = data.url_choice("Target", ids, "target", lambda i: f"{titles[i]} ({i})")
t = targets.set_index("id").loc[target_id]
a = data.assessed().set_index("id").loc[target_id]
data.page_header(data.name(t["title"], t["title_zh"]))  # st.title shows text as written
if data.lang() == "en" and isinstance(t["title_zh"], str):
    st.markdown(f"### {data.plain(t['title_zh'])}")

policy = data.name(t["policy_title"], t["policy_title_zh"])
st.markdown(f"**Policy:** [{data.plain(policy)}]({t['policy_url']}) ({data.plain(t['issuer'])}, {t['issued']})")
st.markdown(f"**Clause:** {data.plain(t['source'])}")
if isinstance(t["interpretation"], str):
    st.markdown(f"**How it was made numeric:** {data.plain(t['interpretation'])}")

color = STATUS_COLORS[a["status"]]
st.markdown(
    f"<div style='border-left: 6px solid {color}; padding: 0.4rem 0.9rem; background: #f6f8fa;'>"
    f"<b>{STATUS_ICONS[a['status']]} {STATUS_LABELS[a['status']]}</b></div>",
    unsafe_allow_html=True,
)
st.markdown(data.plain(a["explanation"]))

series = data.observations(t["indicator"])
fig = target_chart(a, series, data.today())
st.plotly_chart(fig, width="stretch", key="target_chart", config={"toImageButtonOptions": {"filename": target_id}})

left, right = st.columns([3, 2])
with left:
    st.subheader("Evidence")
    st.caption(f"Every figure for {data.name(t['indicator_name'], t['indicator_name_zh'])}, as published.")
    evidence = data.figures_table(series, [t["unit"]] * len(series))
    evidence["Published"] = series["published"]
    evidence["Note"] = series["note"].fillna("")
    st.dataframe(evidence, hide_index=True, width="stretch", column_config=data.LINK_COLUMN)
    d1, d2, _ = st.columns([1, 1, 2])
    d1.download_button("Series CSV", lambda s=series: to_csv(s), f"{t['indicator']}.csv", "text/csv", key="series_csv")
    d2.download_button(
        "Series Excel", lambda s=series: to_excel(s, t["indicator"]), f"{t['indicator']}.xlsx", key="series_xlsx"
    )
with right:
    st.subheader("How the status was worked out")
    pct = lambda v: "" if pd.isna(v) else f"{v:.2%}"  # noqa: E731
    num = lambda v: "" if pd.isna(v) else f"{v:.3f}"  # noqa: E731
    parts = {
        "Method": a["method"],
        "Base": f"{format_value(a['base_value'], t['unit'])} ({a['base_period']})" if not pd.isna(a["base_value"]) else "",
        "Latest": f"{format_value(a['latest_value'], t['unit'])} ({a['latest_period']})" if not pd.isna(a["latest_value"]) else "",
        "Target": f"{a['comparator']} {format_value(a['target_value'], t['unit'])} by {pd.Timestamp(a['deadline']).date()}",
        "Observed growth a year": pct(a["growth_observed"]),
        "Required growth a year": pct(a["growth_required_from_base"]),
        "Observed change a year": "" if pd.isna(a["pace_observed"]) else format_value(a["pace_observed"], t["unit"]),
        "Required change a year": "" if pd.isna(a["pace_required_from_base"]) else format_value(a["pace_required_from_base"], t["unit"]),
        "Ratio R": num(a["ratio"]),
        "Score (-5..5)": "" if pd.isna(a["score"]) else f"{a['score']:+.2f}",
        "Projected at deadline": "" if pd.isna(a["projected_value"]) else format_value(a["projected_value"], t["unit"]),
        "80% band": "" if pd.isna(a["projected_low"]) else
        f"{format_value(a['projected_low'], t['unit'])} – {format_value(a['projected_high'], t['unit'])}",
        "Figures in the fit": str(a["points"]),
        "Flags": ", ".join(a["flags"]) or "none",
    }  # fmt: skip
    st.dataframe(pd.DataFrame({"Component": list(parts), "Value": list(parts.values())}), hide_index=True,
                 width="stretch")  # fmt: skip
    if a["qualified_points"]:
        st.caption("Qualified figures used: " + "; ".join(
            f"{q['period']}: {q['qualifier']} {format_value(q['value'], t['unit'])}" for q in a["qualified_points"]))  # fmt: skip
    st.page_link("views/methodology.py", label="How statuses and projections are computed", icon="📐")

st.subheader("History of this target")
history = data.history(target_id)
if history is None:
    st.caption("The history is shown when the app runs inside a git checkout of the repository.")
elif not history:
    st.caption("No commits touch this target yet.")
else:
    rows = [
        {"Date": h.date, "Commit": h.commit, "Change": h.subject,
         "What": "; ".join(f"{f}: {data.short(o)} → {data.short(n)}" for f, o, n in h.changes)}
        for h in reversed(history)
    ]  # fmt: skip
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
