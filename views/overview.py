"""Overview: which targets are in trouble, in one screen; every target's row with status, latest, target, deadline."""

import pandas as pd
import streamlit as st

from tracker.overview_charts import pace_chart
from tracker.scorecard import KINDS, URGENCY, no_attention_note, pace_points, scorecard_heading, status_counts
from tracker.target_card import repeated_goals_note
from views import cached
from views import widgets as ui
from views.markup import html_list
from views.plot import basic_chart, figure_json

ui.page_header(ui.tr("overview.title"), ui.tr("page.overview"))
card = ui.unless_empty(cached.scorecard(ui.lang()), "overview.empty")

# Rows off the screen are not laid out for the first view (content-visibility; the sizes are a typical row's height
# less its padding, at the shipped data and at 1,000 targets, en and zh): that is work the reader does not wait for
# (30-90 ms of the main thread at the shipped data, docs/benchmarks-log.md). Once the page is idle after the chart is
# drawn, views/markup.py marks the lists ``laid-out`` and every row is laid out whole, so that each has its real
# height before the reader scrolls: a row laid out only as it came near the view moved the rows and the download
# buttons under it (by up to a third of a screen on a phone, where the estimate was 30 px a row short).
SCORECARD_CSS = """
<style>
.sc-row { display: grid; grid-template-columns: minmax(0,2.7fr) minmax(0,1.35fr) minmax(0,1.45fr) minmax(0,1.2fr)
  minmax(0,1.1fr); column-gap: 0.8rem; padding: 0.45rem 0.3rem; border-bottom: 1px solid #d0d7de;
  position: relative; align-items: baseline; font-size: 0.93rem; color: #1f2328;
  content-visibility: auto; contain-intrinsic-size: auto 3.3rem; }
.laid-out .sc-row { content-visibility: visible; }
.sc-row:hover { background: #f6f8fa; }
.sc-head { font-weight: 600; color: #424a53; border-bottom: 2px solid #afb8c1; }
.sc-row a.title { color: #0550ae; text-decoration: none; font-weight: 600; }
.sc-row a.title::after { content: ""; position: absolute; inset: 0; }
.sc-row .kind { display: inline-block; font-size: 0.75rem; color: #424a53; border: 1px solid #8c959f;
  border-radius: 0.6rem; padding: 0 0.4rem; margin-left: 0.3rem; font-weight: 400; }
.sc-row .sub { display: block; color: #57606a; font-size: 0.8rem; }
.list-heading { font-size: 1.75rem; font-weight: 600; line-height: 1.2; letter-spacing: -0.005em; margin: 0;
  padding: 0.75rem 0 1rem; }
.list-title { font-weight: 600; margin: 0 0 1rem; line-height: 1.6; }
.list-heading:last-child { margin-bottom: -1rem; }
.list-caption { font-size: 0.875rem; line-height: 1.6; opacity: 0.6; margin: 0 0 1rem; overflow-wrap: break-word; }
[role=table] + .list-caption { margin: 1rem 0 0; }
.counts { display: flex; flex-wrap: wrap; gap: 0.4rem 1.1rem; margin: 0.2rem 0 0.8rem; font-size: 0.95rem; }
.counts .group { font-weight: 600; color: #24292f; margin-right: 0.2rem; }
.counts-note { color: #57606a; font-size: 0.88rem; margin: -0.3rem 0 0.8rem; }
@media (max-width: 700px) {
  .sc-head { display: none; }
  .sc-row { grid-template-columns: minmax(0,1fr) minmax(0,1fr); row-gap: 0.25rem; padding: 0.6rem 0.2rem;
    contain-intrinsic-size: auto 10rem; }
  .sc-row .cell-title { grid-column: 1 / -1; }
  .sc-row > [data-label]::before { content: attr(data-label); display: block; color: #57606a; font-size: 0.75rem; }
}
</style>
"""


def counts_html(card: pd.DataFrame, note: str = "") -> str:
    """Counts by kind, then status: commitments met are never added to expectations or readings; ``note`` says
    when some goals are counted once per document that sets them (tracker.target_card.repeated_goals_note)."""
    counts = status_counts(card)
    parts = []
    for kind in KINDS:
        rows = counts[counts["kind"] == kind]
        if rows.empty:
            continue
        items = "".join(
            f'<span class="count" data-kind="{kind}" data-status="{r.status}">{ui.status_icon(r.status)} '
            f"<b>{int(r.targets)}</b> {ui.esc(ui.tr(f'status.{r.status}'))}</span>"
            for r in rows.itertuples(index=False)
        )
        parts.append(
            f'<div class="counts"><span class="group">{ui.esc(ui.tr(f"kind.plural.{kind}"))}:</span>{items}</div>'
        )
    if note:
        parts.append(f'<p class="counts-note">{ui.esc(note)}</p>')
    return "".join(parts)


def row_html(r) -> str:
    """One target's row. On a phone each cell is named by its data-label (CSS), not by an element of its own: a
    label element per cell added four to the browser's work on each of the 100-odd rows."""
    kind = "" if r.kind == "commitment" else f'<span class="kind">{ui.esc(r.kind_label)}</span>'
    latest = ui.esc(r.latest) or f'<span class="muted">{ui.esc(ui.tr("overview.no_figure"))}</span>'
    due = ui.esc(r.due) + (f'<span class="sub">{ui.esc(r.time_left)}</span>' if r.time_left else "")
    note = f'<span class="sub">{ui.esc(r.status_note)}</span>' if r.status_note else ""
    return (
        f'<div class="sc-row" data-target="{ui.esc(r.id)}" role="row">'
        f'<div class="cell-title" role="cell"><a class="title" href="{ui.esc(ui.target_link(r.id))}" target="_self">'
        f"{ui.esc(r.title)}</a>{kind}</div>"
        f'<div class="cell-status" role="cell" data-label="{ui.esc(ui.tr("col.status"))}">{ui.status_badge(r.status)}{note}</div>'
        f'<div class="cell-latest" role="cell" data-label="{ui.esc(ui.tr("col.latest"))}">{latest}</div>'
        f'<div class="cell-goal" role="cell" data-label="{ui.esc(ui.tr("col.target"))}">{ui.esc(r.goal)}</div>'
        f'<div class="cell-due" role="cell" data-label="{ui.esc(ui.tr("col.deadline"))}">{due}</div></div>'
    )


def scorecard_html(rows: pd.DataFrame, name: str) -> str:
    """A list of rows, as a table to a screen reader (ARIA roles: the rows are a grid, and on a phone a stack),
    named by the heading whose id is ``list-<name>``."""
    head = "".join(f'<div role="columnheader">{ui.esc(ui.tr(k))}</div>' for k in ("col.target_title", "col.status",
                                                                             "col.latest", "col.target",
                                                                             "col.deadline"))  # fmt: skip
    return (
        f'<div role="table" aria-labelledby="list-{name}"><div class="sc-row sc-head" role="row">{head}</div>'
        + "".join(row_html(r) for r in rows.itertuples(index=False))
        + "</div>"
    )


def heading(text: str, name: str, line: bool = False) -> str:
    """A list's heading, in the same markup as the list: the look of st.subheader (or, with ``line``, of a bold line
    of text), one element fewer on the page."""
    if line:
        return f'<p class="list-title" id="list-{name}">{ui.esc(text)}</p>'
    return f'<h3 class="list-heading" id="list-{name}">{ui.esc(text)}</h3>'


def caption(text: str) -> str:
    """The look of st.caption, inside the markup of a list or a chart."""
    return f'<p class="list-caption">{ui.esc(text)}</p>'


# Rows drawn at once in each list: the page stays light in the browser whatever the catalogue's size.
# (A comment, not a docstring: Streamlit's magic would print a bare string in a page script.)
PAGE_ROWS = 100


@st.cache_data(show_spinner=False, max_entries=64)
def rows_html(version: str, language: str, choice: tuple, part: str, _rows: pd.DataFrame) -> str:
    """The rows of one list, written once per data version, language, choice of filters and part of the
    page (a rerun that changes nothing, or returns to an earlier choice, reuses them). The key is the
    reader's choice, not the rows: hashing thousands of ids on every rerun cost more than the rows."""
    return scorecard_html(_rows, part.split("/")[0])


@st.cache_resource(show_spinner=False, max_entries=64)
def pace(version: str, language: str, choice: tuple, _shown: pd.DataFrame) -> tuple[str, pd.DataFrame]:
    """The Pace chart, as the JSON the browser draws, and the targets past their deadline for one choice of
    filters, worked out once and shared by every session (writing the JSON took 0.1 s a run)."""
    open_targets, passed = pace_points(_shown)
    return figure_json(pace_chart(open_targets, language)), passed


def first_rows(rows: pd.DataFrame, part: str, title: str) -> None:
    """A list of at most PAGE_ROWS rows under its heading, the most urgent first, saying how many more there are."""
    more = (
        caption(ui.tr("overview.more", shown=f"{PAGE_ROWS:,}", total=f"{len(rows):,}")) if len(rows) > PAGE_ROWS else ""
    )
    html_list(title + rows_html(data_key, ui.lang(), choice, part, rows.head(PAGE_ROWS)) + more, key=part)


EXPORT_COLUMNS = {"col.id": "id", "col.target_title": "title", "col.kind": "kind_label", "col.status": "status_label",
                  "col.status_note": "status_note",
                  "col.score": "score", "col.latest": "latest", "col.target": "goal", "col.deadline": "due",
                  "col.projected": "projected", "col.explanation": "explanation"}  # fmt: skip


def export_frame(shown: pd.DataFrame, zh: bool) -> pd.DataFrame:
    """Every row the filters keep (not only the page shown), headed in the page's language, for the downloads."""
    columns = dict(
        EXPORT_COLUMNS, **({"col.explanation": "explanation_zh"} if zh and "explanation_zh" in shown else {})
    )
    return pd.DataFrame({ui.tr(key): shown[column] for key, column in columns.items()})


@st.cache_resource(show_spinner=False, max_entries=8)
def with_filters(version: str, language: str, _card: pd.DataFrame, _plans: pd.DataFrame, _goals: dict) -> tuple:
    """The scorecard with each target's plan (its policy's top ancestor: a notice or sub-plan counts under
    its plan), the policies' names, the options of the filters and the counts' markup, once per data
    version and language (shared by every session and only read)."""
    full = _card.assign(plan_id=_card["id"].map(dict(zip(_plans["id"], _plans["plan_id"], strict=True))))
    names = dict(zip(full["policy_id"], full["policy_label"], strict=False))
    options = {
        "plan": sorted(set(full["plan_id"].dropna())),
        "issuer": sorted(full["issuer"].dropna().unique()),
        "tag": sorted({t for tags in full["tags"] for t in (tags if tags is not None else [])}),
        "year": [int(y) for y in sorted(set(full["deadline_year"]) - {0})],
    }
    return full, names, options, counts_html(_card, repeated_goals_note(_goals, language))


data_key = f"{cached.version()}/{cached.today()}"
full, policy_names, options, counts = with_filters(data_key, ui.lang(), card, cached.plans(), cached.goals())
card = full.copy(deep=False)
html_list(SCORECARD_CSS + counts, key="counts", chart_below=True)

filter_keys = {"plan", "policy", "issuer", "tag", "status", "year", "kind"}
# The filters' seven widgets are drawn only while their box is open (on_change="rerun" tells the page): in
# Chromium, drawing them closed cost the first view more than the 100 rows did. Closed, the URL still filters.
filters = st.expander(ui.tr("overview.filters"), expanded=bool(set(st.query_params) & filter_keys), key="filters",
                      on_change="rerun")  # fmt: skip
policies_ = cached.policies()
issuer_names = dict(zip(policies_["issuer"], map(ui.name, policies_["issuer"], policies_["issuer_zh"]), strict=True))
FILTERS = (  # (URL parameter, label key, options, format), in the order they are drawn
    ("plan", "col.plan", options["plan"], lambda p: policy_names.get(p, p)),
    ("policy", "col.policy", sorted(policy_names), policy_names.get),
    ("issuer", "col.issuer", options["issuer"], lambda i: issuer_names.get(i, i)),
    ("tag", "col.tag", options["tag"], str),
    ("status", "col.status", list(URGENCY), lambda s: ui.tr(f"status.{s}")),
    ("kind", "col.kind", list(KINDS), lambda k: ui.tr(f"kind.{k}")),
    ("year", "col.deadline_year", options["year"], str),
)
if filters.open:
    with filters:
        cells = [*st.columns(4), *st.columns(3)]
        picked = {param: ui.url_multi(ui.tr(key), values, param, shown_as, cell)
                  for (param, key, values, shown_as), cell in zip(FILTERS, cells, strict=True)}  # fmt: skip
else:
    picked = {param: ui.url_values(values, param) for param, _, values, _ in FILTERS}
plans, policies, issuers, tags, statuses, kinds, years = picked.values()

shown = card
for column, chosen in (("plan_id", plans), ("policy_id", policies), ("issuer", issuers), ("status", statuses),
                       ("kind", kinds), ("deadline_year", years)):  # fmt: skip
    if chosen:
        shown = shown[shown[column].isin(chosen)]
if tags:
    shown = shown[shown["tags"].map(lambda ts: ts is not None and any(t in tags for t in ts))]

choice = tuple(tuple(str(c) for c in chosen) for chosen in (plans, policies, issuers, tags, statuses, kinds, years))
at_risk = shown[shown["attention"]]
# The lists are drawn in a box made now and filled below, so that the download buttons under them are sent first: the
# browser fetches each kind of element's code when the first one arrives, and shows what waits on it together. Both
# files come with the page, written once per choice of filters (views/widgets.download_buttons).
lists = st.container()
ui.download_buttons(st.columns([1, 1, 4])[:2], (ui.tr("download.csv"), ui.tr("download.excel")),
                 ("overview", data_key, ui.lang(), choice), export_frame(shown, ui.lang() == "zh"), "scorecard",
                 ("dl_csv", "dl_xlsx"))  # fmt: skip
with lists:
    if not at_risk.empty:
        first_rows(at_risk, "attention", heading(ui.tr("overview.attention"), "attention"))
    elif not shown.empty:  # said, so that an empty list reads as looked at, not as left out (no row: nothing to say)
        html_list(heading(ui.tr("overview.attention"), "attention") + caption(no_attention_note(shown, ui.lang())),
                  key="attention")  # fmt: skip
    title = heading(scorecard_heading(len(shown), len(card), ui.lang()), "scorecard") + caption(ui.tr("overview.order"))
    page = 1
    if len(shown) > PAGE_ROWS:  # the heading, then the choice of rows, then the rows
        html_list(title, key="scorecard-heading")
        title = ""
        pages = [str(p) for p in range(1, (len(shown) - 1) // PAGE_ROWS + 2)]  # as ?rows= holds them
        span = lambda p: f"{(int(p) - 1) * PAGE_ROWS + 1:,}–{min(int(p) * PAGE_ROWS, len(shown)):,}"  # noqa: E731
        page = int(ui.url_choice(ui.tr("overview.rows"), pages, "rows", span, st.columns([1, 4])[0]))
    rows = shown.iloc[(page - 1) * PAGE_ROWS : page * PAGE_ROWS]
    html_list(title + rows_html(data_key, ui.lang(), choice, f"scorecard/{page}", rows), key="scorecard")

pace_json, passed = pace(data_key, ui.lang(), choice, shown)
basic_chart(
    pace_json, key="pace", above=heading(ui.tr("overview.pace"), "pace") + caption(ui.tr("overview.pace_caption"))
)
if not passed.empty:
    first_rows(passed, "passed", heading(ui.tr("overview.passed", n=f"{len(passed):,}"), "passed", line=True))
