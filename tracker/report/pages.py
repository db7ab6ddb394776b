"""The pages of the static site, in one language: the same strings as the app (tracker.i18n), the
same assessed numbers (tracker.assess via tracker.scorecard and tracker.target_card), the same charts
(tracker.charts). Everything but the chart is HTML that needs no JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import pandas as pd

from tracker import assess as A
from tracker.charts import series_chart_spec, target_chart_spec
from tracker.escape import html_with_whole
from tracker.i18n import file_text_html, has, t
from tracker.i18n.numbers import unit_name
from tracker.plans import plan_targets, verdict_lists
from tracker.report.figures import chart_html, thinned
from tracker.report.html import bold, esc, link, name, page, plain, status_badge, table, table_row
from tracker.scorecard import KINDS, average_sentence, build_scorecard, status_note, status_rules
from tracker.target_card import evidence_converted, evidence_rows, same_goal, same_goals, source_line, working_out

EVIDENCE_ROWS = 200
"""A page lists at most this many figures (the most recent); the indicator's CSV holds all of them."""


@dataclass
class SiteData:
    """What every page reads, fetched once per build."""

    as_of: date
    meta: dict
    assessed: pd.DataFrame
    targets: pd.DataFrame
    policies: pd.DataFrame
    indicators: pd.DataFrame
    base_url: str = ""
    """The published site's root (ending in ``/``), for each page's own address in its link preview; or ''."""
    cards: dict[str, pd.DataFrame] = field(default_factory=dict)
    evidence: dict[tuple, str] = field(default_factory=dict)
    """The evidence tables of the indicator being drawn (its page and its targets' pages show the same one)."""
    drawn: dict[str, pd.DataFrame] = field(default_factory=dict)
    """The figures each chart of the indicator being drawn shows (the same in both languages), by page."""
    rows: dict[str, tuple[pd.Series, pd.Series]] = field(default_factory=dict)
    """The assessed and catalogue rows of the indicator's targets (read for both pages and the JSON), by target."""
    latest_coverage: dict[str, tuple] = field(default_factory=dict)
    """By indicator, how many coverages its figures are of and the names of its latest figure's coverage
    (``tracker.freshness.latest_coverage``), gathered while the indicators' pages are drawn."""
    listed: dict[str, dict[str, tuple[int, str]]] = field(default_factory=dict)
    verdicts: dict[str, dict[str, list]] = field(default_factory=dict)
    """Per language, the verdict lists of each plan of two or more policies (``tracker.plans.verdict_lists``)."""

    def listed_rows(self, lang: str) -> dict[str, tuple[int, str]]:
        """Each target's row in a list of targets: its place in the scorecard's order and its HTML, written once
        per build (a list is a few of these rows, not a slice of the scorecard)."""
        if lang not in self.listed:
            card = self.card(lang)
            columns = [card[c].tolist() for c in ("id", "title", "kind_label", "status", "latest", "goal", "due")]
            self.listed[lang] = {
                i: (n, table_row([f'<a href="../targets/{esc(i)}.html">{esc(title)}</a>', esc(kind),
                                  status_badge(status, lang), esc(latest), esc(goal), esc(due)]))
                for n, (i, title, kind, status, latest, goal, due) in enumerate(zip(*columns, strict=True))
            }  # fmt: skip
        return self.listed[lang]

    def plan_verdicts(self, plan_id: str, lang: str) -> list:
        """(heading, list markup) per deadline year of a plan's judged targets; [] for a policy that is no such plan."""
        if lang not in self.verdicts:
            self.verdicts[lang] = verdict_lists(self.plans, self.card(lang), lang, lambda i: f"../targets/{i}.html")
        return self.verdicts[lang].get(plan_id, [])

    @cached_property
    def plans(self) -> pd.DataFrame:
        """Each target's plan, verdict and deciding figure (``tracker.plans.plan_targets``), once per build."""
        return plan_targets(self.assessed, self.targets, self.policies, self.as_of)

    @cached_property
    def assessed_by_id(self) -> pd.DataFrame:
        return self.assessed.set_index("id", drop=False)

    @cached_property
    def indicators_by_id(self) -> pd.DataFrame:
        return self.indicators.set_index("id", drop=False)

    @cached_property
    def targets_by_id(self) -> pd.DataFrame:
        return self.targets.set_index("id", drop=False)

    @cached_property
    def references_by_indicator(self) -> dict[str, pd.DataFrame]:
        """The reference levels on each indicator (drawn as lines on the charts of its other targets)."""
        references = self.assessed[self.assessed["kind"] == "reference"]
        return {str(k): group for k, group in references.groupby("indicator", sort=False)}

    @cached_property
    def goals(self) -> dict[str, list[str]]:
        """The targets whose goal other targets also set, with theirs (``target_card.same_goals``)."""
        return same_goals(self.targets)

    def next_indicator(self) -> None:
        """Forget what was kept for the indicator drawn before."""
        self.evidence.clear()
        self.drawn.clear()
        self.rows.clear()

    def records(self, target_id: str) -> tuple[pd.Series, pd.Series]:
        """A target's assessed row and catalogue row, looked up once for its two pages and its JSON."""
        if target_id not in self.rows:
            self.rows[target_id] = (self.assessed_by_id.loc[target_id], self.targets_by_id.loc[target_id])
        return self.rows[target_id]

    def thinned(self, series: pd.DataFrame, page: str, row: object = None) -> pd.DataFrame:
        """:func:`thinned` for the chart of ``page`` (an indicator or a target), worked out once for both languages."""
        if page not in self.drawn:
            self.drawn[page] = thinned(series, row)
        return self.drawn[page]

    def evidence_table(self, series: pd.DataFrame, unit: str, indicator: str, lang: str) -> str:
        """:func:`evidence_table`, built once per indicator, unit and language while that indicator is drawn."""
        key = (indicator, unit, lang)
        if key not in self.evidence:
            self.evidence[key] = evidence_table(series, unit, indicator, lang)
        return self.evidence[key]

    def page(self, lang: str, depth: int, path: str, title: str, body: str, description: str, chart: bool = False,
             context: str = "", dated: bool = True) -> str:  # fmt: skip
        """A page of this build. Every page says under its title when it was assessed and built (a shared page
        that says "On track" must say as of when), unless ``dated`` is False: the body says it already."""
        if dated and "</h1>" in body:
            end = body.index("</h1>") + len("</h1>")
            body = body[:end] + built_line(self, lang) + body[end:]
        return page(lang, depth, path, title, body, description=description, base_url=self.base_url, chart=chart,
                    context=context)  # fmt: skip

    def card(self, lang: str) -> pd.DataFrame:
        """The scorecard in ``lang``, built once per build (every list of targets is a slice of it)."""
        if lang not in self.cards:
            self.cards[lang] = build_scorecard(self.assessed, self.targets, self.as_of, lang)
        return self.cards[lang]


def _series_csv(indicator: str, lang: str) -> str:
    return f'<a href="../../data/series/{esc(indicator)}.csv">{esc(t("site.series_csv", lang))}</a>'


def counts_sentence(counts: pd.DataFrame, lang: str) -> str:
    """'Commitment: 5 on track, 2 missed; Expectation: 1 on track' (kinds counted apart, as on the page)."""
    parts = []
    for kind, rows in counts.groupby("kind", sort=False):
        each = ", ".join(f"{r.targets} {t(f'status.{r.status}', lang)}" for r in rows.itertuples(index=False))
        parts.append(f"{t(f'kind.{kind}', lang)}: {each}")
    return "; ".join(parts)


def built_line(data: SiteData, lang: str) -> str:
    built = str(data.meta.get("built_at", ""))[:16].replace("T", " ")
    return (f'<p class="muted">{esc(t("app.as_of", lang, date=data.as_of.isoformat()))} '
            f'{esc(t("app.built", lang, built=built))}</p>')  # fmt: skip


def _status_card(data: SiteData, a: pd.Series, tg: pd.Series, target_id: str, explanation: str, lang: str) -> str:
    """The block under a target's title: status and kind, coverage, proxy, reading of words, sentence, same goal."""
    kind = a.get("kind") or "commitment"
    card = [f'<div class="target-card"><div>{status_badge(a["status"], lang)} '
            f'<span class="muted">· {esc(t(f"kind.{kind}", lang))}</span></div>']  # fmt: skip
    note = status_note(a, lang)  # as the scorecard's row says it
    if note:
        card.append(f'<div class="status-note muted">{esc(note)}</div>')
    coverage = name(tg.get("coverage_name"), tg.get("coverage_name_zh"), lang)
    if coverage:
        card.append(f'<div class="coverage muted">{esc(t("target.coverage", lang, coverage=coverage))}</div>')
    proxy = a.get("proxy_coverage")
    if isinstance(proxy, str) and proxy:
        proxy_name = name(tg.get("proxy_coverage_name"), tg.get("proxy_coverage_name_zh"), lang) or proxy
        card.append(
            f'<div class="proxy">'
            f"{_with(t('target.proxy', lang, coverage=proxy_name, why=_SLOT), tg, 'proxy_why', lang)}</div>"
        )
    if kind == "interpreted":
        reading = _with(t("target.reading", lang, reading=_SLOT), tg, "interpretation", lang)
        card.append(f"<div>{esc(t('target.wording', lang, words=tg.get('wording') or ''))}</div><div>{reading}</div>")
    card.append(f'<p class="explanation">{esc(explanation)}</p>')
    same = same_goal(data.targets, target_id, data.goals)
    if not same.empty:  # a goal two documents set: said on both pages, each linking to the other
        policies = esc(t("target.same_goal_sep", lang)).join(
            f'<a href="{esc(o.id)}.html">{esc(name(o.policy_title, o.policy_title_zh, lang))}</a>'
            for o in same.itertuples(index=False))  # fmt: skip
        sentence = esc(t("target.same_goal", lang, policies=_SLOT)).replace(_SLOT, policies)
        card.append(f'<p class="same-goal muted">{sentence}</p>')
    card.append("</div>")
    return "".join(card)


def target_page(data: SiteData, target_id: str, series: pd.DataFrame, lang: str) -> str:
    """One target, as the app's target page shows it: status, sentence, chart, sources, evidence, working."""
    a, tg = data.records(target_id)
    title = name(tg["title"], tg["title_zh"], lang)
    kind = a.get("kind") or "commitment"
    policy = name(tg["policy_title"], tg["policy_title_zh"], lang)
    zh_text = a.get("explanation_zh")
    explanation = zh_text if lang == "zh" and isinstance(zh_text, str) else a["explanation"]
    card = _status_card(data, a, tg, target_id, explanation, lang)

    references = data.references_by_indicator.get(str(tg["indicator"]))
    if references is not None:
        references = references[references["id"] != target_id]
    drawn = data.thinned(series, f"targets/{target_id}", a)
    fig = target_chart_spec(a, drawn, data.as_of, lang, references)
    issuer = name(tg["issuer"], tg.get("issuer_zh"), lang)
    clause = file_text_html(tg["source"], tg.get("source_zh"), lang)
    line = source_line(series, policy, issuer, tg["issued"], lang)
    body = [f"<h1>{esc(title)}</h1>", card,
            chart_html(fig, lang, len(drawn), len(series), _series_csv(tg["indicator"], lang)),
            f'<p class="source-line">{esc(line)} {link(tg["policy_url"], t("target.read_document", lang))}</p>',
            f"<h2>{esc(t('target.document', lang))}</h2>",
            f"<p><b>{esc(t('target.policy', lang))}:</b> <a href=\"../policies/{esc(tg['policy_id'])}.html\">"
            f"{esc(policy)}</a> ({esc(issuer)}, {esc(tg['issued'])}) {link(tg['policy_url'], '↗')}<br>"
            f"<b>{esc(t('target.clause', lang))}:</b> {clause}</p>"]  # fmt: skip
    if kind != "interpreted" and isinstance(tg.get("interpretation"), str):
        reading = file_text_html(tg["interpretation"], tg.get("interpretation_zh"), lang)
        body.append(f"<p><b>{esc(t('target.made_numeric', lang))}:</b> {reading}</p>")
    indicator = name(tg["indicator_name"], tg["indicator_name_zh"], lang)
    body += [f"<h2>{esc(t('target.evidence', lang))}</h2>",
             f'<p class="muted">{esc(t("target.evidence_caption", lang, indicator=indicator))} '
             f'<a href="../indicators/{esc(tg["indicator"])}.html">{esc(t("site.indicator_page", lang))}</a></p>',
             data.evidence_table(series, tg["unit"], tg["indicator"], lang),
             f"<h2>{esc(t('target.working', lang))}</h2>",
             table([t("work.component", lang), t("work.value", lang)],
                   [[esc(k), esc(v)] for k, v in working_out(a, tg["unit"], lang)]),
             f'<p><a href="../methodology.html">{esc(t("target.how", lang))}</a> · '
             f'<a href="../../data/targets/{esc(target_id)}.json">'
             f'{esc(t("site.status_json", lang))}</a></p>']  # fmt: skip
    # Two documents may set the same target: the policy in the browser's title tells their pages apart.
    return data.page(lang, 2, f"targets/{target_id}.html", title, "".join(body), explanation, chart=True,
                     context=policy)  # fmt: skip


def evidence_table(series: pd.DataFrame, unit: str, indicator: str, lang: str) -> str:
    note = ""
    if len(series) > EVIDENCE_ROWS:
        text = esc(t("site.figures_shown", lang, shown=EVIDENCE_ROWS, total=len(series), file="\x00"))
        note = f'<p class="muted">{text.replace(chr(0), _series_csv(indicator, lang))}</p>'
        series = series.tail(EVIDENCE_ROWS)
    rows = evidence_rows(series, unit, lang)
    if not rows:
        return f"<p>{esc(t('chart.no_figure', lang))}.</p>"
    # As in the app: "As published" only where some figure was converted (the CSV keeps it for every figure).
    converted = evidence_converted(rows)
    keys = ("period", "value", *(("as_published",) if converted else ()), "coverage", "source", "publisher",
            "published", "note")  # fmt: skip
    sources = {key: link(*key) for key in dict.fromkeys((r["url"], r["source"]) for r in rows)}  # a few files
    cells = [[sources[r["url"], r["source"]] if k == "source" else esc(r[k]) for k in keys] for r in rows]
    table_html = table([t(f"ev.{k}", lang) for k in keys], cells, "evidence")
    return note + (table_html if converted else f'<div class="unconverted">{table_html}</div>')


def _target_rows(data: SiteData, ids: pd.Series, lang: str) -> str:
    listed = data.listed_rows(lang)
    rows = sorted(listed[i] for i in ids if i in listed)
    cols = [t(f"col.{c}", lang) for c in ("target_title", "kind", "status", "latest", "target", "deadline")]
    return table(cols, [], written="".join(html for _, html in rows))


_SLOT = "\x00"


def _with(template: str, row: pd.Series, key: str, lang: str) -> str:
    """A catalogue sentence, escaped, with a file's text ``row[key]`` (in ``lang``, marked when English stands
    in) in its slot."""
    return esc(template).replace(_SLOT, file_text_html(row.get(key), row.get(f"{key}_zh"), lang))


def policy_page(data: SiteData, policy: pd.Series, lang: str) -> str:
    title = name(policy["title"], policy["title_zh"], lang)
    issuer = name(policy["issuer"], policy.get("issuer_zh"), lang)
    own = data.targets[data.targets["policy_id"] == policy["id"]]
    judged = data.assessed[data.assessed["id"].isin(own["id"]) & data.assessed["judged"].astype(bool)]
    issued_on = html_with_whole(t("policies.issued", lang, date="\x00"), str(policy["issued"]))  # the date kept whole
    body = [f"<h1>{esc(title)}</h1>",
            f'<p class="muted">{esc(issuer)}, {issued_on} '
            f'{link(policy["url"], t("target.read_document", lang))}</p>']  # fmt: skip
    parent = policy.get("parent")
    if isinstance(parent, str) and parent:
        body.append(f'<p><b>{esc(t("site.parent", lang))}:</b> <a href="{esc(parent)}.html">{esc(parent)}</a></p>')
    if isinstance(policy.get("summary"), str):
        summary = file_text_html(policy["summary"], policy.get("summary_zh"), lang)
        body.append(f"<p><b>{esc(t('site.summary', lang))}:</b> {summary}</p>")
    verdicts = data.plan_verdicts(policy["id"], lang)
    if verdicts:  # a plan with sub-plans or notices: its verdicts by deadline, theirs included
        note = esc(t("site.verdicts_note", lang))
        body += [f"<h2>{esc(t('site.verdicts', lang))}</h2>", f'<p class="muted">{note}</p>',
                 *(f"<h3>{esc(heading)}</h3>{items}" for heading, items in verdicts)]  # fmt: skip
        body.append(f"<h2>{esc(t('site.own_targets', lang))}</h2>")
    average = average_sentence(judged["score"], len(judged), lang)  # as the app says it
    body += [f"<p>{bold(average)}</p>" if average else "", _target_rows(data, own["id"], lang)]
    issued = t("policies.issued", lang, date=policy["issued"])
    about = f"{issuer}, {issued}." + (f" {plain(average)}" if average else "")
    return data.page(lang, 2, f"policies/{policy['id']}.html", title, "".join(body), about)


def indicator_page(data: SiteData, indicator: pd.Series, series: pd.DataFrame, lang: str) -> str:
    title = name(indicator["name"], indicator["name_zh"], lang)
    definition = file_text_html(indicator["definition"], indicator.get("definition_zh"), lang)
    facts = [[esc(t("ind.unit", lang)), esc(unit_name(indicator["unit"], lang))],
             [esc(t("ind.frequency", lang)), esc(t(f"frequency.{indicator['frequency']}", lang))],
             [esc(t("site.definition", lang)), definition],
             [esc(t("ind.figures", lang)), esc(indicator["figures"])]]  # fmt: skip
    body = [f"<h1>{esc(title)}</h1>", table([t("ind.name", lang), title], facts)]  # table() escapes its headings
    if series.empty:
        body.append(f"<p>{esc(t('indicators.no_data', lang))}</p>")
    else:
        drawn = data.thinned(series, f"indicators/{indicator['id']}")
        body.append(chart_html(series_chart_spec(drawn, indicator["unit"], lang), lang, len(drawn), len(series),
                               _series_csv(indicator["id"], lang)))  # fmt: skip
    own = data.targets.loc[data.targets["indicator"] == indicator["id"], "id"]  # the one column read, not the frame
    body += [f"<h2>{esc(t('site.targets_on', lang))}</h2>", _target_rows(data, own, lang),
             f"<h2>{esc(t('target.evidence', lang))}</h2>",
             data.evidence_table(series, indicator["unit"], indicator["id"], lang)]  # fmt: skip
    return data.page(lang, 2, f"indicators/{indicator['id']}.html", title, "".join(body),
                     str(indicator["definition"] or title), chart=not series.empty)  # fmt: skip


def _latest(data: SiteData, indicator, lang: str) -> str:
    """An indicator's latest period, and under it, where its figures are of several coverages, the coverage of that
    figure (as the app's list of indicators shows it): a target is judged on its own coverage only."""
    period = esc(indicator.last_period or "")
    count, en, zh = data.latest_coverage.get(indicator.id, (0, None, None))
    return period + (f'<br><small class="muted">{esc(name(en, zh, lang))}</small>' if count > 1 and en else "")


def list_page(data: SiteData, what: str, lang: str) -> str:
    """policies.html or indicators.html: every policy or indicator, linked."""
    if what == "policies":
        frame, heading = data.policies, t("site.all_policies", lang)
        rows = [[f'<a href="policies/{esc(p.id)}.html">{esc(name(p.title, p.title_zh, lang))}</a>',
                 esc(name(p.issuer, getattr(p, "issuer_zh", None), lang)),
                 f'<span class="nowrap">{esc(p.issued)}</span>'] for p in frame.itertuples(index=False)]  # fmt: skip
        cols = [t("col.policy", lang), t("col.issuer", lang), t("col.issued", lang)]
    else:
        frame, heading = data.indicators, t("site.all_indicators", lang)
        rows = [[f'<a href="indicators/{esc(i.id)}.html">{esc(name(i.name, i.name_zh, lang))}</a>',
                 esc(unit_name(i.unit, lang)), esc(i.figures), _latest(data, i, lang)]
                for i in frame.itertuples(index=False)]  # fmt: skip
        cols = [t("ind.name", lang), t("ind.unit", lang), t("ind.figures", lang), t("ind.latest", lang)]
    body = f"<h1>{esc(heading)}</h1>{table(cols, rows)}"
    return data.page(lang, 1, f"{what}.html", heading, body, t(f"site.about_{what}", lang, count=len(frame)))


def methodology_page(data: SiteData, lang: str) -> str:
    """The methodology, from the constants the code uses (as views/methodology.py shows it)."""
    kinds = table([t("col.kind", lang), t("method.meaning", lang)],
                  [[esc(t(f"kind.{k}", lang)), esc(t(f"method.kind_{k}", lang))] for k in KINDS])  # fmt: skip
    methods = table([t("method.method", lang), t("method.formula", lang)],
                    [[esc(t(f"method.{m.name}", lang) if has(f"method.{m.name}", lang) else m.name),
                      esc(t(f"method.describe_{m.name}", lang) if has(f"method.describe_{m.name}", lang)
                          else m.description)] for m in A.METHODS.values()])  # fmt: skip
    status_rows = [[status_badge(s, lang), esc(rule), esc(score)] for s, rule, score in status_rules(lang)]
    score = t("method.score", lang, low=f"{A.SCORE_MIN:+.0f}", high=f"{A.SCORE_MAX:+.0f}", acc=A.ACCELERATION,
              up=f"{A.SCORE_UPPER_SLOPE:.4f}", down=f"{A.SCORE_LOWER_SLOPE:.4f}")  # fmt: skip
    projection = t("method.projection", lang, points=A.FIT_POINTS, years=f"{A.RECENCY_YEARS:g}",
                   level=f"{A.PROJECTION_LEVEL:.0%}")  # fmt: skip
    closing = [score, t("method.base", lang), projection, t("method.sources", lang)]
    body = [f"<h1>{esc(t('method.title', lang))}</h1><p>{bold(t('method.intro', lang))}</p>",
            f"<p>{bold(t('method.kinds', lang))}</p>", kinds, f"<p>{bold(t('method.methods', lang))}</p>", methods,
            table([t("col.status", lang), t("method.rule", lang), t("col.score", lang)], status_rows),
            *(f"<p>{bold(text)}</p>" for text in closing)]  # fmt: skip
    return data.page(lang, 1, "methodology.html", t("method.title", lang), "".join(body),
                     plain(t("method.intro", lang)))  # fmt: skip
