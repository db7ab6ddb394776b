"""One target: status, sentence and chart first; where the figures and the target come from; the working-out."""

import logging
from pathlib import Path

import pandas as pd
import streamlit as st

from tracker.charts import target_chart
from tracker.paths import public_target_url, site_url
from tracker.target_card import (
    chart_image,
    evidence_rows,
    image_export_available,
    same_goal,
    source_line,
    with_citation,
    working_out,
)
from views import cached
from views.widgets import (
    download_buttons,
    embedded,
    esc,
    facts_table,
    file_text,
    html_block,
    label,
    lang,
    name,
    page_header,
    page_url,
    plain,
    shareable_url,
    short,
    status_badge,
    target_link,
    tr,
    tr_html,
    url_choice,
    web_link,
)  # fmt: skip

targets = cached.targets()
ids = list(targets["id"])
asked = st.query_params.get("target")
if asked is not None and asked not in ids:
    page_header(tr("target.not_found_title"))
    st.error(tr("target.not_found", id=plain(asked)))  # the id comes from the URL
    in_targets = cached.target_file_problems()
    if not in_targets.empty:
        st.warning(tr("target.maybe_left_out"))
        html_block("<ul>" + "".join(f"<li><code>{esc(p.path)}:{p.line}:{p.col}</code> {esc(p.message)}</li>"
                                    for p in in_targets.itertuples(index=False)) + "</ul>")  # fmt: skip
    html_block(f'<a href="{esc(page_url(""))}" target="_self">← {esc(tr("target.back"))}</a>')
    st.stop()
if not ids:
    page_header(tr("page.target"))
    st.info(tr("target.none"))
    st.stop()

titles = {i: name(e, z) for i, e, z in zip(targets["id"], targets["title"], targets["title_zh"], strict=True)}
target_id = asked if asked in ids else ids[0]
t = targets.set_index("id").loc[target_id]
a = cached.assessed().set_index("id").loc[target_id]
title = titles[target_id]
page_header(title, title)
if not embedded():
    url_choice(tr("target.pick"), ids, "target", titles.get, st.sidebar)

kind = a.get("kind") or "commitment"
policy = name(t["policy_title"], t["policy_title_zh"])
explanation = (
    a.get("explanation_zh") if lang() == "zh" and isinstance(a.get("explanation_zh"), str) else a["explanation"]
)
card = ['<div class="target-card" style="border-left:6px solid #d0d7de;padding:0.3rem 0.9rem;margin-bottom:0.6rem">',
        f'<div style="font-size:1.1rem">{status_badge(a["status"])} <span class="muted">· {esc(tr(f"kind.{kind}"))}</span></div>']  # fmt: skip
coverage = name(t.get("coverage_name"), t.get("coverage_name_zh"))
if coverage:
    card.append(f'<div class="coverage muted">{esc(tr("target.coverage", coverage=coverage))}</div>')
proxy = a.get("proxy_coverage")
if isinstance(proxy, str) and proxy:
    proxy_name = name(t.get("proxy_coverage_name"), t.get("proxy_coverage_name_zh")) or proxy
    why = file_text(t.get("proxy_why"), t.get("proxy_why_zh"))
    card.append(f'<div class="proxy">{tr_html("target.proxy", coverage=esc(proxy_name), why=why)}</div>')
reading = file_text(t.get("interpretation"), t.get("interpretation_zh"))
if kind == "interpreted":
    card.append(f'<div>{esc(tr("target.wording", words=t.get("wording") or ""))}</div>'
                f'<div class="reading">{tr_html("target.reading", reading=reading)}</div>')  # fmt: skip
card.append(f'<p style="margin:0.4rem 0 0">{esc(explanation)}</p>')
same = same_goal(targets, target_id, cached.goals())
if not same.empty:  # a goal two documents set: said on both pages, each linking to the other
    policies = esc(tr("target.same_goal_sep")).join(
        f'<a href="{esc(target_link(o.id))}" target="_self">{esc(name(o.policy_title, o.policy_title_zh))}</a>'
        for o in same.itertuples(index=False))  # fmt: skip
    card.append(
        f'<p class="same-goal muted" style="margin:0.3rem 0 0">{tr_html("target.same_goal", policies=policies)}</p>'
    )
card.append("</div>")
html_block("".join(card))

series = cached.observations(t["indicator"])
others = cached.assessed()
references = others[(others["indicator"] == t["indicator"]) & (others["id"] != target_id)]
references = references[references["kind"] == "reference"] if "kind" in references else references.iloc[0:0]
fig = target_chart(a, series, cached.today(), lang(), references)
st.plotly_chart(fig, width="stretch", key="target_chart", config={"toImageButtonOptions": {"filename": target_id}})
issuer = name(t["issuer"], t.get("issuer_zh"))
line = source_line(series, policy, issuer, t["issued"], lang())
html_block(f'<p class="source-line" data-testid="source-line">{esc(line)} '
           f'{web_link(t["policy_url"], tr("target.read_document"))}</p>')  # fmt: skip
url = shareable_url("target", target=target_id)
if embedded():  # a chart shown on another site says how current it is and where it comes from
    html_block(f'<p class="muted" data-testid="embed-as-of">{esc(tr("app.as_of", date=cached.today().isoformat()))} '
               f'{web_link(url, tr("target.open_in_tracker"))}</p>')  # fmt: skip

site, site_problem = site_url()
if site_problem:
    logging.getLogger(__name__).warning(site_problem)  # the deployer's setting: not the reader's concern
public = public_target_url(site, lang(), target_id) if site else None
# A chart that travels is cited by its public page when there is one: it opens for anyone, without sign-in.
export = with_citation(fig, title, line, tr("chart.page_line", url=public or url))
if image_export_available():
    c1, c2, _ = st.columns([1, 1, 3])
    c1.download_button(tr("download.png"), lambda: chart_image(export, "png"), f"{target_id}.png", "image/png",
                       key="png", on_click="ignore")  # fmt: skip
    c2.download_button(tr("download.svg"), lambda: chart_image(export, "svg"), f"{target_id}.svg", "image/svg+xml",
                       key="svg", on_click="ignore")  # fmt: skip
else:
    st.caption(tr("download.no_image"))
if embedded():
    st.stop()
with st.expander(tr("share.title"), icon=":material/share:"):
    st.caption(tr("share.app"))
    st.code(url, language=None, wrap_lines=True)
    if public:
        st.caption(tr("share.public"))
        st.code(public, language=None, wrap_lines=True)
    st.caption(tr("share.embed"))
    embed = shareable_url("target", target=target_id, embed="true")
    st.code(f'<iframe src="{esc(embed)}" title="{esc(title)}" width="100%" height="640" style="border:0"></iframe>',
            language="html", wrap_lines=True)  # fmt: skip

st.subheader(tr("target.document"))
document = tr_html(
    "chart.document", title=web_link(t["policy_url"], policy), issuer=esc(issuer), issued=esc(t["issued"])
)
html_block(f"<p>{label('target.policy')} {document}"
           f"<br>{label('target.clause')} {file_text(t['source'], t.get('source_zh'))}</p>")  # fmt: skip
if kind != "interpreted" and isinstance(t.get("interpretation"), str):
    html_block(f'<p class="reading">{label("target.made_numeric")} {reading}</p>')

st.subheader(tr("target.evidence"))
st.caption(tr("target.evidence_caption", indicator=name(t["indicator_name"], t["indicator_name_zh"])))
rows = evidence_rows(series, t["unit"], lang())
if not rows:
    st.info(tr("indicators.no_data"))  # no empty table, and nothing to download
else:
    columns = [tr(f"ev.{k}") for k in ("period", "value", "as_published", "coverage", "source", "publisher",
                                       "published", "note")]  # fmt: skip
    html_block(facts_table(columns, [
        [esc(r["period"]), esc(r["value"]), esc(r["as_published"]), esc(r["coverage"]), web_link(r["url"], r["source"]),
         esc(r["publisher"]), esc(r["published"]), esc(r["note"])] for r in rows], whole=(0, 1, 2, 6)))  # fmt: skip
    download = pd.DataFrame(rows).rename(columns={k: tr(f"ev.{k}") for k in rows[0]})
    download_buttons(st.columns([1, 1, 3])[:2], (tr("download.series_csv"), tr("download.series_excel")),
                     ("target", cached.version(), lang(), target_id), download, t["indicator"],
                     ("series_csv", "series_xlsx"))  # fmt: skip

st.subheader(tr("target.working"))
html_block(facts_table([tr("work.component"), tr("work.value")],
                       [[esc(k), esc(v)] for k, v in working_out(a, t["unit"], lang())], stack=False))  # fmt: skip
html_block(f'<p><a href="{esc(page_url("methodology"))}" target="_self">{esc(tr("target.how"))}</a></p>')

st.subheader(tr("target.history"))
history = cached.history(target_id)
if history is None:
    st.caption(tr("target.no_git", file=f"targets/{Path(t['file']).name}"))
elif not history:
    st.caption(tr("target.no_commits"))
else:
    html_block(facts_table(
        [tr("hist.date"), tr("hist.change"), tr("hist.what")],
        [[esc(h.date), esc(h.subject), esc("; ".join(f"{f}: {short(o)} → {short(n)}" for f, o, n in h.changes))]
         for h in reversed(history)]))  # fmt: skip
