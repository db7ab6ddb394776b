"""Data quality: what the last build left out and why, conflicting figures, targets without data."""

import streamlit as st

from tracker.target_card import evidence_rows
from views import cached
from views.widgets import esc, facts_table, html_block, lang, page_header, plain, target_link, tr, web_link

page_header(tr("quality.title"), tr("page.data_quality"))
problems, files, conflicts = cached.problems()
card = cached.scorecard(lang())

left_out = files[files["status"] == "left out"]
errors = problems[problems["severity"] == "error"]
c1, c2, c3, c4 = st.columns(4)
c1.metric(tr("quality.files_left_out"), len(left_out))
c2.metric(tr("quality.errors"), len(errors))
c3.metric(tr("quality.conflicts"), 0 if conflicts.empty else conflicts.groupby(["indicator", "period"]).ngroups)
c4.metric(tr("quality.without_data"), int((card["status"] == "no_data").sum()) if not card.empty else 0)

st.subheader(tr("quality.problems"))
if problems.empty:
    st.success(tr("quality.all_good"))
else:
    st.caption(tr("quality.problems_caption"))
    html_block(facts_table(
        [tr("quality.where"), tr("quality.severity"), tr("quality.message")],
        [[f"<code>{esc(p.path)}{'' if not p.line else f':{p.line}:{p.col}'}</code>", esc(tr(f"severity.{p.severity}")),
          esc(p.message)] for p in problems.itertuples(index=False)]))  # fmt: skip
if not left_out.empty:
    st.warning(tr("quality.left_out", files=plain(", ".join(left_out["path"]))))

st.subheader(tr("quality.conflicts_title"))
if conflicts.empty:
    st.caption(tr("quality.none"))
else:
    st.caption(tr("quality.conflicts_caption"))
    units = cached.indicators().set_index("id")["unit"]
    names = cached.indicators().set_index("id")["name_zh" if lang() == "zh" else "name"]
    rows = []
    for indicator, group in conflicts.groupby("indicator", sort=False):
        for f in evidence_rows(group.assign(published=None, note=None), units.get(indicator, ""), lang()):
            rows.append([esc(names.get(indicator, indicator)), esc(f["period"]), esc(f["value"]), esc(f["coverage"]),
                         web_link(f["url"], f["source"])])  # fmt: skip
    html_block(facts_table([tr("ind.name"), tr("ev.period"), tr("ev.value"), tr("ev.coverage"), tr("ev.source")], rows))

st.subheader(tr("quality.without_data"))
missing = card[card["status"] == "no_data"] if not card.empty else card
if missing.empty:
    st.caption(tr("quality.none"))
else:
    html_block("<ul>" + "".join(f'<li><a href="{esc(target_link(r.id))}" target="_self">{esc(r.title)}</a></li>'
                                for r in missing.itertuples(index=False)) + "</ul>")  # fmt: skip
