"""The static site: a page per target, policy and indicator in English and Chinese, shared assets,
relative links, the open data package and the feed of status changes."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import ROOT, SITE_AS_OF, small_project
from tracker import queries, store
from tracker.assess import assess
from tracker.catalog import load_catalogue
from tracker.escape import html_text
from tracker.i18n import t
from tracker.report import write_report
from tracker.scorecard import build_scorecard

AS_OF = SITE_AS_OF
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def site(shipped_site, shipped_database):
    """The project's own site (built once per test run); and the assessed scorecard it must agree with."""
    con = store.connect(shipped_database)
    try:
        assessed, targets = assess(con, AS_OF), queries.targets(con)
        cards = {lang: build_scorecard(assessed, targets, AS_OF, lang) for lang in ("en", "zh")}
        meta = queries.meta(con)
    finally:
        con.close()
    return shipped_site, cards, meta


def _pages(out):
    return sorted(out.rglob("*.html"))


def test_every_target_policy_and_indicator_has_a_page_in_both_languages(site):
    out, _, _ = site
    catalogue = load_catalogue(ROOT / "targets", ROOT / "data")
    for lang in ("en", "zh"):
        for target_id in catalogue.targets:
            assert (out / lang / "targets" / f"{target_id}.html").is_file()
            assert (out / "data" / "targets" / f"{target_id}.json").is_file()
        for policy_id in catalogue.policies:
            assert (out / lang / "policies" / f"{policy_id}.html").is_file()
        for indicator_id in catalogue.indicators:
            assert (out / lang / "indicators" / f"{indicator_id}.html").is_file()
        for name in ("index", "policies", "indicators", "methodology", "data"):
            assert (out / lang / f"{name}.html").is_file()


def test_plotly_is_shared_once_and_every_link_is_relative_and_resolves(site):
    out, _, _ = site
    from tracker.report.html import PLOTLY_BUNDLE

    plotly_js = PLOTLY_BUNDLE.read_text(encoding="utf-8")  # the app's own copy of Plotly's basic bundle
    assert (out / "assets" / "plotly-basic.min.js").read_text(encoding="utf-8") == plotly_js
    assert not (out / "assets" / "plotly.min.js").exists()
    broken, charts = [], 0
    for path in _pages(out):
        text = path.read_text(encoding="utf-8")
        assert plotly_js[:200] not in text, f"{path} inlines plotly.js"
        drawn = re.search(r"Plotly\.newPlot\(\s*\"chart\",\s*(\[.*?\]),\s*\{", text, re.S)
        if drawn:  # the basic bundle draws scatter, bar and pie traces only
            charts += 1
            assert {trace["type"] for trace in json.loads(drawn.group(1))} <= {"scatter", "bar", "pie"}, path
        assert len(text.encode()) < 200_000, f"{path} is {len(text.encode())} bytes"
        for ref in re.findall(r'(?:href|src)="([^"]+)"', text):
            if ref.startswith(("http://", "https://", "data:")):
                continue
            assert not ref.startswith("/"), f"{path}: {ref} is not relative"
            if not (path.parent / ref.split("#")[0]).resolve().is_file():
                broken.append((path.relative_to(out), ref))
    assert broken == []
    assert charts > 0


def test_pages_show_the_apps_numbers_and_wording(site):
    out, cards, _ = site
    for lang, card in cards.items():
        index = (out / lang / "index.html").read_text(encoding="utf-8")
        for r in card.itertuples(index=False):
            assert f'href="targets/{r.id}.html">' in index
            for text in (r.goal, r.latest, r.due):
                assert html_text(text) in index, (lang, r.id, text)
            if r.status_note:  # a passed deadline waiting for its figure says so under its status, as in the app
                row = index.split(f'href="targets/{r.id}.html">')[1].split("</tr>")[0]
                assert html_text(r.status_note) in row, (lang, r.id)
        assert card["status_note"].astype(bool).sum() >= 5
    page = (out / "en" / "targets" / "mobile-iot-3-6bn-connections-by-2027.html").read_text(encoding="utf-8")
    assert "the recent figures takes the figure to 3.46 billion connections by end-2027" in page
    assert "Assessed as of 2026-11-29" in (out / "en" / "index.html").read_text(encoding="utf-8")


def test_chinese_pages_are_chinese(site):
    out, cards, _ = site
    index = (out / "zh" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-Hans">' in index
    assert ">总览</a>" in index and ">方法说明</a>" in index
    for r in cards["zh"].itertuples(index=False):
        assert html_text(r.title) in index and r.status_label in index
    page = (out / "zh" / "targets" / "cnc-rate-75-by-2027.html").read_text(encoding="utf-8")
    assert '<a href="../../en/targets/cnc-rate-75-by-2027.html" hreflang="en">English</a>' in page
    assert "部分来源名称和备注是数据文件中的英文记录，尚未译成中文。" in page  # the notes are English
    # but the publishers are named in Chinese, in the evidence table and the source line under the chart alike
    assert "<td>新华社（工业和信息化部部长肖亚庆）</td>" in page
    assert '<p class="source-line">来源：新华社（工业和信息化部部长肖亚庆）（2012、2020）；' in page
    assert "Xinhua (MIIT Minister Xiao Yaqing)" not in page


def test_the_data_package_validates_and_holds_every_figure_and_status(site):
    frictionless = pytest.importorskip("frictionless")
    out, cards, meta = site
    report = frictionless.validate(str(out / "data" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    observations = json.loads((out / "data" / "observations.json").read_text(encoding="utf-8"))
    assert len(observations) == int(meta["count_observations"])
    with open(out / "data" / "observations.csv", encoding="utf-8", newline="") as f:
        qualifiers = [row["qualifier"] for row in csv.DictReader(f)]
    # The codes as the files give them, in the CSV as in the JSON: "=" (a figure as published), not '=.
    assert qualifiers == [o["qualifier"] for o in observations] and "=" in qualifiers
    statuses = {r["id"]: r for r in json.loads((out / "data" / "statuses.json").read_text(encoding="utf-8"))}
    assert {i: r["status"] for i, r in statuses.items()} == dict(
        zip(cards["en"]["id"], cards["en"]["status"], strict=True)
    )
    one = json.loads((out / "data" / "targets" / "mobile-iot-3-6bn-connections-by-2027.json").read_text("utf-8"))
    assert one["status"] == statuses["mobile-iot-3-6bn-connections-by-2027"]["status"]
    components = {c["component"] for c in one["working_out"]["en"]}
    assert {"Base figure", "Latest figure", "Ratio of observed to required (R)"} <= components


def _git(repo, *args):
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def test_the_feed_lists_a_status_change_made_in_a_commit(tmp_path):
    repo = small_project(tmp_path / "repo", "miit-mobile-iot-2024.yaml")  # the target whose figures go
    _git(repo, "init", "-q")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", ".")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "start")
    out = tmp_path / "out"

    def build(folder=out, previous=None):
        store.build(repo / "targets", repo / "data", tmp_path / "t.duckdb")
        con = store.connect(tmp_path / "t.duckdb")
        try:
            write_report(con, folder, AS_OF, previous)
        finally:
            con.close()

    build()
    assert ET.parse(out / "feed.xml").getroot().findall(f"{ATOM}entry") == [], "a first build has nothing to compare"
    _git(repo, "rm", "-q", "data/observations/mobile-iot-connections.csv")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "withdraw the figures")
    build()
    entries = ET.parse(out / "feed.xml").getroot().findall(f"{ATOM}entry")
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert "More than 3.6 billion mobile IoT connections by 2027: Acceleration needed → No data" in titles
    entry = entries[titles.index("More than 3.6 billion mobile IoT connections by 2027: Acceleration needed → No data")]
    assert entry.find(f"{ATOM}link").get("href") == "en/targets/mobile-iot-3-6bn-connections-by-2027.html"
    assert "has been found in a citable source yet" in entry.findtext(f"{ATOM}summary")
    # A CI job starts with an empty folder and hands over the published site's data instead.
    build(tmp_path / "fresh", previous=out)  # nothing changed: the earlier entries stay, no new one
    again = ET.parse(tmp_path / "fresh" / "feed.xml").getroot().findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in again] == titles
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "no building folder is left behind"


def test_hostile_text_is_escaped_and_only_http_links_are_links(tmp_path):
    small_project(tmp_path, "miit-quality-enterprises-2021.yaml")  # the targets on little-giants
    path = tmp_path / "data" / "observations" / "little-giants.csv"
    text = path.read_text(encoding="utf-8").replace(
        "2022全国专精特新中小企业发展大会 report", "<script>alert(1)</script><img src=x onerror=alert(2)>"
    )
    text = text.replace("https://ordoszxqy.org.cn/article/info/1945", "javascript:alert(3)")
    path.write_text(text, encoding="utf-8")
    report = store.build(tmp_path / "targets", tmp_path / "data", tmp_path / "t.duckdb")
    assert "little-giants.csv" in " ".join(str(p) for p in report.left_out), "a javascript: address is rejected"
    path.write_text(text.replace("javascript:alert(3)", ""), encoding="utf-8")
    store.build(tmp_path / "targets", tmp_path / "data", tmp_path / "t.duckdb")
    con = store.connect(tmp_path / "t.duckdb")
    try:
        out = write_report(con, tmp_path / "out").parent
    finally:
        con.close()
    pages = "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.html"))
    assert "<script>alert(1)</script>" not in pages
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in pages
    assert 'href="javascript:' not in pages and "href='javascript:" not in pages


def test_pages_drawn_by_worker_processes_are_the_same(tmp_path, monkeypatch):
    """The site drawn by two worker processes is the one drawn in this process, page for page; a few policies'
    site, cut into a piece of work per indicator so that each worker draws several (the whole catalogue made
    three pieces, and written again cost a fifth of this file's time)."""
    from tracker import report

    project = small_project(tmp_path / "project", "miit-industrial-equipment-renewal-plan-2024.yaml",
                            "miit-mobile-iot-2024.yaml")  # fmt: skip
    store.build(project / "targets", project / "data", tmp_path / "t.duckdb")
    monkeypatch.setattr(report, "CHUNK", 1)
    con = store.connect(tmp_path / "t.duckdb")
    try:
        assert len(queries.indicators(con)) >= 4, "more pieces of work than workers"
        here = write_report(con, tmp_path / "here", AS_OF, jobs=1).parent
        apart = write_report(con, tmp_path / "apart", AS_OF, jobs=2).parent
    finally:
        con.close()
    pages = sorted(p.relative_to(here) for p in here.rglob("*.html"))
    assert sorted(p.relative_to(apart) for p in apart.rglob("*.html")) == pages
    for path in ("en/targets/cnc-rate-75-by-2027.html", "zh/indicators/mobile-iot-connections.html"):
        assert Path(path) in pages
    for path in pages:
        # Only a time of day may differ (the pages are written a moment apart).
        first, second = ((o / path).read_text(encoding="utf-8") for o in (here, apart))
        assert re.sub(r"\d\d:\d\d", "", first) == re.sub(r"\d\d:\d\d", "", second), path


def test_chinese_pages_give_the_files_own_chinese_texts_as_the_app_does(site):
    """The clause, reading, proxy reason, issuer, summary and definition come from the files' _zh keys on
    Chinese pages and from the English keys on English pages; none stands in marked as untranslated."""
    out, _, _ = site
    catalogue = load_catalogue(ROOT / "targets", ROOT / "data")
    checked = 0
    for target in catalogue.targets.values():
        zh = (out / "zh" / "targets" / f"{target.id}.html").read_text(encoding="utf-8")
        en = (out / "en" / "targets" / f"{target.id}.html").read_text(encoding="utf-8")
        for english, chinese in ((target.source, target.source_zh), (target.interpretation, target.interpretation_zh),
                                 (target.proxy.why if target.proxy else None,
                                  target.proxy.why_zh if target.proxy else None)):  # fmt: skip
            if english and chinese:
                assert html_text(chinese) in zh and html_text(english) not in zh, target.id
                assert html_text(english) in en, target.id
                checked += 1
        assert "untranslated" not in zh, target.id
    assert checked > 80
    for policy in catalogue.policies.values():
        page = (out / "zh" / "policies" / f"{policy.id}.html").read_text(encoding="utf-8")
        if policy.summary_zh:
            assert html_text(policy.summary_zh) in page, policy.id
        if policy.issuer_zh:
            assert html_text(policy.issuer_zh) in page, policy.id


def test_a_goal_two_documents_set_links_each_page_to_the_other(site):
    # The digital-economy plan and the informatisation plan both set 17 trillion CNY of online retail sales by
    # 2025; the outline and both plans set the 10% share of the core digital industries.
    out, _, _ = site
    informatisation = ("14th Five-Year Plan for national informatisation", "“十四五”国家信息化规划")
    digital_economy = ("14th Five-Year Plan for the development of the digital economy", "“十四五”数字经济发展规划")
    pairs = {
        "fyp14-dep-online-retail-17tn": [("fyp14-info-online-retail-17tn", *informatisation)],
        "fyp14-info-online-retail-17tn": [("fyp14-dep-online-retail-17tn", *digital_economy)],
    }
    for target, others in pairs.items():
        for lang, sentence in (("en", "The same goal is also set by "), ("zh", "同一目标也见于")):
            page = (out / lang / "targets" / f"{target}.html").read_text(encoding="utf-8")
            same = re.search(r'<p class="same-goal muted">(.*?)</p>', page)
            assert same, (lang, target)
            links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', same.group(1))
            assert links == [(f"{i}.html", html_text(en if lang == "en" else zh)) for i, en, zh in others], links
            assert same.group(1).startswith(sentence)
    core = (out / "en" / "targets" / "fyp14-digital-core-10pct-of-gdp.html").read_text(encoding="utf-8")
    linked = re.findall(r'<a href="([^"]+)\.html">', re.search(r'<p class="same-goal muted">(.*?)</p>', core).group(1))
    assert sorted(linked) == ["fyp14-dep-core-digital-share-10pct", "fyp14-info-core-digital-share-10pct"]
    # A goal no other document sets, and a reference level, say nothing of the kind.
    for alone in ("mobile-iot-3-6bn-connections-by-2027", "champions-hold-1557"):
        assert "same-goal" not in (out / "en" / "targets" / f"{alone}.html").read_text(encoding="utf-8")


def _section(page: str, start: str, end: str) -> str:
    return page[page.index(start) : page.index(end, page.index(start))]


def test_a_plans_page_lists_its_verdicts_by_deadline_with_every_judged_target_linked(site):
    """The 14th plan's page gives, per deadline year, the counts of its verdicts (sub-plans and notices included)
    and one linked line per judged target whose verdict adds up to those counts; a notice without sub-plans gets
    no such section, and the Chinese page says the same in Chinese."""
    out, cards, _ = site
    page = (out / "en" / "policies" / "fyp14-outline.html").read_text(encoding="utf-8")
    verdicts = _section(page, "<h2>Verdicts of the plan, its sub-plans and notices</h2>", "<h2>Targets set in")
    years = re.findall(r"<h3>Due by end-(\d{4}): Of (\d+) commitments and expectations: (\d+) met, (\d+) missed, "
                       r"(\d+) met before the figure for the deadline is out, (\d+) without a figure for the deadline "
                       r"yet, (\d+) still open\.</h3><ul>(.*?)</ul>", verdicts)  # fmt: skip
    assert [y[0] for y in years] == ["2025"], verdicts[:300]
    _, judged, met, missed, early, pending, still_open, items = years[0]
    # Items joined by a no-break space and a dot (the dot never starts a line), each deadline kept on one line.
    lines = re.findall(r'<li><a href="\.\./targets/([^"]+)\.html"[^>]*>[^<]+</a>\u00a0· <b>([^<]+)</b>', items)
    assert items.count('<span class="nowrap">end-2025</span>') == len(lines)
    assert len(lines) == int(judged) > 40
    labels = [label for _, label in lines]
    counts = [labels.count(w) for w in ("met", "missed", "met early", "no figure for the deadline yet", "open")]
    assert counts == [int(n) for n in (met, missed, early, pending, still_open)]
    assert all((out / "en" / "targets" / f"{target}.html").is_file() for target, _ in lines)
    # A goal that several documents set is listed once for each, and each line says which document set it.
    named = re.findall(r"<li><a [^>]*>([^<]+)</a>(.*?)</li>", items)
    titles = [title for title, _ in named]
    repeated = [rest for title, rest in named if titles.count(title) > 1]
    assert repeated and all("\u00a0· set by " in rest for rest in repeated)
    assert len({rest.rsplit("\u00a0· set by ", 1)[1] for rest in repeated}) > 1
    assert not [rest for title, rest in named if titles.count(title) == 1 and "· set by " in rest]
    card = cards["en"].set_index("id")
    assert {target for target, _ in lines} <= set(card.index[card["judged"]])
    assert "Verdicts of the plan" not in (out / "en" / "policies" / "miit-mobile-iot-2024.html").read_text("utf-8")
    zh = (out / "zh" / "policies" / "fyp14-outline.html").read_text(encoding="utf-8")
    assert "<h2>本规划及其子规划、通知的目标结果</h2>" in zh and "<h3>2025年底到期" in zh


def test_needs_attention_lists_the_targets_behind_pace_with_time_left_before_the_scorecard(site):
    """On the shipped data two targets with their deadline to come are behind pace (mobile IoT connections, since the
    end-2025 figure; influential platforms, "more than 340" in 2024 and again in January 2026): the index lists them
    under "Needs attention", the nearer deadline first, before the scorecard, in both languages."""
    out, cards, _ = site
    for lang in ("en", "zh"):
        card = cards[lang]
        behind = ["mobile-iot-3-6bn-connections-by-2027", "iip-2028-influential-platforms-450"]
        assert list(card.loc[card["attention"], "id"]) == behind
        index = (out / lang / "index.html").read_text(encoding="utf-8")
        heading = index.index("<h2>" + t("overview.attention", lang))
        first, second = (index.index(f"targets/{target}.html", heading) for target in behind)
        assert heading < first < second < index.index("<h2>" + t("overview.scorecard_all", lang, total=len(card)))
        assert 'id="no-attention"' not in index


def test_an_empty_needs_attention_says_how_many_targets_it_looked_at(site):
    """With no target behind pace whose deadline is to come (here the shipped card with its one such target taken
    off the list), the list's heading stays, with how many commitments and expectations were looked at and where
    the passed ones behind pace went (both languages)."""
    from tracker.report.scorecard import _attention

    _, cards, _ = site
    for lang, heading, words in (("en", "Needs attention", "None of the {n} commitments and expectations whose "
                                                           "deadline is still to come is judged behind pace."),
                                 ("zh", "需要关注", "尚未到期的{n}项文件目标和官方预期中")):  # fmt: skip
        card = cards[lang].assign(attention=False)
        looked_at = int((card["judged"] & ~card["passed"]).sum())
        said = re.fullmatch(r'<h2>([^<]+)</h2><p class="muted" id="no-attention">([^<]+)</p>', _attention(card, lang))
        assert said and said.group(1) == heading and said.group(2).startswith(words.format(n=looked_at)), lang
        if lang == "en":  # the site has no list of passed deadlines at its end: they are further down the scorecard
            behind = card["judged"] & card["passed"] & card["trend_status"].isin(["acceleration_needed",
                                                                                   "limited_progress", "deteriorating"])  # fmt: skip
            assert said.group(2).endswith(f" {behind.sum()} more were behind pace at their last figure, but their "
                                          "deadline has passed: they come later in the scorecard, awaiting the figure "
                                          "for their deadline, their trend noted under the status.") and behind.sum() > 1  # fmt: skip


def test_no_text_on_any_page_is_escaped_twice(site):
    """An entity escaped again shows as "&amp;" or "&quot;" in the reader's text (the indicator pages' heading cell
    did, for "R&D"): no page of either language holds an escaped entity."""
    out, _, _ = site
    twice = re.compile(r"&amp;(?:amp|lt|gt|quot|#x?[0-9a-fA-F]+);")
    found = {
        p.relative_to(out).as_posix(): m.group(0) for p in _pages(out) if (m := twice.search(p.read_text("utf-8")))
    }
    assert found == {}
    assert "<th>Basic research as a share of R&amp;D spending</th>" in (
        out / "en" / "indicators" / "basic-research-share.html"
    ).read_text(encoding="utf-8")


def test_the_sites_series_csv_neutralises_text_a_spreadsheet_would_run(tmp_path):
    """Every CSV the site writes passes its text through the spreadsheet rule: the per-indicator series files too
    (written by pandas, not by DuckDB's COPY as the open data's tables are)."""
    from tracker.escape import FORMULA_START, SIGN_CODES

    project = small_project(tmp_path / "p", "miit-mobile-iot-2024.yaml")
    path = project / "data" / "observations" / "mobile-iot-connections.csv"
    hostile = ('mobile-iot-connections,2018-12,9,亿户,=,national,"=HYPERLINK(""http://evil.example"",""open"")",'
               "@SUM(1),-2+3,https://x.example/h,,\"+cmd|'/C calc'!A0\"\n")  # fmt: skip
    path.write_text(path.read_text(encoding="utf-8") + hostile, encoding="utf-8")
    db = tmp_path / "p.duckdb"
    assert store.build(project / "targets", project / "data", db).ok
    con = store.connect(db)
    try:
        write_report(con, tmp_path / "site", AS_OF, jobs=1)
    finally:
        con.close()
    with open(tmp_path / "site" / "data" / "series" / "mobile-iot-connections.csv", encoding="utf-8", newline="") as f:
        cells = [cell for row in csv.reader(f) for cell in row]
    assert '\'=HYPERLINK("http://evil.example","open")' in cells and "'@SUM(1)" in cells
    assert "'+cmd|'/C calc'!A0" in cells and "'-2+3" in cells  # the last the publisher's Chinese name
    assert [c for c in cells if c.startswith(FORMULA_START) and c not in SIGN_CODES] == []


def test_a_target_page_says_under_its_status_what_its_scorecard_row_says(site):
    """The site's target pages carry the note its scorecard row has (tracker.scorecard.status_note), in both
    languages: a passed deadline waiting for its figure, an out-of-date latest figure, both, or none."""
    out, cards, _ = site
    for lang in ("en", "zh"):
        card = cards[lang].set_index("id")
        said = 0
        for target in (
            "fyp14-2i-cnc-rate-68pct",
            "mobile-iot-3-6bn-connections-by-2027",
            "10g-pon-ports-12m-by-2025",
            "5g-base-stations-26-per-10k-by-2025",
        ):
            page = (out / lang / "targets" / f"{target}.html").read_text(encoding="utf-8")
            notes = re.findall(r'<div class="status-note muted">([^<]*)</div>', page)
            note = card.at[target, "status_note"]
            assert notes == ([html_text(note)] if note else []), (lang, target, notes)
            said += bool(note)
        assert said == 3, lang  # the last met on its deadline's own figure: nothing to say


def test_the_sites_methodology_describes_each_method_in_the_pages_language_with_its_symbols_defined(site):
    """The methods' rules come from the catalogue on both sites, as in the app (the Chinese page gave the English
    description), and say what d and sign in R = sign · d · CAGRᵢ / |CAGR_T| are."""
    out, _, _ = site
    en = (out / "en" / "methodology.html").read_text(encoding="utf-8")
    zh = (out / "zh" / "methodology.html").read_text(encoding="utf-8")
    assert "where d is +1 when the target asks for more and −1 when it asks for less" in en
    assert "其中目标要求更高时 d = +1" in zh and "Compound annual growth observed" not in zh


def test_a_policy_page_gives_its_average_over_scored_targets_or_says_none_has_a_score(site):
    """As the app: the average over the scored commitments and expectations, with how many have none; a document none
    of whose targets has a score says so ("over the 0 scored targets: n/a" read as unfinished)."""
    out, _, _ = site
    for lang, none, some in (("en", "No score yet</b> (commitments and expectations without one: ", "scored targets"),
                             ("zh", "尚无得分</b>：其", "项已评分目标")):  # fmt: skip
        talents = (out / lang / "policies" / "miit-sme-leading-talents-2024.html").read_text(encoding="utf-8")
        assert none in talents and some not in talents
        outline = (out / lang / "policies" / "fyp14-outline.html").read_text(encoding="utf-8")
        assert some in outline and none not in outline
        assert "0 scored" not in talents + outline and "（0项已评分" not in talents + outline
        assert '<span class="nowrap">2021-03-12</span>' in outline  # the issue date kept whole, as in the app


def test_the_sites_evidence_shows_as_published_only_where_a_figure_was_converted(site):
    """As in the app: the mobile-IoT figures, published in 亿户, have an "As published" column; the CNC rates,
    published in %, have none, and the coverage column keeps its room in the column before."""
    out, _, _ = site
    mobile = (out / "en" / "targets" / "mobile-iot-3-6bn-connections-by-2027.html").read_text(encoding="utf-8")
    cnc = (out / "en" / "targets" / "fyp14-2i-cnc-rate-68pct.html").read_text(encoding="utf-8")
    assert "<th>As published</th>" in mobile and '<div class="unconverted">' not in mobile
    assert "<th>As published</th>" not in cnc and '<div class="unconverted"><table class="evidence">' in cnc
