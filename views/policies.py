"""Policies: one section per policy document, its targets by kind and status, and their average score."""

import streamlit as st

from tracker.scorecard import status_counts
from views import cached
from views.widgets import esc, html_block, lang, name, page_header, plain, status_badge, target_link, tr, web_link

page_header(tr("policies.title"), tr("page.policies"))
policies = cached.policies()
card = cached.scorecard(lang())
if policies.empty:
    st.info(tr("policies.empty"))
    st.stop()

st.caption(tr("policies.caption"))
for p in policies.itertuples(index=False):
    rows = card[card["policy_id"] == p.id]
    st.subheader(plain(name(p.title, p.title_zh)))
    if lang() == "en" and isinstance(p.title_zh, str):
        st.caption(plain(p.title_zh))
    judged = rows[rows["judged"]]
    scored = judged["score"].dropna()
    unscored = len(judged) - len(scored)
    html_block(f"<p><b>{esc(p.issuer)}</b>, {esc(tr('policies.issued', date=p.issued))} · "
               f"{web_link(p.url, tr('target.read_document'))}<br>{esc(p.summary)}</p>")  # fmt: skip
    counts = status_counts(rows)
    html_block("<p>" + " · ".join(
        f"{esc(tr(f'kind.{c.kind}'))}: {status_badge(c.status)} {int(c.targets)}" for c in counts.itertuples(index=False)
    ) + "</p>")  # fmt: skip
    average = tr("value.missing") if scored.empty else f"{scored.mean():+.1f}"
    st.markdown(tr("policies.average", average=average, scored=len(scored), unscored=unscored))
    html_block("<ul>" + "".join(
        f'<li><a href="{esc(target_link(r.id))}" target="_self">{esc(r.title)}</a> · {status_badge(r.status)} · '
        f"{esc(r.goal)}, {esc(r.due)}</li>" for r in rows.itertuples(index=False)) + "</ul>")  # fmt: skip
    st.divider()
