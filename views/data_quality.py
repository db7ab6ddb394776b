"""Data quality: what the last build left out and why, conflicting figures, targets without data."""

import streamlit as st

from tracker.target_card import evidence_rows
from views import cached
from views import widgets as ui

ui.page_header(ui.tr("quality.title"), ui.tr("page.data_quality"))
problems, files, conflicts = cached.problems()
card = cached.scorecard(ui.lang())

left_out = files[files["status"] == "left out"]
errors = problems[problems["severity"] == "error"]
c1, c2, c3, c4 = st.columns(4)
c1.metric(ui.tr("quality.files_left_out"), len(left_out))
c2.metric(ui.tr("quality.errors"), len(errors))
c3.metric(ui.tr("quality.conflicts"), 0 if conflicts.empty else conflicts.groupby(["indicator", "period"]).ngroups)
c4.metric(ui.tr("quality.without_data"), int((card["status"] == "no_data").sum()) if not card.empty else 0)

st.subheader(ui.tr("quality.problems"))
if problems.empty:
    st.success(ui.tr("quality.all_good"))
else:
    st.caption(ui.tr("quality.problems_caption"))
    ui.html_block(ui.facts_table(
        [ui.tr("quality.where"), ui.tr("quality.severity"), ui.tr("quality.message")],
        [[f"<code>{ui.esc(p.path)}{'' if not p.line else f':{p.line}:{p.col}'}</code>", ui.esc(ui.tr(f"severity.{p.severity}")),
          ui.esc(p.message)] for p in problems.itertuples(index=False)]))  # fmt: skip
if not left_out.empty:
    st.warning(ui.tr("quality.left_out", files=ui.plain(", ".join(left_out["path"]))))

st.subheader(ui.tr("quality.conflicts_title"))
if conflicts.empty:
    st.caption(ui.tr("quality.none"))
else:
    st.caption(ui.tr("quality.conflicts_caption"))
    units = cached.indicators().set_index("id")["unit"]
    names = cached.indicators().set_index("id")["name_zh" if ui.lang() == "zh" else "name"]
    rows = []
    for indicator, group in conflicts.groupby("indicator", sort=False):
        for f in evidence_rows(group.assign(published=None, note=None), units.get(indicator, ""), ui.lang()):
            rows.append([ui.esc(names.get(indicator, indicator)), ui.esc(f["period"]), ui.esc(f["value"]), ui.esc(f["coverage"]),
                         ui.web_link(f["url"], f["source"])])  # fmt: skip
    ui.html_block(
        ui.facts_table(
            [ui.tr("ind.name"), ui.tr("ev.period"), ui.tr("ev.value"), ui.tr("ev.coverage"), ui.tr("ev.source")], rows
        )
    )

st.subheader(ui.tr("quality.without_data"))
missing = card[card["status"] == "no_data"] if not card.empty else card
if missing.empty:
    st.caption(ui.tr("quality.none"))
else:
    ui.html_block("<ul>" + "".join(f'<li><a href="{ui.esc(ui.target_link(r.id))}" target="_self">{ui.esc(r.title)}</a></li>'
                                for r in missing.itertuples(index=False)) + "</ul>")  # fmt: skip
