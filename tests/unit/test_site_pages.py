"""The static site's link previews and its charts at scale: each page's own title, description and
Open Graph/Twitter tags (read back from the built pages), the site's chart being the app's chart,
and long series thinned on the page while the table and the CSV keep every figure."""

from __future__ import annotations

import base64
import json
import re
from datetime import date
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest
from plotly.io.json import to_json_plotly

from benchmarks.synthetic import generate
from tests.conftest import small_project
from tracker import charts, queries, store
from tracker.assess import assess
from tracker.figure_spec import FigureSpec
from tracker.i18n import t
from tracker.report import write_report
from tracker.report.figures import CHART_FIGURES, thinned
from tracker.target_card import same_goals

AS_OF = date(2026, 11, 29)
# The tests share the previews' site and the long series' site, a module's fixture: they run in one test process so that it
# is built once per run, not once in each process that runs one of them.
pytestmark = pytest.mark.xdist_group("site-pages")
BASE = "https://example.org/tracker/"
HOSTILE = 'CNC rate "quoted" <b>above</b> 75% & more'


class _Head(HTMLParser):
    """The <title> text and the name/property -> content of every <meta>, as a browser reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.title, self.meta, self.links, self._in_title = "", {}, {}, False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and ("name" in a or "property" in a):
            key = a.get("property") or a.get("name")
            self.meta.setdefault(key, []).append(a.get("content"))
        elif tag == "link" and a.get("rel") == "canonical":
            self.links["canonical"] = a.get("href")
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def _head(path) -> _Head:
    parser = _Head()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def previews(tmp_path_factory):
    """A few policies' site published at BASE, with one target title holding quotes, markup and an ampersand.
    (What every page carries whatever its address is read on the whole catalogue's site, ``shipped_site``.)"""
    work = small_project(tmp_path_factory.mktemp("previews"), "miit-industrial-equipment-renewal-plan-2024.yaml",
                         "miit-mobile-iot-2024.yaml")  # fmt: skip
    path = work / "targets" / "miit-industrial-equipment-renewal-plan-2024.yaml"
    old = "title: CNC rate of key processes above 75% in above-size industrial firms by 2027"
    path.write_text(path.read_text(encoding="utf-8").replace(old, f"title: '{HOSTILE}'"), encoding="utf-8")
    store.build(work / "targets", work / "data", work / "t.duckdb")
    con = store.connect(work / "t.duckdb")
    try:
        write_report(con, work / "out", AS_OF, base_url=BASE)
        assessed = assess(con, AS_OF).set_index("id")
        targets = queries.targets(con).set_index("id")
    finally:
        con.close()
    return work / "out", assessed, targets


_PREVIEW_TAGS = ("description", "og:title", "og:description", "og:locale", "og:type", "twitter:card", "twitter:title",
                 "twitter:description")  # fmt: skip


def _check_preview_tags(path, head: _Head, lang: str) -> None:
    for key in _PREVIEW_TAGS:
        assert len(head.meta.get(key, [])) == 1 and head.meta[key][0], f"{path}: {key}"
    assert head.meta["og:description"] == head.meta["description"] == head.meta["twitter:description"]
    if lang in ("en", "zh"):
        assert head.meta["og:locale"] == [{"en": "en_US", "zh": "zh_CN"}[lang]]
        assert head.title.startswith(head.meta["og:title"][0])


def test_every_page_has_its_own_title_description_and_preview_tags(shipped_site):
    """On the whole catalogue's site: every target, policy and indicator of the files has a title of its own."""
    out = shipped_site
    titles = {}
    for path in sorted(out.rglob("*.html")):
        head = _head(path)
        _check_preview_tags(path, head, path.relative_to(out).parts[0])
        titles.setdefault(head.title, []).append(path)
    assert len(titles) > 300
    assert {t: p for t, p in titles.items() if len(p) > 1} == {}, "two pages share a browser title"


def test_every_page_says_as_of_when_it_was_assessed_under_its_title(shipped_site):
    """A shared target page says "On track": it says as of when, right under its title, as the index does."""
    from tests.conftest import SITE_AS_OF

    pages = [p for lang in ("en", "zh") for p in sorted((shipped_site / lang).rglob("*.html"))]  # not the chooser
    assert len(pages) > 300
    for path in pages:
        text = path.read_text(encoding="utf-8")
        zh = path.relative_to(shipped_site).parts[0] == "zh"
        dated = f"评估日期：{SITE_AS_OF.isoformat()}" if zh else f"Assessed as of {SITE_AS_OF.isoformat()}."
        after = text[text.index("</h1>") :]
        assert after.startswith('</h1><p class="muted">') and dated in after[:200], path
        assert text[text.index("<main>") :].count(dated) == 1, path  # once in the page (the index's preview too)


def test_the_counts_say_when_one_goal_is_counted_once_per_document(shipped_site, shipped_database):
    """Goals two plans set are counted once per document (each is what its document sets): the sentence under the
    counts says how many goals and targets that is, so that "3 missed" is not quoted as three goals."""
    from tracker.database import connect

    con = connect(shipped_database)
    try:
        goals = same_goals(queries.targets(con))
    finally:
        con.close()
    groups = {frozenset([i, *o]) for i, o in goals.items()}
    assert len(groups) >= 5 and all(len(g) >= 2 for g in groups)
    for lang, sentence in (
        ("en", f"The counts are of targets: {len(groups)} goals are each set by more than one document "
               f"({sum(map(len, groups))} targets in all)"),
        ("zh", f"以上按目标计数：有{len(groups)}个目标同时见于多份文件（共{sum(map(len, groups))}项）"),
    ):  # fmt: skip
        index = (shipped_site / lang / "index.html").read_text(encoding="utf-8")
        counts_end = index.index("</table>")
        assert index.index(sentence) > counts_end and index.index(sentence) < index.index("</table>", counts_end + 8)


def test_the_list_of_indicators_names_the_coverage_of_each_latest_figure_as_the_app_does(
    shipped_site, shipped_database
):
    """Where an indicator's figures are of several coverages, its latest period on the site's list is of one of them:
    the coverage is named under it, the one the app's list of indicators names (tracker.freshness), in the page's
    language, and the unit is in the page's language too ("connections" was written on the Chinese list)."""
    from tests.conftest import SITE_AS_OF
    from tests.sitepages import cell_text
    from tracker.database import connect
    from tracker.freshness import indicator_summary
    from tracker.i18n.numbers import unit_name

    con = connect(shipped_database)
    try:
        indicators = queries.indicators(con)
        summary = indicator_summary(indicators, SITE_AS_OF, {i: queries.observations(con, i) for i in indicators["id"]})
    finally:
        con.close()
    several = summary[summary["coverage_count"] > 1]
    assert len(several) >= 5 and "cnc-rate-key-processes" in set(several["id"])
    for lang in ("en", "zh"):
        page = (shipped_site / lang / "indicators.html").read_text(encoding="utf-8")
        rows = {re.search(r'href="indicators/([^"]+)\.html"', row).group(1): re.findall(r"<td>(.*?)</td>", row, re.S)
                for row in re.findall(r"<tr>(.*?)</tr>", page, re.S) if 'href="indicators/' in row}  # fmt: skip
        assert set(rows) == set(summary["id"])
        for r in summary.itertuples(index=False):
            unit, latest = rows[r.id][1], rows[r.id][3]
            assert cell_text(unit) == unit_name(r.unit, lang)
            named = r.latest_coverage_name_zh if lang == "zh" and r.latest_coverage_name_zh else r.latest_coverage_name
            period = r.last_period if isinstance(r.last_period, str) else ""  # none: an indicator without figures
            expected = period + (f" {named}" if r.coverage_count > 1 else "")
            assert " ".join(cell_text(latest.replace("<br>", " ")).split()) == expected.strip(), (lang, r.id)
    zh = (shipped_site / "zh" / "indicators.html").read_text(encoding="utf-8")
    assert "全国工业企业" in zh and ">connections<" not in zh


def test_every_page_published_at_a_base_url_names_its_own_address(previews):
    out, _, _ = previews
    pages = sorted(out.rglob("*.html"))
    assert {p.relative_to(out).parts[0] for p in pages} >= {"en", "zh"} and len(pages) > 20
    for path in pages:
        head = _head(path)
        _check_preview_tags(path, head, path.relative_to(out).parts[0])
        assert len(head.meta.get("og:url", [])) == 1, f"{path}: og:url"
        address = BASE + str(path.relative_to(out)).replace("\\", "/")
        if path.parent == out:  # the entry page is the site's root
            address = BASE
        assert head.meta["og:url"] == [address] and head.links["canonical"] == address


def test_a_target_page_previews_its_title_and_status_sentence_in_its_language(previews):
    out, assessed, targets = previews
    for target_id in ("cnc-rate-75-by-2027", "mobile-iot-3-6bn-connections-by-2027"):
        en = _head(out / "en" / "targets" / f"{target_id}.html")
        zh = _head(out / "zh" / "targets" / f"{target_id}.html")
        assert en.meta["og:title"] == [targets.at[target_id, "title"]]
        assert zh.meta["og:title"] == [targets.at[target_id, "title_zh"]]
        assert en.meta["description"] == [assessed.at[target_id, "explanation"]]
        assert zh.meta["description"] == [assessed.at[target_id, "explanation_zh"]]
        assert re.search(r"[\u4e00-\u9fff]", zh.meta["og:description"][0])
    html = (out / "en" / "targets" / "cnc-rate-75-by-2027.html").read_text(encoding="utf-8")
    assert _head(out / "en" / "targets" / "cnc-rate-75-by-2027.html").meta["og:title"] == [HOSTILE]
    assert "<b>above</b>" not in html and '"quoted"' not in html


def test_without_a_base_url_pages_name_no_address(shipped_site):
    out = shipped_site  # written without a base URL
    head = _head(out / "zh" / "index.html")
    assert "og:url" not in head.meta and "canonical" not in head.links
    assert head.meta["og:locale"] == ["zh_CN"] and head.meta["og:title"] == [t("overview.title", "zh")]
    assert head.title == f"{t('overview.title', 'zh')} · {t('app.name', 'zh')}"


def test_base_url_must_be_an_http_address(run_cli, tmp_path):
    code, out, err = run_cli("report", "--out", tmp_path / "site", "--base-url", "javascript:alert(1)")
    assert code == 2 and "Traceback" not in err
    assert "--base-url" in err and "not an http(s) address" in err


def _decoded(value):
    """Plotly's JSON writes number arrays as base64 ("bdata"); the spec writes lists. Compare the numbers."""
    if isinstance(value, dict) and "bdata" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).tolist()
    if isinstance(value, dict):
        return {k: _decoded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decoded(v) for v in value]
    return value


def test_the_sites_chart_is_the_apps_chart(previews):
    out, assessed, _ = previews
    db = out.parent / "t.duckdb"
    con = store.connect(db)
    try:
        row = assess(con, AS_OF).set_index("id", drop=False).loc["cnc-rate-75-by-2027"]
        series = queries.observations(con, row["indicator"])
    finally:
        con.close()
    for lang in ("en", "zh"):
        app = json.loads(charts.target_chart(row, series, AS_OF, lang).to_json())
        site = json.loads(charts.target_chart_spec(row, series, AS_OF, lang).to_json())
        assert _decoded(site) == _decoded(app)
        app = json.loads(charts.series_chart(series, row["unit"], lang).to_json())
        assert _decoded(json.loads(charts.series_chart_spec(series, row["unit"], lang).to_json())) == _decoded(app)
        for spec in (charts.target_chart_spec(row, series, AS_OF, lang), charts.series_chart_spec(series, "%", lang)):
            assert to_json_plotly(spec.to_plain_dict()) == to_json_plotly(spec.to_dict())  # what the page writes


def test_a_specs_plain_values_are_what_plotlys_encoder_writes_for_them():
    spec = FigureSpec()
    spec.add_trace(
        dict(
            type="scatter",
            x=np.array(["2020-01-31", "NaT"], dtype="datetime64[ns]"),
            y=np.array([1.5, np.nan, np.inf]),
            text=(1, np.int64(2), np.float64(0.1), True, "NaN <b>"),
            customdata=np.array([pd.Timestamp("2021-12-31"), None, date(2020, 2, 29)], dtype=object),
            meta={"day": date(2020, 1, 1), "none": pd.NaT, "at": pd.Timestamp("2021-06-30 12:00:01.5")},
        )
    )
    spec.update_xaxes(range=[pd.Timestamp("2020-01-01"), pd.Timestamp("2021-06-30", tz="UTC")],
                      tickvals=[np.datetime64("2020-12-31")])  # fmt: skip
    assert to_json_plotly(spec.to_plain_dict()) == to_json_plotly(spec.to_dict())


def _series(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    ends = pd.date_range("1990-01-31", periods=n, freq="ME")
    return pd.DataFrame({"period_end": ends, "period": ends.strftime("%Y-%m"), "value": rng.normal(50, 5, n),
                         "coverage": np.where(np.arange(n) < n // 3, "key-firms", "all-firms"),
                         "t": ends.year + ends.day_of_year / 366.0})  # fmt: skip


def test_a_long_series_is_thinned_to_existing_figures_keeping_its_ends_extremes_and_compared_periods():
    series = _series(1000)
    base_t, latest_t = float(series["t"].iloc[123]), float(series["t"].iloc[-7])
    kept = thinned(series, pd.Series({"base_t": base_t, "latest_t": latest_t}))
    assert CHART_FIGURES <= len(kept) <= CHART_FIGURES + 10
    assert kept.index.is_unique and set(kept.index) <= set(series.index)
    pd.testing.assert_frame_equal(kept, series.loc[kept.index])  # every kept figure is a figure, unchanged
    for _, group in series.groupby("coverage"):
        for i in (group.index[0], group.index[-1], group["value"].idxmax(), group["value"].idxmin()):
            assert i in kept.index
    assert {123, 993} <= set(kept.index)
    gaps = np.diff(kept["period_end"].to_numpy()).astype("timedelta64[D]").astype(int)
    assert gaps.max() <= 31 * 1000 / CHART_FIGURES + 31  # evenly spread: no long stretch left out
    short = series.head(CHART_FIGURES)
    assert thinned(short) is short


@pytest.fixture(scope="module")
def long_site(tmp_path_factory):
    """A synthetic catalogue whose series hold about a thousand figures each, and its site."""
    work = tmp_path_factory.mktemp("long")
    generate(work / "cat", indicators=5, targets=10, rows=3000, files=2)  # one daily series of ~1,500 figures
    store.build(work / "cat" / "targets", work / "cat" / "data", work / "t.duckdb")
    con = store.connect(work / "t.duckdb")
    try:
        out = write_report(con, work / "out", AS_OF).parent
        sizes = {i: len(queries.observations(con, i)) for i in queries.indicators(con)["id"]}
        on = dict(zip(queries.targets(con)["id"], queries.targets(con)["indicator"], strict=True))
    finally:
        con.close()
    return out, sizes, on


def _chart_points(html: str) -> int:
    data = json.loads(re.search(r"Plotly\.newPlot\(\s*\"chart\",\s*(\[.*?\]),\s*\{", html, re.S).group(1))
    return sum(len(_decoded(tr["x"])) for tr in data if (tr.get("meta") or {}).get("role") == "figures")


def test_long_series_pages_stay_small_and_say_what_the_chart_leaves_out(long_site):
    out, sizes, on = long_site
    assert max(sizes.values()) > 3 * CHART_FIGURES
    for path in sorted(out.rglob("*.html")):
        assert path.stat().st_size < 200_000, f"{path} is {path.stat().st_size} bytes"
    pages = [(f"indicators/{i}.html", i) for i in sizes] + [(f"targets/{t}.html", i) for t, i in on.items()]
    for page, indicator in pages:
        total = sizes[indicator]
        for lang, words in (("en", f"of the {total:,} figures"), ("zh", f"{total:,}个数据中的")):
            html = (out / lang / page).read_text(encoding="utf-8")
            drawn = _chart_points(html)
            if total <= CHART_FIGURES:
                assert drawn == total and words not in html
                continue
            assert CHART_FIGURES <= drawn < total
            assert words in html and f"{drawn:,}" in html
            assert f'href="../../data/series/{indicator}.csv"' in html
        csv = pd.read_csv(out / "data" / "series" / f"{indicator}.csv")
        assert len(csv) == total  # every figure stays in the open data
