"""Policies: one section per policy document, its targets by kind and status, and their average score."""

import streamlit as st

from tracker.escape import html_with_whole
from tracker.plans import goal_due_html, verdict_lists
from tracker.scorecard import average_sentence, status_counts
from views import cached
from views import widgets as ui

ui.page_header(ui.tr("policies.title"), ui.tr("page.policies"))
policies = ui.unless_empty(cached.policies(), "policies.empty")
card = cached.scorecard(ui.lang())

# Plans first: each plan's verdicts by deadline, with the figure that decides each one (tracker.plans writes the
# lists, the same as the static site's).
titles = {p.id: ui.name(p.title, p.title_zh) for p in policies.itertuples(index=False)}
lists = verdict_lists(cached.plans(), card, ui.lang(), ui.target_link)
st.subheader(ui.tr("plans.title"))
st.caption(ui.tr("plans.caption"))
for plan_id in [p for p in policies["id"] if p in lists]:
    st.markdown(f"**{ui.plain(titles[plan_id])}**")
    for heading, items in lists[plan_id]:
        with st.expander(heading):
            ui.html_block(items)
st.divider()

st.caption(ui.tr("policies.caption"))
for p in policies.itertuples(index=False):
    rows = card[card["policy_id"] == p.id]
    st.subheader(ui.plain(ui.name(p.title, p.title_zh)))
    if ui.lang() == "en" and isinstance(p.title_zh, str):
        st.caption(ui.plain(p.title_zh))
    if isinstance(p.parent, str) and p.parent in titles:
        st.caption(ui.plain(ui.tr("plans.part_of", plan=titles[p.parent])))
    judged = rows[rows["judged"]]
    issued = html_with_whole(ui.tr("policies.issued", date="\x00"), str(p.issued))
    ui.html_block(f"<p><b>{ui.esc(ui.name(p.issuer, p.issuer_zh))}</b>{ui.esc(ui.tr('value.comma'))}{issued}{ui.SEP}"
               f"<span class=\"nowrap\">{ui.web_link(p.url, ui.tr('target.read_document'))}</span><br>{ui.file_text(p.summary, p.summary_zh)}</p>")  # fmt: skip
    counts = status_counts(rows)
    ui.html_block('<p class="kind-counts">' + "<br>".join(
        f"{ui.label(f'kind.{kind}')} " + ui.SEP.join(f"<span class=\"nowrap\">{ui.status_badge(c.status)} {int(c.targets)}</span>" for c in group.itertuples())
        for kind, group in counts.groupby("kind", sort=False)) + "</p>")  # fmt: skip
    average = average_sentence(judged["score"], len(judged), ui.lang())
    if average:
        st.markdown(average)
    ui.html_block("<ul>" + "".join(
        f'<li><a href="{ui.esc(ui.target_link(r.id))}" target="_self">{ui.esc(r.title)}</a>{ui.SEP}{ui.status_badge(r.status)}'
        f"{ui.SEP}{goal_due_html(r.goal, r.due, ui.lang())}</li>"
        for r in rows.itertuples(index=False)) + "</ul>")  # fmt: skip
    st.divider()
