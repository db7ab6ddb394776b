"""Every page as a reader sees it (Streamlit AppTest, no browser): shipped data, both languages, empty and broken files."""

from __future__ import annotations

import functools
import html
import json
import os
import re
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import PAGES, markup_of, shown
from tests.conftest import FIXTURES, ROOT
from tracker.escape import html_text
from tracker.i18n import catalogue

CATALOG_BAD = FIXTURES / "catalog" / "bad"
SCRIPTS = [p.script for p in PAGES]


def open_page(page: str, **params: str) -> AppTest:
    """A reader's own session on ``page`` with ``params`` in its URL: for a test that goes on to act on it."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page != SCRIPTS[0]:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


_SEEN: dict[tuple, AppTest] = {}


def seen_page(page: str, **params: str) -> AppTest:
    """``page`` as it was drawn for ``params`` on the project the app points at, opened once per test process
    and shared by the tests that only read what it shows (a test that clicks, sets or reruns takes
    ``open_page``). Keyed on every variable the app reads its project and site from."""
    key = (page, tuple(sorted(params.items())),
           *(os.environ.get(v) for v in ("TRACKER_TARGETS", "TRACKER_DATA", "TRACKER_DB", "TRACKER_SITE_URL")))  # fmt: skip
    if key not in _SEEN:
        _SEEN[key] = open_page(page, **params)
    return _SEEN[key]


def text_of(at: AppTest, sidebar: bool = False) -> str:
    """The page's text as a reader sees it: markup removed, Markdown escapes undone."""
    root = at.sidebar if sidebar else at.main
    parts = (
        [m.value for m in root.markdown]
        + markup_of(root)
        + [c.value for c in root.caption]
        + [t.value for t in root.title]
    )
    parts += [s.value for s in root.subheader] + [e.value for e in root.error] + [i.value for i in root.info]
    parts += [w.value for w in root.warning] + [m.label for m in root.metric]
    raw = "\n".join(str(p) for p in parts)
    raw = re.sub(r"<(style|script)>.*?</\1>", " ", raw, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", raw)).replace("\\", "").replace("**", "")


def rows_of(at: AppTest) -> list[str]:
    """The target ids of the overview's scorecard rows, top to bottom (the last scorecard on the page)."""
    # The page shows "Needs attention", the scorecard and the passed deadlines as lists of rows;
    # the scorecard is the one that lists the most targets.
    lists = [re.findall(r'class="sc-row" data-target="([^"]+)"', m) for m in markup_of(at.main)]
    return max(lists, key=len)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page", SCRIPTS)
def test_every_page_renders_in_both_languages_without_catalogue_keys(shipped_app, page, lang):
    at = seen_page(page, lang=lang, target="cnc-rate-75-by-2027")
    assert at.title, "every page has a title"
    words = text_of(at) + text_of(at, sidebar=True)
    keys = {k for k in catalogue("en") if k in words and "." in k and not k.startswith(("unit.", "qualifier."))}
    assert not keys, f"catalogue keys shown instead of their text: {sorted(keys)[:5]}"
    assert ("Data built" if lang == "en" else "数据于") in text_of(at, sidebar=True)


@pytest.mark.parametrize("page", SCRIPTS)
def test_no_developer_codes_on_any_page(shipped_app, page):
    text = text_of(seen_page(page, target="edwc-3-trillion-investment-by-2025"))
    for code in ("cagr_ratio", "awaiting_final_data", "scope_changes", "insufficient_data", "not_assessed", "#1a7f37"):
        assert code not in text, code


def test_chinese_pages_use_no_english_status_or_heading_words(shipped_app):
    english = [catalogue("en")[k] for k in catalogue("en") if k.startswith(("status.", "overview.", "col.", "page."))]
    english = [w for w in english if re.fullmatch(r"[A-Za-z ]{4,}", w)]
    for page in (SCRIPTS[0], "views/target.py", "views/policies.py", "views/timeline.py"):
        text = text_of(seen_page(page, lang="zh", target="cnc-rate-75-by-2027"))
        found = [w for w in english if re.search(rf"\b{re.escape(w)}\b", text)]
        assert not found, (page, found)


def shipped_card(project):
    """The scorecard of the project's database, computed by tracker (the page must show the same). Computed
    once per test process for the shared read-only copy (``shipped_app``), whose files no test changes."""
    from datetime import date

    return _scorecard_of(project / "data" / "tracker.duckdb", date.today()).copy()


@functools.cache
def _scorecard_of(db, as_of):
    from tracker import queries
    from tracker.assess import assess
    from tracker.scorecard import build_scorecard
    from tracker.store import connect

    con = connect(db)
    try:
        return build_scorecard(assess(con, as_of), queries.targets(con), as_of)
    finally:
        con.close()


def test_overview_counts_kinds_apart_and_puts_the_most_urgent_first(shipped_app):
    at = seen_page(SCRIPTS[0])
    card = shipped_card(shipped_app)
    counts = " ".join(m for m in markup_of(at.main) if 'class="counts"' in m)
    by_kind = {k: sum(int(n) for n in re.findall(rf'data-kind="{k}" data-status="[a-z_]+">.*?<b>(\d+)</b>', counts))
               for k in ("commitment", "expectation", "interpreted", "reference")}  # fmt: skip
    assert by_kind == {k: int((card["kind"] == k).sum()) for k in by_kind}
    assert sum(by_kind.values()) == len(card) > 20
    achieved = re.findall(r'data-kind="commitment" data-status="achieved">.*?<b>(\d+)</b>', counts)
    met = int(((card["kind"] == "commitment") & (card["status"] == "achieved")).sum())
    assert achieved == ([str(met)] if met else [])  # commitments met: no reference level among them
    # Under the counts, how many goals are counted once per document that sets them (five in the shipped files).
    note = re.search(r'class="counts-note">(.*?)</p>', counts)
    assert note and note.group(1).startswith("The counts are of targets: 5 goals are each set by more than one")
    assert f"Scorecard: all {len(card)} targets, most urgent first" in text_of(at)
    assert rows_of(at) == list(card["id"])
    r = card.iloc[0]
    first = next(m for m in markup_of(at.main) if f'data-target="{r.id}"' in m)
    row = first.split(f'data-target="{r.id}"')[1].split('class="sc-row"')[0]
    assert f'href="./target?target={r.id}"' in row
    for text in (r.status_label, r.latest, r.goal, r.due):
        assert html.escape(text) in row, text
    not_judged = list(card.loc[~card["judged"], "id"])
    assert not_judged and set(rows_of(at)[-len(not_judged) :]) == set(not_judged)  # not judged, last


def test_needs_attention_lists_only_targets_that_can_still_catch_up(shipped_app):
    """A target whose deadline has passed cannot accelerate: it awaits its final figure in the list of passed
    deadlines, even when its trend up to the deadline was behind pace (trend_status acceleration needed).
    In the shipped data two targets behind pace have their deadline to come (mobile IoT connections by 2027,
    influential platforms by 2028): they are the list's rows. With filters that keep none such, the heading says how
    many targets were looked at, above the scorecard, so that it reads as checked, not as left out."""
    at = seen_page(SCRIPTS[0])
    card = shipped_card(shipped_app)
    at_risk = ["deteriorating", "limited_progress", "acceleration_needed"]
    behind = card[card["judged"] & (card["status"].isin(at_risk) | card["trend_status"].isin(at_risk))]
    assert not (card["passed"] & card["status"].isin(at_risk)).any()
    open_behind = ["mobile-iot-3-6bn-connections-by-2027", "iip-2028-influential-platforms-450"]
    assert len(behind) >= 3 and list(behind.loc[~behind["passed"], "id"]) == open_behind
    lists = [ids for m in markup_of(at.main) if (ids := re.findall(r'class="sc-row" data-target="([^"]+)"', m))]
    assert len(lists) == 3, "needs attention, the scorecard and the passed deadlines, nothing else"
    assert lists[0] == open_behind
    assert set(behind.loc[behind["passed"], "id"]) <= set(lists[2]) and lists[1] == rows_of(at)
    # Three plans whose targets to come cannot be judged yet, and two of them behind pace and passed.
    plans = ["fyp15-outline", "fyp14-two-integration-plan", "fyp14-outline"]
    filtered = open_page(SCRIPTS[0], policy=plans)
    shown = card[card["policy_id"].isin(plans)]
    looked_at = int((shown["judged"] & ~shown["passed"]).sum())
    unknown = int((shown["judged"] & ~shown["passed"] & shown["status"].isin(["insufficient_data", "no_data"])).sum())
    passed_behind = int((shown["judged"] & shown["passed"] & shown["id"].isin(behind["id"])).sum())
    text = " ".join(text_of(filtered).split())
    note = (f"Needs attention None of the {looked_at} commitments and expectations whose deadline is still to come "
            f"can be judged yet: they have too few figures, or none. {passed_behind} more were behind pace at their "
            "last figure, but their deadline has passed: they are listed at the end of the page, awaiting the figure "
            "for their deadline.")  # fmt: skip
    assert 0 < unknown == looked_at and passed_behind >= 2
    assert note in text and text.index(note) < text.index("Scorecard: ")
    # A filter that leaves no target with a deadline to come says that instead.
    passed_only = seen_page(SCRIPTS[0], status="missed")
    said = "Needs attention None of the targets shown is a commitment or expectation with its deadline still to come."
    assert said in " ".join(text_of(passed_only).split())
    # A choice of filters that keeps no target: no note at all (an empty caption under the heading before).
    nothing = seen_page(SCRIPTS[0], status="missed", kind="reference")
    assert "Needs attention" not in text_of(nothing) and 'list-caption"></p>' not in "".join(markup_of(nothing.main))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_target_page_says_under_its_status_what_its_scorecard_row_says(shipped_app, lang):
    """The note under a status (the trend up to a passed deadline whose figure is not out; the latest figure is out
    of date) is on the target's own page too, between the status and the coverage, not only in the overview's row."""
    words = catalogue(lang)
    trend = words["overview.pending"].format(trend=words["trend_was.on_track"])
    both = words["overview.note_join"].join((trend, words["overview.out_of_date"]))
    for target, note in (("fyp14-2i-cnc-rate-68pct", both), ("mobile-iot-3-6bn-connections-by-2027",
                                                              words["overview.out_of_date"]),
                         ("telecom-volume-3-7tn-by-2025", None),  # no figure at all: "No data" says it
                         ("10g-pon-ports-12m-by-2025", words["overview.met_early"]),  # on a figure before the deadline
                         ("5g-base-stations-26-per-10k-by-2025", None)):  # fmt: skip
        at = seen_page("views/target.py", target=target, lang=lang)
        card = next(m.value for m in at.main.markdown if "target-card" in m.value)
        notes = re.findall(r'<div class="status-note muted">([^<]*)</div>', card)
        assert notes == ([html.escape(note)] if note else []), (target, notes)
        if note:
            assert card.index("status-note") < card.index('class="coverage')


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_passed_deadline_row_awaits_its_final_figure_with_its_trend_under_the_status(shipped_app, lang):
    at = seen_page(SCRIPTS[0], lang=lang)
    rows = [m for m in markup_of(at.main) if 'data-target="fyp14-2i-cnc-rate-68pct"' in m]
    assert rows
    row = rows[-1].split('data-target="fyp14-2i-cnc-rate-68pct"')[1].split('class="sc-row"')[0]
    status = row.split('class="cell-status"')[1].split('class="cell-latest"')[0]
    words = catalogue(lang)
    said = words["overview.pending"].format(trend=words["trend_was.on_track"])
    assert f'<b>{html.escape(words["status.awaiting_final"])}</b></span><span class="sub">{html.escape(said)}' in status
    assert html.escape(words["status.on_track"]) + "</b>" not in status
    achieved = next(m for m in markup_of(at.main) if 'data-target="10g-pon-ports-12m-by-2025"' in m)
    achieved_row = achieved.split('data-target="10g-pon-ports-12m-by-2025"')[1].split('class="sc-row"')[0]
    assert words["overview.pending"].split("{")[0] not in achieved_row
    assert f'<span class="sub">{html.escape(words["overview.met_early"])}</span>' in achieved_row


def test_overview_links_keep_the_chinese_language(shipped_app):
    at = seen_page(SCRIPTS[0], lang="zh")
    markup = " ".join(markup_of(at.main))
    links = re.findall(r'href="(\./target\?[^"]+)"', markup)
    assert links and all("lang=zh" in html.unescape(link) for link in links)
    assert "到2027年规模以上工业企业关键工序数控化率超过75%" in text_of(at)
    assert "数据不足" in text_of(at) and "参考水平（不作评估）" in text_of(at)


def test_overview_filters_come_from_the_url(shipped_app):
    at = seen_page(SCRIPTS[0], status="achieved")
    card = shipped_card(shipped_app)
    achieved = list(card.loc[card["status"] == "achieved", "id"])
    assert achieved, "the shipped data has achieved targets"
    assert f"Scorecard: {len(achieved)} of {len(card)} targets, most urgent first" in text_of(at)
    assert rows_of(at) == achieved
    assert at.multiselect(key="url_status").value == ["achieved"]  # the box opens on the URL's choice
    at = open_page(SCRIPTS[0], kind="reference")
    assert rows_of(at) == list(card.loc[card["kind"] == "reference", "id"])
    at.session_state["filters"] = False  # a reader closes the box: the URL still filters
    at.run()
    assert not at.multiselect and rows_of(at) == list(card.loc[card["kind"] == "reference", "id"])


def test_changing_a_filter_puts_it_in_the_url(shipped_app):
    at = open_page(SCRIPTS[0])
    # Closed, the filters' box holds no widgets (they are drawn when a reader opens it: a rerun).
    assert at.main.expander[0].label == "Filters" and not at.multiselect
    at.session_state["filters"] = True  # what opening the box does
    at.run()
    assert [m.label for m in at.multiselect] == ["Plan", "Policy", "Issuer", "Tag", "Status", "Kind", "Deadline year"]
    at.multiselect(key="url_status").set_value(["on_track"]).run()
    assert at.query_params["status"] in ("on_track", ["on_track"])
    card = shipped_card(shipped_app)
    on_track = int((card["status"] == "on_track").sum())
    assert f"Scorecard: {on_track} of {len(card)} targets, most urgent first" in text_of(at)


def basic_figure(at: AppTest, key: str) -> dict:
    """The Plotly figure a views.plot.basic_chart element carries, as the browser's Plotly reads it (numeric
    arrays that Plotly wrote as base64 "bdata" decoded)."""
    import base64

    import numpy as np

    def decoded(value):
        if isinstance(value, dict) and set(value) >= {"dtype", "bdata"}:
            return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).tolist()
        if isinstance(value, dict):
            return {k: decoded(v) for k, v in value.items()}
        return [decoded(v) for v in value] if isinstance(value, list) else value

    element = next(e for e in at.get("bidi_component") if e.proto.component_name == "basic_plot" and key in e.proto.id)
    return decoded(json.loads(json.loads(element.proto.json)["figure"]))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_overview_pace_chart_puts_each_open_target_at_its_shares_of_time_and_way(shipped_app, lang):
    from tracker.scorecard import pace_points

    at = seen_page(SCRIPTS[0], lang=lang)
    figure = basic_figure(at, "pace")
    open_targets, passed = pace_points(shipped_card(shipped_app))
    assert len(open_targets) >= 2 and len(passed) > 0
    line, *marks = figure["data"]
    assert line["name"] == ("on pace" if lang == "en" else "按期进度") and line["x"] == [0, 1] == line["y"]
    plotted = sorted((round(x, 9), round(y, 9)) for m in marks for x, y in zip(m["x"], m["y"], strict=True))
    assert plotted == sorted(zip(open_targets["time_used"].round(9), open_targets["progress"].round(9), strict=True))
    if lang == "en":  # the scorecard computed here is in English: each mark is named by its target's title
        titles = sorted(title for m in marks for title in m["hovertext"])
        assert titles == sorted(open_targets["title"])
    assert figure["layout"]["xaxis"]["tickformat"] == ".0%"
    assert figure["layout"]["template"]["layout"]["yaxis"]["automargin"]  # the app's look: axes make room for labels


def test_target_page_states_status_sentence_source_and_working(shipped_app):
    at = seen_page("views/target.py", target="mobile-iot-3-6bn-connections-by-2027")
    text = text_of(at)
    assert shown(at.title[0].value) == "More than 3.6 billion mobile IoT connections by 2027"
    assert "Acceleration needed" in text and "it needs growth of 11.6% a year" in text
    assert "Source: MIIT" in text and "Target: Notice on promoting" in text
    assert "Growth a year required, from the base" in text and "Growth a year needed, from the latest figure" in text
    assert "+11.6" in text or "11.6" in text
    evidence = next(m.value for m in at.main.markdown if "As published" in m.value)
    assert evidence.count("<tr>") == 23  # header and 22 figures, every one shown without scrolling
    assert 'target="_blank" rel="noopener noreferrer nofollow"' in evidence
    # The tests' copy has no git history: the page says so to a reader, names the file by its place in the
    # repository (never the machine's path) and says how changes are made; no "git checkout" instructions.
    history = next(c.value for c in at.caption if "record of this target's changes" in c.value)
    assert "targets/miit-mobile-iot-2024.yaml" in shown(history) and "pull request" in history
    assert str(shipped_app) not in history and "checkout" not in history


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_evidence_shows_as_published_only_where_a_figure_was_converted(shipped_app, lang):
    """36亿户 read as 3.6 billion connections: both columns; a rate published in % and kept in %: one (the second
    column repeated the first on every row); the download keeps both either way."""
    head = catalogue(lang)["ev.as_published"]
    for target, shown_ in (("mobile-iot-3-6bn-connections-by-2027", True), ("fyp14-2i-cnc-rate-68pct", False)):
        at = seen_page("views/target.py", target=target, lang=lang)
        evidence = next(m.value for m in at.main.markdown if html.escape(catalogue(lang)["ev.coverage"]) in m.value
                        and 'class="facts' in m.value)  # fmt: skip
        assert (f">{html.escape(head)}</th>" in evidence) is shown_, target


def test_a_goal_two_documents_set_says_so_and_links_to_the_other_in_the_readers_language(shipped_app):
    for lang, sentence, policy in (
        (None, "The same goal is also set by ", "14th Five-Year Plan for national informatisation"),
        ("zh", "同一目标也见于", "“十四五”国家信息化规划"),
    ):
        params = {"lang": lang} if lang else {}
        at = seen_page("views/target.py", target="fyp14-dep-online-retail-17tn", **params)
        card = next(m.value for m in at.main.markdown if "same-goal" in m.value)
        same = card[card.index('<p class="same-goal') :]
        query = "target=fyp14-info-online-retail-17tn" + ("&amp;lang=zh" if lang else "")
        assert f'<a href="./target?{query}" target="_self">{html_text(policy)}</a>' in same, same
        assert sentence in shown(same)
        assert card.index(">" + html_text(sentence)) > card.index("15.9722")  # under the status sentence
    alone = seen_page("views/target.py", target="mobile-iot-3-6bn-connections-by-2027")
    assert not any("same-goal" in m.value for m in alone.main.markdown)


def test_target_page_in_chinese(shipped_app):
    at = seen_page("views/target.py", target="cnc-rate-75-by-2027", lang="zh")
    assert shown(at.title[0].value) == "到2027年规模以上工业企业关键工序数控化率超过75%"
    text = text_of(at)
    for words in ("数据不足", "数据依据", "状态的推算过程", "来源："):
        assert words in text
    # The evidence's notes (and some source titles) are the data files' English: the caption says so.
    assert "部分来源名称和备注是数据文件中的英文记录，尚未译成中文。" in text
    # Publishers read in Chinese (the files' publisher_zh), in the source line and the evidence table alike.
    assert (
        "来源：新华社（工业和信息化部部长肖亚庆）（2012、2020）；人民日报援引工业和信息化部；xmtv.cn 转载（2020-09）"
        in text
    )
    assert (
        "2012  24.6%  制造业重点领域企业  Xinhua, 2021-09-13: 肖亚庆 at SCIO press conference  新华社（工业和信息化部部长肖亚庆）"
        in text
    )
    assert "People's Daily citing MIIT" not in text and "Chief Engineer Han Xia" not in text
    english = text_of(seen_page("views/target.py", target="cnc-rate-75-by-2027"))
    assert (
        "Source: Xinhua (MIIT Minister Xiao Yaqing) (2012, 2020); People's Daily citing MIIT; reprinted by" in english
    )
    assert "国新办实录" not in english


def test_chinese_pages_show_the_files_own_chinese_reading_and_reason(shipped_app):
    at = seen_page("views/target.py", target="fyp14-energy-capacity-4-6-billion-tce", lang="zh")
    text = text_of(at)
    assert "“以上”包含本数，因此46亿吨标准煤本身即算达到。" in text  # interpretation_zh
    assert "能源综合生产能力没有逐年公布的数据" in text  # the proxy's why_zh
    assert "includes the number" not in text and "No yearly figure" not in text
    assert "暂无中文" not in text


def test_chinese_policies_and_indicators_pages_show_the_files_chinese_summary_issuer_and_definition(shipped_app):
    text = text_of(seen_page("views/policies.py", lang="zh"))
    assert "规定到2027年基于4G和5G网络的移动物联网如何在各行业推广" in text and "Sets out how mobile IoT" not in text
    assert "全国人民代表大会（国务院起草）" in text and "National People's Congress" not in text
    assert "文件设定的目标：" in text and "文件设定的目标:" not in text
    quality = next(
        m.value for m in seen_page("views/data_quality.py", lang="zh").main.markdown if "统计范围" in m.value
    )
    assert "Nationwide" not in quality and ">全国<" in quality  # the conflicting figures' coverage
    text = text_of(seen_page("views/indicators.py", lang="zh", indicator="mobile-iot-connections"))
    assert "接入三家基础电信企业蜂窝网络的物联网终端数" in text and "IoT terminals connected" not in text
    assert "暂无中文" not in text


def test_a_missing_chinese_text_shows_the_english_one_marked_as_such(project):
    path = project / "targets" / "fyp14-outline.yaml"
    source = path.read_text(encoding="utf-8")
    cut = "    interpretation_zh: “以上”包含本数，因此46亿吨标准煤本身即算达到。\n"
    assert cut in source
    path.write_text(source.replace(cut, ""), encoding="utf-8")
    at = open_page("views/target.py", target="fyp14-energy-capacity-4-6-billion-tce", lang="zh")
    reading = next(m.value for m in at.main.markdown if "reading" in m.value and "如何转为数值" in m.value)
    assert '<span class="untranslated">暂无中文，以下为英文原文</span>' in reading
    assert '<span lang="en">以上 includes the number, so 4.6 billion itself counts.</span>' in reading
    english = open_page("views/target.py", target="fyp14-energy-capacity-4-6-billion-tce")
    assert "暂无中文" not in text_of(english) and "so 4.6 billion itself counts" in text_of(english)


def test_the_share_box_offers_the_public_page_only_when_a_site_is_configured(project, monkeypatch):
    target = "mobile-iot-3-6bn-connections-by-2027"
    at = open_page("views/target.py", target=target, lang="zh")
    box = at.main.expander[0]
    assert box.label == "分享或嵌入此目标"
    codes = [c.value for c in box.code]
    assert len(codes) == 2, "the app's link and the embed code; no public page without TRACKER_SITE_URL"
    assert codes[0].endswith(f"target?target={target}&lang=zh")
    assert f'target?target={target}&amp;embed=true&amp;lang=zh"' in codes[1] and codes[1].startswith("<iframe")
    monkeypatch.setenv("TRACKER_SITE_URL", "https://owner.github.io/tracker")
    at = open_page("views/target.py", target=target, lang="zh")
    codes = [c.value for c in at.main.expander[0].code]
    assert codes[1] == f"https://owner.github.io/tracker/zh/targets/{target}.html"
    assert "公开网站上的本目标页面" in " ".join(c.value for c in at.main.expander[0].caption)


def test_unknown_target_id_gives_a_message_and_a_way_back(shipped_app):
    at = seen_page("views/target.py", target="no-such-target")
    assert shown(at.error[0].value) == "There is no target with the id “no-such-target”."
    assert shown(at.title[0].value) == "Target not found"
    assert "Back to the overview" in text_of(at)


def test_a_target_left_out_by_an_error_says_which_file_and_line(project):
    shutil.copy(CATALOG_BAD / "bad-comparator.yaml", project / "targets" / "bad-comparator.yaml")
    at = open_page("views/target.py", target="no-such-target")
    text = text_of(at)
    assert re.search(r"bad-comparator\.yaml:\d+:\d+\s+comparator must be one of", text), text
    assert "comparator must be one of" in text


@pytest.mark.parametrize("page", SCRIPTS)
def test_every_page_shows_a_banner_when_files_are_broken(broken_app, page):
    at = seen_page(page, target="cnc-rate-75-by-2027")
    banner = next(m.value for m in at.main.markdown if "problems-banner" in m.value)
    assert "1 target file(s) have errors and 1 data file(s) were left out" in html.unescape(banner)
    assert 'href="./data-quality"' in banner
    assert "bad-comparator" not in text_of(at) or page in ("views/data_quality.py",)


def test_no_banner_when_every_file_is_good(shipped_app):
    at = seen_page(SCRIPTS[0])
    assert not any("problems-banner" in m.value for m in at.main.markdown)


def test_indicator_page_opens_on_an_indicator_with_data_and_deep_links(shipped_app):
    at = seen_page("views/indicators.py")
    assert at.selectbox(key="url_indicator").value != "carbon-footprint-pilots-per-province"
    assert at.get("plotly_chart"), "the first indicator shown has a chart"
    at = seen_page("views/indicators.py", indicator="mobile-iot-clusters")
    assert "No data: no figure for this indicator has been found in a citable source yet." in text_of(at)
    at = seen_page("views/indicators.py", indicator="mobile-iot-connections")
    assert shown(at.subheader[0].value) == "Mobile (cellular) IoT terminal connections"
    table = next(m.value for m in at.main.markdown if "Periods covered" in m.value)
    assert "↑ strong" in table and "→ little" in table


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_indicators_table_names_the_coverage_its_latest_period_is_of(shipped_app, lang):
    """The table's latest period is the indicator's most recent figure, whatever it counts: IoT over IPv6 reads 2023
    (mobile IoT terminals with IPv6 addresses), while its targets are of another coverage, last read in 2021-12. Where
    an indicator has figures of several coverages, the coverage of that figure is named under the period."""
    at = seen_page("views/indicators.py", lang=lang, indicator="mobile-iot-connections")
    table = next(m.value for m in at.main.markdown if "<small" in m.value and 'class="facts' in m.value)
    rows = {re.sub("<[^>]+>", "", r.split("</td>")[0])[1:]: r for r in table.split("<tr")[2:]}
    ipv6 = rows[{"en": "IoT connections over IPv6", "zh": "物联网IPv6连接数"}[lang]]
    coverage = {"en": "Mobile IoT terminals with IPv6 addresses", "zh": "具备IPv6地址的移动物联网终端"}[lang]
    assert f'<span class="whole">2023</span><br><small class="muted">{coverage}</small>' in ipv6
    single = rows[{"en": "Mobile (cellular) IoT terminal connections", "zh": "移动物联网终端用户数"}[lang]]
    assert "<small" not in single  # one coverage: nothing to tell apart
    # Stale by the limit the targets' "latest figure out of date" reads: an irregular series last out in 2021-10 is
    # marked, in a word a stacked phone row reads after its label ("Stale: yes", not "Stale: stale").
    cells = lambda row: [re.sub("<[^>]+>", "", c) for c in row.split("</td>")]  # noqa: E731
    management = rows[{"en": "Digitalisation of business management, share of industrial firms",
                       "zh": "企业经营管理数字化普及率"}[lang]]  # fmt: skip
    assert cells(management)[7] == {"en": "yes", "zh": "是"}[lang]
    assert cells(rows[{"en": "5G base stations per 10,000 people", "zh": "每万人拥有5G基站数"}[lang]])[7] == ""  # 2025


def test_policies_average_says_how_many_targets_have_no_score(shipped_app):
    text = text_of(seen_page("views/policies.py"))
    assert "None" not in text
    # The average is said to be over the scored targets only: "+5.0" over 6 of 12 does not read as a perfect record.
    assert re.search(r"Average score over the (\d+) scored targets: [+-]\d\.\d \((\d+) without a score: ", text)
    # A document none of whose targets has a score says so, not "over the 0 scored targets: n/a".
    assert "No score yet (commitments and expectations without one: 1; no figure, " in text and "0 scored" not in text
    # A reference level has no deadline: its line ends with its level, not with a comma.
    hubs = next(m.value for m in seen_page("views/policies.py").main.markdown if "edwc-eight-hubs" in m.value)
    line = hubs[hubs.index("edwc-eight-hubs") :].split("</li>")[0]
    assert line.endswith("· 8 hubs") and ", " not in line[line.rindex("·") :], line


def test_policies_lists_each_plans_verdicts_as_the_static_site_does(shipped_app):
    """Under "Plans and their verdicts", an expander per plan and deadline year whose label counts the verdicts,
    holding one linked line per judged target (tracker.plans.verdict_lists writes both the page's and the site's)."""
    at = seen_page("views/policies.py")
    due = [e for e in at.main.expander if e.label.startswith("Due by end-")]
    assert len(due) >= 2 and due[0].label.startswith("Due by end-2025: Of 48 "), [e.label for e in due]
    for box in due:
        judged = int(re.match(r"Due by end-\d{4}: Of (\d+) ", box.label).group(1))
        items = "".join(m.value for m in box.markdown)
        assert items.count("<li><a href=") == judged > 0, box.label


def test_methodology_uses_the_code_constants(shipped_app):
    text = text_of(seen_page("views/methodology.py"))
    assert "R ≥ 0.95" in text and "0.6 ≤ R < 0.95" in text
    assert "shared/notes" not in text


@pytest.mark.parametrize("page", SCRIPTS)
def test_every_page_renders_on_an_empty_database(empty_app, page):
    assert not [*(empty_app / "targets").glob("*.yaml"), *(empty_app / "data" / "observations").glob("*.csv")]
    at = seen_page(page)
    assert at.title


def test_data_quality_lists_what_was_left_out(broken_app):
    at = seen_page("views/data_quality.py")
    text = text_of(at)
    assert "comparator must be one of >, >=, <, <=, ==; got '=>'" in text
    assert "this row has 13 fields but the header has 12" in text
    assert "Left out of the database" in shown(at.warning[0].value)


def test_the_overview_filters_to_one_plan_with_its_sub_plans(shipped_app):
    at = seen_page(SCRIPTS[0], plan="fyp14-outline")
    rows = set(rows_of(at))
    assert "fyp14-basic-research-8pct" in rows  # the outline's own target
    assert "5g-base-stations-26-per-10k-by-2025" in rows  # a sub-plan's target counts under the plan
    assert "mobile-iot-3-6bn-connections-by-2027" not in rows  # a notice outside the plan does not


def test_no_page_script_has_a_bare_string_that_streamlit_would_print():
    """Streamlit's magic writes any bare expression of a page script on the page (the module docstring
    excepted): a docstring after a constant once printed a developer's note under the overview's title."""
    import ast

    from views import SCRIPTS

    found = []
    for script in (*SCRIPTS, "dashboard.py"):
        body = ast.parse((ROOT / script).read_text(encoding="utf-8")).body
        found += [f"{script}:{node.lineno}" for node in body[1:]
                  if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)]  # fmt: skip
    assert found == []
