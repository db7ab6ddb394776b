"""One target: status, sentence and chart first; where the figures and the target come from; the working-out."""

import logging
from pathlib import Path

import pandas as pd
import streamlit as st

from tracker.charts import target_chart
from tracker.history import change_text
from tracker.paths import public_target_url, site_url
from tracker.scorecard import status_note
from tracker.target_card import (
    chart_image,
    evidence_converted,
    evidence_rows,
    image_export_available,
    same_goal,
    source_line,
    with_citation,
    working_out,
)
from views import cached
from views import widgets as ui

targets = cached.targets()
ids = list(targets["id"])
asked = st.query_params.get("target")
if asked is not None and asked not in ids:
    ui.page_header(ui.tr("target.not_found_title"))
    st.error(ui.tr("target.not_found", id=ui.plain(asked)))  # the id comes from the URL
    in_targets = cached.target_file_problems()
    if not in_targets.empty:
        st.warning(ui.tr("target.maybe_left_out"))
        ui.html_block("<ul>" + "".join(f"<li><code>{ui.esc(p.path)}:{p.line}:{p.col}</code> {ui.esc(p.message)}</li>"
                                    for p in in_targets.itertuples(index=False)) + "</ul>")  # fmt: skip
    ui.html_block(f'<a href="{ui.esc(ui.page_url(""))}" target="_self">← {ui.esc(ui.tr("target.back"))}</a>')
    st.stop()
if not ids:
    ui.page_header(ui.tr("page.target"))
    st.info(ui.tr("target.none"))
    st.stop()

titles = {i: ui.name(e, z) for i, e, z in zip(targets["id"], targets["title"], targets["title_zh"], strict=True)}
target_id = asked if asked in ids else ids[0]
t = targets.set_index("id").loc[target_id]
a = cached.assessed().set_index("id").loc[target_id]
title = titles[target_id]
ui.page_header(title, title)
if not ui.embedded():
    ui.url_choice(ui.tr("target.pick"), ids, "target", titles.get, st.sidebar)

kind = a.get("kind") or "commitment"
policy = ui.name(t["policy_title"], t["policy_title_zh"])
explanation = (
    a.get("explanation_zh") if ui.lang() == "zh" and isinstance(a.get("explanation_zh"), str) else a["explanation"]
)
card = ['<div class="target-card" style="border-left:6px solid #d0d7de;padding:0.3rem 0.9rem;margin-bottom:0.6rem">',
        f'<div style="font-size:1.1rem">{ui.status_badge(a["status"])} <span class="muted">· {ui.esc(ui.tr(f"kind.{kind}"))}</span></div>']  # fmt: skip
note = status_note(a, ui.lang())  # as the scorecard's row says it: the trend under a waiting verdict, an old figure
if note:
    card.append(f'<div class="status-note muted">{ui.esc(note)}</div>')
coverage = ui.name(t.get("coverage_name"), t.get("coverage_name_zh"))
if coverage:
    card.append(f'<div class="coverage muted">{ui.esc(ui.tr("target.coverage", coverage=coverage))}</div>')
proxy = a.get("proxy_coverage")
if isinstance(proxy, str) and proxy:
    proxy_name = ui.name(t.get("proxy_coverage_name"), t.get("proxy_coverage_name_zh")) or proxy
    why = ui.file_text(t.get("proxy_why"), t.get("proxy_why_zh"))
    card.append(f'<div class="proxy">{ui.tr_html("target.proxy", coverage=ui.esc(proxy_name), why=why)}</div>')
reading = ui.file_text(t.get("interpretation"), t.get("interpretation_zh"))
if kind == "interpreted":
    card.append(f'<div>{ui.esc(ui.tr("target.wording", words=t.get("wording") or ""))}</div>'
                f'<div class="reading">{ui.tr_html("target.reading", reading=reading)}</div>')  # fmt: skip
card.append(f'<p style="margin:0.4rem 0 0">{ui.esc(explanation)}</p>')
same = same_goal(targets, target_id, cached.goals())
if not same.empty:  # a goal two documents set: said on both pages, each linking to the other
    policies = ui.esc(ui.tr("target.same_goal_sep")).join(
        f'<a href="{ui.esc(ui.target_link(o.id))}" target="_self">{ui.esc(ui.name(o.policy_title, o.policy_title_zh))}</a>'
        for o in same.itertuples(index=False))  # fmt: skip
    card.append(
        f'<p class="same-goal muted" style="margin:0.3rem 0 0">{ui.tr_html("target.same_goal", policies=policies)}</p>'
    )
card.append("</div>")
ui.html_block("".join(card))

series = cached.observations(t["indicator"])
others = cached.assessed()
references = others[(others["indicator"] == t["indicator"]) & (others["id"] != target_id)]
references = references[references["kind"] == "reference"] if "kind" in references else references.iloc[0:0]
fig = target_chart(a, series, cached.today(), ui.lang(), references)
st.plotly_chart(fig, width="stretch", key="target_chart", config={"toImageButtonOptions": {"filename": target_id}})
issuer = ui.name(t["issuer"], t.get("issuer_zh"))
line = source_line(series, policy, issuer, t["issued"], ui.lang())
ui.html_block(f'<p class="source-line" data-testid="source-line">{ui.esc(line)} '
           f'{ui.web_link(t["policy_url"], ui.tr("target.read_document"))}</p>')  # fmt: skip
url = ui.shareable_url("target", target=target_id)
if ui.embedded():  # a chart shown on another site says how current it is and where it comes from
    ui.html_block(f'<p class="muted" data-testid="embed-as-of">{ui.esc(ui.tr("app.as_of", date=cached.today().isoformat()))} '
               f'{ui.web_link(url, ui.tr("target.open_in_tracker"))}</p>')  # fmt: skip

site, site_problem = site_url()
if site_problem:
    logging.getLogger(__name__).warning(site_problem)  # the deployer's setting: not the reader's concern
public = public_target_url(site, ui.lang(), target_id) if site else None
# A chart that travels is cited by its public page when there is one: it opens for anyone, without sign-in.
export = with_citation(fig, title, line, ui.tr("chart.page_line", url=public or url))
if image_export_available():
    c1, c2, _ = st.columns([1, 1, 3])
    c1.download_button(ui.tr("download.png"), lambda: chart_image(export, "png"), f"{target_id}.png", "image/png",
                       key="png", on_click="ignore")  # fmt: skip
    c2.download_button(ui.tr("download.svg"), lambda: chart_image(export, "svg"), f"{target_id}.svg", "image/svg+xml",
                       key="svg", on_click="ignore")  # fmt: skip
else:
    st.caption(ui.tr("download.no_image"))
if ui.embedded():
    st.stop()
with st.expander(ui.tr("share.title"), icon=":material/share:"):
    st.caption(ui.tr("share.app"))
    st.code(url, language=None, wrap_lines=True)
    if public:
        st.caption(ui.tr("share.public"))
        st.code(public, language=None, wrap_lines=True)
    st.caption(ui.tr("share.embed"))
    embed = ui.shareable_url("target", target=target_id, embed="true")
    st.code(f'<iframe src="{ui.esc(embed)}" title="{ui.esc(title)}" width="100%" height="640" style="border:0"></iframe>',
            language="html", wrap_lines=True)  # fmt: skip

st.subheader(ui.tr("target.document"))
document = ui.tr_html(
    "chart.document", title=ui.web_link(t["policy_url"], policy), issuer=ui.esc(issuer), issued=ui.esc(t["issued"])
)
ui.html_block(f"<p>{ui.label('target.policy')} {document}"
           f"<br>{ui.label('target.clause')} {ui.file_text(t['source'], t.get('source_zh'))}</p>")  # fmt: skip
if kind != "interpreted" and isinstance(t.get("interpretation"), str):
    ui.html_block(f'<p class="reading">{ui.label("target.made_numeric")} {reading}</p>')

st.subheader(ui.tr("target.evidence"))
st.caption(ui.tr("target.evidence_caption", indicator=ui.name(t["indicator_name"], t["indicator_name_zh"])))
rows = evidence_rows(series, t["unit"], ui.lang())
if not rows:
    st.info(ui.tr("indicators.no_data"))  # no empty table, and nothing to download
else:
    # "As published" only where some figure was converted (亿元 to yuan, million to a number): a second column equal
    # to the first on every row said nothing (the download keeps both).
    converted = evidence_converted(rows)
    keys = ("period", "value", *(("as_published",) if converted else ()), "coverage", "source", "publisher",
            "published", "note")  # fmt: skip
    cells = {"source": lambda r: ui.web_link(r["url"], r["source"])}
    ui.html_block(ui.facts_table([ui.tr(f"ev.{k}") for k in keys],
                                 [[cells[k](r) if k in cells else ui.esc(r[k]) for k in keys] for r in rows],
                                 whole=tuple(i for i, k in enumerate(keys) if k in ("period", "value", "as_published",
                                                                                    "published")),
                                 roomy=(keys.index("coverage"),)))  # fmt: skip
    download = pd.DataFrame(rows).rename(columns={k: ui.tr(f"ev.{k}") for k in rows[0]})
    ui.download_buttons(st.columns([1, 1, 3])[:2], (ui.tr("download.series_csv"), ui.tr("download.series_excel")),
                     ("target", cached.version(), ui.lang(), target_id), download, t["indicator"],
                     ("series_csv", "series_xlsx"))  # fmt: skip

st.subheader(ui.tr("target.working"))
ui.html_block(ui.facts_table([ui.tr("work.component"), ui.tr("work.value")],
                       [[ui.esc(k), ui.esc(v)] for k, v in working_out(a, t["unit"], ui.lang())], stack=False))  # fmt: skip
ui.html_block(f'<p><a href="{ui.esc(ui.page_url("methodology"))}" target="_self">{ui.esc(ui.tr("target.how"))}</a></p>')

st.subheader(ui.tr("target.history"))
history = cached.history(target_id)
if history is None:
    st.caption(ui.tr("target.no_git", file=f"targets/{Path(t['file']).name}"))
elif not history:
    st.caption(ui.tr("target.no_commits"))
else:
    st.caption(ui.tr("hist.caption"))
    ui.html_block(ui.facts_table(
        [ui.tr("hist.date"), ui.tr("hist.change"), ui.tr("hist.what")],
        [[ui.esc(h.date), ui.esc(h.subject), ui.esc("; ".join(change_text(*c, ui.lang()) for c in h.changes))]
         for h in reversed(history)], whole=(0,)))  # fmt: skip
