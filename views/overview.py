"""Overview: which targets are in trouble, in one screen; every target's row with status, latest, target, deadline."""

import pandas as pd
import streamlit as st

from tracker.exports import to_csv, to_excel
from tracker.overview_charts import pace_chart
from tracker.scorecard import AT_RISK, KINDS, URGENCY, pace_points, status_counts
from views import cached
from views.widgets import (
    esc,
    html_block,
    lang,
    name,
    page_header,
    status_badge,
    status_icon,
    target_link,
    tr,
    url_multi,
)

page_header(tr("overview.title"), tr("page.overview"))
card = cached.scorecard(lang())
if card.empty:
    st.info(tr("overview.empty"))
    st.stop()

SCORECARD_CSS = """
<style>
.sc-row { display: grid; grid-template-columns: minmax(0,2.7fr) minmax(0,1.35fr) minmax(0,1.45fr) minmax(0,1.2fr)
  minmax(0,1.1fr); column-gap: 0.8rem; padding: 0.45rem 0.3rem; border-bottom: 1px solid #d0d7de;
  position: relative; align-items: baseline; font-size: 0.93rem; color: #1f2328; }
.sc-row:hover { background: #f6f8fa; }
.sc-head { font-weight: 600; color: #424a53; border-bottom: 2px solid #afb8c1; }
.sc-row a.title { color: #0550ae; text-decoration: none; font-weight: 600; }
.sc-row a.title::after { content: ""; position: absolute; inset: 0; }
.sc-row .kind { display: inline-block; font-size: 0.75rem; color: #424a53; border: 1px solid #8c959f;
  border-radius: 0.6rem; padding: 0 0.4rem; margin-left: 0.3rem; font-weight: 400; }
.sc-row .sub { display: block; color: #57606a; font-size: 0.8rem; }
.sc-row .label { display: none; }
.counts { display: flex; flex-wrap: wrap; gap: 0.4rem 1.1rem; margin: 0.2rem 0 0.8rem; font-size: 0.95rem; }
.counts .group { font-weight: 600; color: #24292f; margin-right: 0.2rem; }
@media (max-width: 700px) {
  .sc-head { display: none; }
  .sc-row { grid-template-columns: minmax(0,1fr) minmax(0,1fr); row-gap: 0.25rem; padding: 0.6rem 0.2rem; }
  .sc-row .cell-title { grid-column: 1 / -1; }
  .sc-row .label { display: block; color: #57606a; font-size: 0.75rem; }
}
</style>
"""


def counts_html() -> str:
    """Counts by kind, then status: commitments met are never added to expectations or readings."""
    counts = status_counts(card)
    parts = []
    for kind in KINDS:
        rows = counts[counts["kind"] == kind]
        if rows.empty:
            continue
        items = "".join(
            f'<span class="count" data-kind="{kind}" data-status="{r.status}">{status_icon(r.status)} '
            f"<b>{int(r.targets)}</b> {esc(tr(f'status.{r.status}'))}</span>"
            for r in rows.itertuples(index=False)
        )
        parts.append(f'<div class="counts"><span class="group">{esc(tr(f"kind.plural.{kind}"))}:</span>{items}</div>')
    return "".join(parts)


def row_html(r) -> str:
    kind = "" if r.kind == "commitment" else f'<span class="kind">{esc(r.kind_label)}</span>'
    latest = esc(r.latest) or f'<span class="muted">{esc(tr("overview.no_figure"))}</span>'
    due = esc(r.due) + (f'<span class="sub">{esc(r.time_left)}</span>' if r.time_left else "")
    return (
        f'<div class="sc-row" data-target="{esc(r.id)}">'
        f'<div class="cell-title"><a class="title" href="{esc(target_link(r.id))}" target="_self">{esc(r.title)}</a>'
        f"{kind}</div>"
        f'<div class="cell-status"><span class="label">{esc(tr("col.status"))}</span>{status_badge(r.status)}</div>'
        f'<div class="cell-latest"><span class="label">{esc(tr("col.latest"))}</span>{latest}</div>'
        f'<div class="cell-goal"><span class="label">{esc(tr("col.target"))}</span>{esc(r.goal)}</div>'
        f'<div class="cell-due"><span class="label">{esc(tr("col.deadline"))}</span>{due}</div></div>'
    )


def scorecard_html(rows: pd.DataFrame) -> str:
    head = "".join(f"<div>{esc(tr(k))}</div>" for k in ("col.target_title", "col.status", "col.latest",
                                                         "col.target", "col.deadline"))  # fmt: skip
    return (
        SCORECARD_CSS
        + f'<div class="sc-row sc-head">{head}</div>'
        + "".join(row_html(r) for r in rows.itertuples(index=False))
    )


@st.cache_data(show_spinner=False, max_entries=64)
def rows_html(version: str, language: str, ids: tuple[str, ...]) -> str:
    """The scorecard rows for these targets, written once per data version, language and choice of rows
    (a rerun that changes nothing, or returns to an earlier filter, reuses them)."""
    return scorecard_html(card.set_index("id", drop=False).loc[list(ids)])


html_block(SCORECARD_CSS + counts_html())

filter_keys = {"plan", "policy", "issuer", "tag", "status", "year", "kind"}
# Each target's plan: its policy's top ancestor (a notice or sub-plan counts under its plan).
card = card.assign(plan_id=card["id"].map(dict(zip(cached.plans()["id"], cached.plans()["plan_id"], strict=True))))
with st.expander(tr("overview.filters"), expanded=bool(set(st.query_params) & filter_keys)):
    f0, f1, f2, f3 = st.columns(4)
    policy_names = dict(zip(card["policy_id"], card["policy_label"], strict=False))
    plans = url_multi(
        tr("col.plan"), sorted(set(card["plan_id"].dropna())), "plan", lambda p: policy_names.get(p, p), f0
    )
    policies = url_multi(tr("col.policy"), sorted(policy_names), "policy", policy_names.get, f1)
    issuer_names = {
        e: name(e, z) for e, z in zip(cached.policies()["issuer"], cached.policies()["issuer_zh"], strict=True)
    }
    issuers = url_multi(tr("col.issuer"), sorted(card["issuer"].dropna().unique()), "issuer",
                        lambda i: issuer_names.get(i, i), f2)  # fmt: skip
    all_tags = sorted({t for tags in card["tags"] for t in (tags if tags is not None else [])})
    tags = url_multi(tr("col.tag"), all_tags, "tag", container=f3)
    f4, f5, f6 = st.columns(3)
    statuses = url_multi(tr("col.status"), list(URGENCY), "status", lambda s: tr(f"status.{s}"), f4)
    kinds = url_multi(tr("col.kind"), list(KINDS), "kind", lambda k: tr(f"kind.{k}"), f5)
    years = url_multi(tr("col.deadline_year"), [int(y) for y in sorted(set(card["deadline_year"]) - {0})], "year",
                      container=f6)  # fmt: skip

shown = card
for column, chosen in (("plan_id", plans), ("policy_id", policies), ("issuer", issuers), ("status", statuses),
                       ("kind", kinds), ("deadline_year", years)):  # fmt: skip
    if chosen:
        shown = shown[shown[column].isin(chosen)]
if tags:
    shown = shown[shown["tags"].map(lambda ts: ts is not None and any(t in tags for t in ts))]

at_risk = shown[shown["status"].isin(AT_RISK) & shown["judged"]]
if not at_risk.empty:
    st.subheader(tr("overview.attention"))
    html_block(rows_html(f"{cached.version()}/{cached.today()}", lang(), tuple(at_risk["id"])))

st.subheader(tr("overview.scorecard", shown=len(shown), total=len(card)))
html_block(rows_html(f"{cached.version()}/{cached.today()}", lang(), tuple(shown["id"])))
export = pd.DataFrame({
    tr("col.id"): shown["id"], tr("col.target_title"): shown["title"], tr("col.kind"): shown["kind_label"],
    tr("col.status"): shown["status_label"], tr("col.score"): shown["score"], tr("col.latest"): shown["latest"],
    tr("col.target"): shown["goal"], tr("col.deadline"): shown["due"], tr("col.projected"): shown["projected"],
    tr("col.explanation"): shown["explanation_zh"] if lang() == "zh" and "explanation_zh" in shown else shown["explanation"],
})  # fmt: skip
d1, d2, _ = st.columns([1, 1, 4])
# The files are written when a button is clicked, not on every rerun (Excel took most of a rerun).
d1.download_button(tr("download.csv"), lambda frame=export: to_csv(frame), "scorecard.csv", "text/csv", key="dl_csv")
d2.download_button(
    tr("download.excel"), lambda frame=export: to_excel(frame, "scorecard"), "scorecard.xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="dl_xlsx",
)  # fmt: skip

st.subheader(tr("overview.pace"))
open_targets, passed = pace_points(shown)
st.caption(tr("overview.pace_caption"))
st.plotly_chart(pace_chart(open_targets, lang()), width="stretch", key="pace")
if not passed.empty:
    st.markdown(f"**{tr('overview.passed', n=len(passed))}**")
    html_block(rows_html(f"{cached.version()}/{cached.today()}", lang(), tuple(passed["id"])))
