"""End to end in Chromium, as a reader on a laptop (1440x900) and a phone (390x844), in English and Chinese.

Layout is asserted with bounding boxes: what a reader needs is inside the viewport, not merely in the page.

ORDER: the tests are in the order that lets one opening of a page serve every test that reads it at that
size and in that language (``Tabs``): first the unknown target's, whose link back loads the overview, then those
that read the overview as it opens, then those that
scroll or hover on it, then those that click away from it (the menu's, which come back to it, before the
rows' links); the CNC target page a row's link opened on each screen serves the chart-layout test, the laptop's
the chart download, then the first parameter of the titles and no-English tests; the other pages' own tests follow. Moving a test
changes only how often pages are opened, never what a test checks.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from urllib.parse import parse_qsl, urlsplit

import openpyxl
import pandas as pd
import pytest
from playwright.sync_api import expect

from tests.conftest import ROOT
from tests.e2e.conftest import follow_menu, screenshot, settled, steady
from tracker.i18n import catalogue
from tracker.overview_charts import pace_chart
from tracker.scorecard import status_rules
from views.plot import figure_json

pytestmark = pytest.mark.e2e

SIZES = {"laptop": (1440, 900), "phone": (390, 844)}
LANGS = ("en", "zh")


class Tabs:
    """One browser tab per screen size and language, kept for the whole module and taken from page to page:
    opening an address in a tab that is already open costs Chromium about half the processor time of opening
    it in a new tab (2.0 s against 3.8 s per dashboard page, measured). The tabs share one browser context,
    so that its cache and compiled code serve them all: the first page with a Plotly chart costs a context
    about 3.5 s more than the next ones. A test gets the tab at its address as the test before left it there,
    when nothing has navigated since the address was opened (a test that clicks away leaves the tab where it
    went, and the next test opens its address again). A test that measures the page as a reader first sees
    it (``as_loaded``) gets it opened again when a test before scrolled or hovered in it (``moves``). The
    tests come in an order that lets one opening serve several tests (see ORDER above); any order, or any
    one test alone, still opens what each needs. A tab that a test's click took to the address another test
    asks for next serves that test as it is (a row's link opens the target page the chart-layout test reads;
    the menu's link back to the overview leaves the overview the next test reads), unless that test wants the
    page as loaded: a document load by a link is the same as one by the address, but a page reached through
    the menu keeps the document it was drawn in.

    The tabs are the dashboard context's (``dashboard`` in conftest.py), which records the replies to the
    requests for Plotly's bundle until its first overview (the only page that loads it) is drawn: nothing is
    cached then, and the bundle's test reads them."""

    def __init__(self, dashboard) -> None:
        self.dashboard = dashboard
        self.app_url = dashboard.url
        self.open: dict[tuple[str, str], tuple] = {}  # (size, lang) -> (tab, address, url once opened)
        self.moved: set[tuple[str, str]] = set()

    def at(self, size: str, path: str, lang: str = "en", *, as_loaded: bool = False, moves: bool = False):
        key, address = (size, lang), f"{self.app_url}/{with_lang(path, lang)}"
        if key not in self.open:
            self.open[key] = (self.dashboard.new_tab(*SIZES[size]), None, None)
        tab, opened, url = self.open[key]
        if as_loaded:
            stale = opened != address or tab.url != url or key in self.moved
        else:
            stale = not same_address(tab.url, address)
        if stale:
            open_(tab, address)
            self.open[key] = (tab, address, tab.url)
            self.moved.discard(key)
        else:
            settled(tab)
        if moves:
            self.moved.add(key)
        if urlsplit(tab.url).path == "/":
            self.dashboard.overview_drawn()
        return tab

    def landed(self, size: str, path: str, lang: str = "en") -> None:
        """Note that a link the test clicked loaded ``path`` in a new document of the tab: it serves the tests after
        as an opening of that address does, as loaded too (not reached through the menu, which keeps the document
        it was drawn in: the document's own navigation names the address)."""
        key, address = (size, lang), f"{self.app_url}/{with_lang(path, lang)}"
        tab = self.open[key][0]
        loaded = tab.evaluate("() => performance.getEntriesByType('navigation')[0].name")
        assert same_address(loaded, address) and same_address(tab.url, address), (loaded, tab.url, address)
        self.open[key] = (tab, address, tab.url)
        self.moved.discard(key)

    def close(self) -> None:
        for tab, _, _ in self.open.values():
            tab.close()


@pytest.fixture(scope="module")
def tabs(dashboard):
    opened = Tabs(dashboard)
    yield opened
    opened.close()


def open_(page, url: str) -> None:
    page.goto(url)
    settled(page)


def same_address(a: str, b: str) -> bool:
    """Whether two addresses name the same page: same path (``/`` for none) and the same query parameters."""

    def parts(address: str) -> tuple:
        split = urlsplit(address)
        return split.netloc, split.path or "/", sorted(parse_qsl(split.query))

    return parts(a) == parts(b)


def with_lang(path: str, lang: str) -> str:
    if lang == "en":
        return path
    return path + ("&" if "?" in path else "?") + "lang=zh"


# Each row's boxes of the elements matching each selector (null for one that is not drawn), in the page's
# coordinates as Playwright's bounding_box gives them; for `rows.evaluate_all(ROW_BOXES, selectors)`.
ROW_BOXES = """(rows, cells) => rows.map(row => cells.map(cell => [...row.querySelectorAll(cell)].map(e => {
    const b = e.getBoundingClientRect();
    return b.width || b.height ? {x: b.x, y: b.y, width: b.width, height: b.height} : null;
})))"""


def inside_horizontally(page, locator) -> bool:
    box = locator.bounding_box()
    width = page.viewport_size["width"]
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5


# First: its link back to the overview loads the overview in a new document, which the tests after it read as
# loaded (the laptop's first opening of the overview, which the scorecard rows' test measured, was a second one).
def test_unknown_target_shows_a_message_and_a_link_back(tabs):
    page = tabs.at("laptop", "target?target=nope")
    expect(page.get_by_text("There is no target with the id “nope”")).to_be_visible()
    page.get_by_role("link", name="Back to the overview").click()
    settled(page)
    expect(page.get_by_role("heading", name="Policy targets at a glance")).to_be_visible()
    tabs.landed("laptop", "")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", list(SIZES))
def test_every_scorecard_row_shows_status_latest_target_and_deadline_without_scrolling_sideways(tabs, size, lang):
    page = tabs.at(size, "", lang, as_loaded=True)
    rows = page.locator(".sc-row[data-target]")
    expect(rows.first).to_be_visible()
    steady(page, ".sc-row[data-target]")  # web fonts and the sidebar settle before boxes are measured
    assert rows.count() >= 20
    # Every cell's box, read in one call (one call per cell took a minute for four screens of rows).
    cells = (".cell-title", ".cell-status", ".cell-latest", ".cell-goal", ".cell-due")
    boxes = rows.evaluate_all(ROW_BOXES, list(cells))
    assert len(boxes) == rows.count()
    width = page.viewport_size["width"]
    for i, row in enumerate(boxes):
        for cell, found in zip(cells, row, strict=True):
            assert len(found) == 1, (i, cell, f"{len(found)} cells")
            box = found[0]
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, (i, cell)
    # What needs attention is on the first screen, whole: the most urgent target's row, or, when no target with its
    # deadline to come is behind pace (the shipped data), the note that says so and where the rest are; on a phone
    # the scorecard's first row then follows it, on the first screen or just below.
    height = page.viewport_size["height"]
    note = page.locator("#list-attention ~ .list-caption")
    if note.count():
        box = note.first.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= height, box
    first = rows.first.bounding_box()
    if not note.count() or size == "laptop":
        assert first["y"] >= 0 and first["y"] + first["height"] <= height
    else:  # the scorecard's heading, then its first row, right under the note
        assert 0 < first["y"] - (box["y"] + box["height"]) < 200, (box, first)
    name = f"overview-{page.viewport_size['width']}-{lang}"
    screenshot(page, name)


def test_the_chart_is_drawn_from_the_bundle_the_server_sends_gzipped_with_the_compile_hint(tabs):
    # The overview as first opened in the tabs' browser context (nothing cached then): the replies to the
    # requests for the bundle (views/serving.py) until then. One request, compressed once at the server's start:
    # the browser inflates it, and the script it runs starts with V8's compile hint.
    page = tabs.at("laptop", "")
    expect(page.locator(".basic-plot .main-svg").first).to_be_attached(timeout=60_000)
    fetched = [(r.url.rsplit("/", 1)[-1], r.status, r.headers.get("content-encoding"), r.headers.get("content-type"))
               for r in tabs.dashboard.bundle_replies]  # fmt: skip
    assert fetched == [("plotly-basic.min.js", 200, "gzip", "text/javascript; charset=utf-8")]
    body = tabs.dashboard.bundle_replies[0].body()
    assert body.startswith(b"//# allFunctionsCalledOnLoad\n/**\n* plotly.js (basic - minified)")
    assert page.evaluate("() => typeof window.Plotly.react") == "function"


# The title test of every other page name follows the rows' links (its first page is the target they open).
def test_the_overview_address_opens_with_its_own_browser_title(tabs):
    opens_with_its_own_browser_title(tabs.at("laptop", ""), "Overview")


@pytest.mark.parametrize("size", ["phone"])
def test_status_is_text_and_an_icon_drawn_without_fonts(tabs, size):
    page = tabs.at(size, "")
    badge = page.locator(".sc-row[data-target] .status").first
    expect(badge.locator("img.st-icon")).to_be_visible()  # an image of its SVG shape
    expect(badge).to_have_text(re.compile(r"\w"))
    color = badge.evaluate("e => getComputedStyle(e).color")
    r, g, b = (int(c) for c in re.findall(r"\d+", color)[:3])

    def lum(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * lum(r) + 0.7152 * lum(g) + 0.0722 * lum(b)
    assert 1.05 / (luminance + 0.05) >= 4.5, f"status text {color} is below WCAG AA on white"


def _attention_rows(page) -> int:
    """Rows listed twice on the overview: once under "Needs attention" or "Deadline passed", once in the scorecard."""
    ids = page.locator(".sc-row[data-target]").evaluate_all("rows => rows.map(r => r.dataset.target)")
    return len(ids) - len(set(ids))


def test_download_the_scorecard_as_csv_and_excel(tabs):
    # One click, no second try: the CSV comes with the page (views/overview.py), so a click fetches a file the
    # server holds. The button is brought into view and left to hold still first: rows near the view are laid out
    # only then (content-visibility) and push it down, and a click sent as it moved landed beside it, which gave
    # no file now and then (docs/reliability.md). The clicks rerun nothing (the buttons' on_click is "ignore"), so
    # the overview the tests before read serves: a tab of its own cost a second opening of it.
    page = tabs.at("laptop", "", moves=True)  # it scrolls to the button
    button = page.get_by_role("button", name="Download CSV")
    button.scroll_into_view_if_needed()
    steady(page, "[data-testid=stDownloadButton]")
    with page.expect_download(timeout=60_000) as info:
        button.click()
    download = info.value
    assert download.suggested_filename == "scorecard.csv"
    with open(download.path(), encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(io.StringIO(fh.read())))
    assert len(rows) == page.locator(".sc-row[data-target]").count() - _attention_rows(page) and len(rows) > 20
    assert {"id", "Status", "Latest figure", "Target", "Target value", "Deadline", "Explanation"} <= set(rows[0])
    assert not any(r["Status"] in ("insufficient_data", "not_assessed") for r in rows)
    # What the row says under its status comes with it (a status on an old figure read as current without it).
    notes = {r["id"]: r["Note on the status"] for r in rows}
    assert notes["mobile-iot-3-6bn-connections-by-2027"] == "latest figure out of date"
    assert notes["10g-pon-ports-12m-by-2025"] == "met before the deadline's figure is out"
    assert notes["5g-base-stations-26-per-10k-by-2025"] == ""  # met on the deadline's own figure
    # The Excel file comes with the page too (views/widgets.download_buttons): the same table.
    button = page.get_by_role("button", name="Download Excel")
    button.scroll_into_view_if_needed()
    steady(page, "[data-testid=stDownloadButton]")
    with page.expect_download(timeout=60_000) as info:
        button.click()
    assert info.value.suggested_filename == "scorecard.xlsx"
    with open(info.value.path(), "rb") as fh:  # openpyxl goes by the name's extension, which a download has not
        sheet = openpyxl.load_workbook(io.BytesIO(fh.read())).active
    cells = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert [dict(zip(cells[0], row, strict=True))["id"] for row in cells[1:]] == [r["id"] for r in rows]
    assert dict(zip(cells[0], cells[1], strict=True))["Target value"] == rows[0]["Target value"]
    assert len(set(cells[0])) == len(cells[0]), "no two columns of one name"


# Where each download button and each row of the overview's lists is in the page (its top, from the top of the
# scrolled area), wherever the reader has scrolled.
PLACES = """() => {
    const main = document.querySelector('[data-testid=stMain]');
    return [...document.querySelectorAll('[data-testid=stDownloadButton], .sc-row[data-target]')]
        .map(e => Math.round(e.getBoundingClientRect().top + main.scrollTop));
}"""


@pytest.mark.parametrize("size", list(SIZES))
def test_rows_and_download_buttons_keep_their_place_when_a_reader_jumps_to_the_end_and_back(tabs, size):
    # As a reader who drags the scroll bar to the bottom and back to the top. Rows laid out only as they came near
    # the view took their real height then and moved every row and button under them (docs/reliability.md).
    page = tabs.at(size, "", moves=True)
    steady(page, ".sc-row[data-target]")
    places = page.evaluate(PLACES)
    assert len(places) > 20
    for scroll_to in ("main.scrollHeight", "0"):
        page.evaluate(f"() => {{ const main = document.querySelector('[data-testid=stMain]'); "
                      f"main.scrollTop = {scroll_to}; }}")  # fmt: skip
        steady(page, ".sc-row[data-target]")
        assert page.evaluate(PLACES) == places, scroll_to


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", list(SIZES))
def test_the_overview_pace_chart_is_drawn_by_plotly_with_a_mark_per_open_target_that_names_it(tabs, size, lang):
    page = tabs.at(size, "", lang, moves=True)  # it scrolls and hovers
    chart = page.locator(".basic-plot")
    chart.scroll_into_view_if_needed()
    expect(chart.locator(".main-svg").first).to_be_visible()
    assert inside_horizontally(page, chart)
    marks = chart.locator(".scatterlayer .trace:not(:first-child) .point")
    count = marks.count()
    assert count >= 2  # the shipped data has open targets with a base and a later figure
    texts = "els => els.map(e => e.textContent)"  # SVG text has no inner text
    legend = chart.locator(".legendtext").evaluate_all(texts)
    assert legend[0] == ("on pace" if lang == "en" else "按期进度") and len(legend) >= 2
    ticks = chart.locator(".xtick text").evaluate_all(texts)
    assert ticks[0] == "0%" and ticks[-1] == "100%"
    marks.first.hover(force=True)
    hover = page.locator(".basic-plot .hoverlayer .hovertext")
    expect(hover.first).to_be_visible()
    titles = page.locator(".sc-row[data-target] a.title").all_inner_texts()
    assert any(title[:20] in (hover.first.text_content() or "") for title in titles)
    screenshot(page, f"overview-pace-{page.viewport_size['width']}-{lang}")


BOXES = """(box) => {
  const svg = box.querySelector('.main-svg').getBoundingClientRect();
  const rect = (e) => { const r = e.getBoundingClientRect(); return [r.left - svg.left, r.top - svg.top, r.right - svg.left,
                                                                      r.bottom - svg.top]; };
  const all = (q, text = true) => [...box.querySelectorAll(q)].filter((e) => !text || e.textContent).map(rect);
  const size = box._fullLayout._size, xa = box._fullLayout.xaxis, ya = box._fullLayout.yaxis;
  return {width: svg.width, height: svg.height, yticks: all('.ytick text'), xticks: all('.xtick text'),
          ytitle: all('.g-ytitle text'), xtitle: all('.g-xtitle text'), legend: all('.legend .legendtext'),
          note: all('.annotation text'), marks: all('.scatterlayer .trace:not(:first-child) .point', false),
          margin: [size.l, size.b], plot: [size.l, size.t, size.l + size.w, size.t + size.h],
          // where the dashed line (y = x) is, in pixels from the figure's top, at each note's left edge
          line: all('.annotation text').map(([left]) => size.t + ya.l2p(xa.p2l(left - size.l)))};
}"""


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    ("low", "high", "phone"), [(0.1, 0.9, 288), (-0.35, 1.2, 288), (-3.0, 15.2, 288), (0.1, 99.5, 288)]
)
def test_the_pace_chart_holds_its_labels_and_marks_in_one_layout_whatever_the_range_and_width(
    page, lang, low, high, phone
):
    """The Pace chart's margins are set to what its labels take (tracker.overview_charts.pace_left_margin), so that
    Plotly lays it out once. Drawn by the app's bundle at a laptop's width and a phone's (288 px: a 320 px screen,
    also for a way of ten thousand percent, whose wide labels leave the plot 168 px), with shares of the way from
    far below zero to a hundred times the target and marks just past the base and just before the deadline: Plotly
    kept the margins as set (it adds to them only where labels need more room: a second layout), every tick label and both titles are inside the figure, the y title left of the tick labels
    and the x title under them, above the legend; every mark is whole inside the plot, and the note under the
    dashed line stays clear of the tick labels, and is left out where the line runs nearly flat along 0%."""
    points = pd.DataFrame({"status": ["on_track", "acceleration_needed"], "time_used": [0.01, 0.995],
                           "progress": [high, low], "title": ["A", "B"], "latest_period": ["2025", "2025"]})  # fmt: skip
    figure = json.loads(figure_json(pace_chart(points, lang)))
    page.set_content('<div id="plot"></div>')
    page.add_script_tag(path=str(ROOT / "static" / "plotly-basic.min.js"))
    for width in (1200, phone):
        page.evaluate("([w, f]) => { const box = document.getElementById('plot'); box.style.width = w + 'px';"
                      " return Plotly.newPlot(box, f.data, f.layout).then(() => null); }", [width, figure])  # fmt: skip
        at = page.evaluate(BOXES, page.query_selector("#plot"))
        assert at["margin"][0] == figure["layout"]["margin"]["l"], (width, at["margin"])  # laid out once
        labels = at["yticks"] + at["xticks"] + at["ytitle"] + at["xtitle"]
        assert len(at["yticks"]) >= 3 and len(at["ytitle"]) == len(at["xtitle"]) == 1, at
        assert all(
            left >= 0 and right <= at["width"] and bottom <= at["height"] for left, _, right, bottom in labels
        ), at
        # the titles keep their stand-off from the labels (Plotly pushes a title that has no room against the
        # figure's edge, onto the labels)
        assert at["ytitle"][0][0] >= 0 and min(left for left, _, _, _ in at["yticks"]) - at["ytitle"][0][2] >= 12, at
        assert at["xtitle"][0][1] - max(bottom for _, _, _, bottom in at["xticks"]) >= 6, at
        assert at["xtitle"][0][3] < min(top for _, top, _, _ in at["legend"]), at
        assert len(at["note"]) == (1 if high - low < 3 else 0), at  # no note where the line runs along 0%
        assert all(note[0] > max(right for _, _, right, _ in at["yticks"]) for note in at["note"]), at
        assert all(note[1] > line + 2 for note, line in zip(at["note"], at["line"], strict=True)), at  # under it
        for left, top, right, bottom in at["marks"]:
            assert at["plot"][0] - 0.5 <= left and right <= at["plot"][2] + 0.5, (left, right, at["plot"])
            assert at["plot"][1] - 0.5 <= top and bottom <= at["plot"][3] + 0.5, (top, bottom, at["plot"])
        assert max(len(tick) for tick in page.locator("#plot .ytick text").all_text_contents()) >= (
            5 if high > 10 else 4
        )  # the widest labels were drawn: "1500%"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("top", "unit"), [(2.5e6, "% change"), (45_000.0, "% change"), (45_000.0, "enterprises")])
def test_a_chart_axis_writes_its_numbers_in_full_with_no_scale_letter(page, lang, top, unit):
    """An indicator's chart drawn by the app's bundle: the y tick labels are whole numbers with thousands separators
    (what the axis title's unit says they count), never Plotly's "45k" or "2.5M". A percentage is never scaled
    (tracker.i18n.numbers.choose_scale), so without this a change of 2,500,000% read "2.5M" under "% change"."""
    from tests.unit.test_charts import figures
    from tracker.charts import series_chart

    series = figures([("2021", top / 5, "national"), ("2022", top / 2, "national"), ("2023", top, "national")])
    figure = json.loads(figure_json(series_chart(series, unit, lang)))
    page.set_content('<div id="plot" style="width: 900px"></div>')
    page.add_script_tag(path=str(ROOT / "static" / "plotly-basic.min.js"))
    page.evaluate("(f) => Plotly.newPlot(document.getElementById('plot'), f.data, f.layout).then(() => null)", figure)
    ticks = page.locator("#plot .ytick text").all_text_contents()
    assert len(ticks) >= 3, ticks
    assert all(re.fullmatch(r"−?\d{1,3}(,\d{3})*(\.\d+)?", tick) for tick in ticks), ticks
    numbers = [float(tick.replace(",", "").replace("−", "-")) for tick in ticks]
    shown = top if unit.startswith("%") else top / (1e4 if lang == "zh" else 1)  # 4.5万家 in Chinese
    assert numbers == sorted(numbers) and numbers[0] == 0 and numbers[-1] <= shown <= 1.25 * numbers[-1], (ticks, shown)
    title = page.locator("#plot .ytitle").text_content()
    assert ("万" in title) == (lang == "zh" and not unit.startswith("%")), title


# Before the rows' links are followed: it starts from the Chinese overview the pace chart left, and ends on it.
@pytest.mark.parametrize("size", ["laptop"])
def test_chinese_is_kept_over_five_navigations(tabs, size):
    """Each page a Chinese reader reaches by the menu or a link stays Chinese: the address keeps ``lang=zh``,
    the heading is not English, and no English status or heading word is on the page. That last check is
    ``test_no_english_status_or_heading_word_on_a_chinese_page``'s, which opened the overview, the policies
    and the timeline by their addresses; here it reads them, a target and the indicators as a reader reaches
    them, without opening any of them again."""
    page = tabs.at(size, "", "zh")
    menu = page.locator("[data-testid=stSidebarNav] a, [data-testid=stPageLink] a")
    steps = [
        lambda: follow_menu(page, menu.filter(has_text="政策文件").first),
        # The first target link a reader can see (the plans' lists open on demand): a new document.
        lambda: (page.locator("a[href*='target?target=']:visible").first.click(), settled(page)),
        lambda: follow_menu(page, menu.filter(has_text="时间线").first),
        lambda: follow_menu(page, menu.filter(has_text="指标").first),
        lambda: follow_menu(page, menu.filter(has_text="总览").first),
    ]
    for step, path in zip(steps, ("/policies", "/target", "/timeline", "/indicators", "/"), strict=True):
        step()
        assert urlsplit(page.url).path == path and "lang=zh" in page.url, page.url
        expect(page.locator("h1").first).not_to_contain_text(re.compile(r"^[A-Za-z ]+$"))
        found = english_words(page)
        assert not found, (page.url, found)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", list(SIZES))
def test_a_row_opens_its_target_whose_chart_has_a_visible_source_line(tabs, size, lang):
    # The CNC rate's target: its page, opened here on each screen, is the one the chart-layout test reads next. Its
    # source line is long (ten publishers), and still sits under the chart inside the screen.
    page = tabs.at(size, "", lang)
    page.locator('.sc-row[data-target="cnc-rate-75-by-2027"] a.title').first.click()
    settled(page)
    assert "target=cnc-rate-75-by-2027" in page.url
    assert ("lang=zh" in page.url) == (lang == "zh")
    chart = page.locator("[data-testid=stPlotlyChart]").first
    # The page is a new document: on a loaded machine its chart can come seconds after the rest of the page.
    expect(chart).to_be_visible(timeout=60_000)
    source = page.get_by_test_id("source-line")
    source.scroll_into_view_if_needed()
    expect(source).to_be_visible()
    # The line starts with the figures' sources and ends with the target's own document.
    document = (
        "Target: Implementation plan for promoting equipment renewal in industry"
        if lang == "en"
        else "目标：推动工业领域设备更新实施方案"
    )
    expect(source).to_contain_text(re.compile("^" + ("Source: " if lang == "en" else "来源：") + ".+" + document))
    assert inside_horizontally(page, source)
    chart_box, source_box = chart.bounding_box(), source.bounding_box()
    assert source_box["y"] >= chart_box["y"] + chart_box["height"] - 1, "the source line sits under the chart"
    screenshot(page, f"target-{page.viewport_size['width']}-{lang}")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", list(SIZES))
def test_a_targets_chart_has_its_year_labels_side_by_side_and_its_legend_under_the_plot(tabs, size, lang):
    page = tabs.at(size, "target?target=cnc-rate-75-by-2027", lang, moves=True)  # it scrolls to the chart
    chart = page.locator("[data-testid=stPlotlyChart]").first
    chart.scroll_into_view_if_needed()
    labels = chart.locator(".xaxislayer-above .xtick text")
    boxes = sorted((b for b in (labels.nth(i).bounding_box() for i in range(labels.count())) if b and b["width"]),
                   key=lambda b: b["x"])  # fmt: skip
    assert len(boxes) >= 3
    for left, right in zip(boxes, boxes[1:], strict=False):
        assert left["x"] + left["width"] <= right["x"], "year labels overlap"
        assert abs(left["y"] - right["y"]) < 1, "year labels are level"
    frame = chart.bounding_box()
    assert boxes[0]["x"] >= frame["x"] and boxes[-1]["x"] + boxes[-1]["width"] <= frame["x"] + frame["width"] + 0.5
    plot = chart.locator(".nsewdrag").first.bounding_box()
    legend = chart.locator(".legend").first.bounding_box()
    title = chart.locator(".xtitle").first.bounding_box()
    assert legend["y"] >= title["y"] + title["height"] - 0.5 >= plot["y"] + plot["height"], "legend under the axis"
    assert legend["y"] + legend["height"] <= frame["y"] + frame["height"] + 0.5, "the legend fits in the figure"
    # The source line follows the legend closely: no empty band between them on a wide screen.
    source = page.get_by_test_id("source-line").bounding_box()
    assert 0 <= source["y"] - (legend["y"] + legend["height"]) < 120


# On the CNC target's page that the rows' links and the chart-layout test left open on the laptop (the click reruns
# nothing: the image is made when it is asked for), which the title test reads next.
def test_chart_downloads_as_svg_with_title_and_source(tabs):
    page = tabs.at("laptop", "target?target=cnc-rate-75-by-2027")
    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("button", name="Chart as SVG").click()
    with open(info.value.path(), encoding="utf-8") as fh:
        svg = fh.read()
    assert info.value.suggested_filename == "cnc-rate-75-by-2027.svg"
    assert "CNC rate of key processes above 75% in above-size industrial firms by 2027" in svg
    # The citation under the chart, in lines: the figures' sources, the target's document, the page's address.
    lines = " ".join(re.findall(r"<tspan class=\"line\"[^>]*>([^<]*)</tspan>", svg))
    document = "Target: Implementation plan for promoting equipment renewal in industry"
    assert re.search(f"^Source: Xinhua .+ {document}", lines)
    assert "Source: Xinhua" in svg and "target?target=cnc-rate-75-by-2027" in svg


# The target page comes first: the row's link and the chart-layout test left it open. The overview's own address
# ("") is read by test_the_overview_address_opens_with_its_own_browser_title, while its first opening is still open.
@pytest.mark.parametrize(
    ("path", "title"),
    [("target?target=cnc-rate-75-by-2027", "CNC rate"), ("overview", "Overview"),
     ("policies", "Policies"), ("timeline", "Timeline"), ("indicators", "Indicators"),
     ("data-quality", "Data quality"), ("methodology", "Methodology")],
)  # fmt: skip
def test_every_page_name_opens_with_its_own_browser_title(tabs, path, title):
    opens_with_its_own_browser_title(tabs.at("laptop", path), title)


def opens_with_its_own_browser_title(page, title: str) -> None:
    expect(page.locator("[data-testid=stException]")).to_have_count(0)
    expect(page.get_by_text("Page not found")).to_have_count(0)
    # Waited for: /overview opens the overview through a page that switches to it, and under load the switched
    # run can start after the first one reads as finished (seen once at load 26: the app's own title, still).
    expect(page).to_have_title(re.compile("^" + re.escape(title)), timeout=60_000)
    assert page.title().endswith("· Policy target tracker")
    expect(page.get_by_text("Deploy", exact=True)).to_have_count(0)


def english_words(page) -> list[str]:
    """The English status, overview, page and column words (of four letters or more) in the page's main area."""
    text = page.locator("[data-testid=stMain]").inner_text()
    english = [catalogue("en")[k] for k in catalogue("en") if k.startswith(("status.", "overview.", "page.", "col."))]
    return [w for w in english if re.fullmatch(r"[A-Za-z][A-Za-z ]{3,}", w) and re.search(rf"\b{w}\b", text)]


# The overview, the policies and the timeline are read by the five-navigation test as a reader reaches them.
# The target page comes first: the row's link and the chart-layout test left it open.
@pytest.mark.parametrize("path", ["target?target=cnc-rate-75-by-2027", "methodology"])
def test_no_english_status_or_heading_word_on_a_chinese_page(tabs, path):
    page = tabs.at("laptop", path, "zh")
    found = english_words(page)
    assert not found, found


@pytest.mark.parametrize("lang", LANGS)
def test_on_a_phone_each_status_name_of_the_methodology_table_stays_inside_its_cell(tabs, lang):
    """On a phone the rules' table is stacked, a status to a row, its name whole on one line ("Acceleration needed"
    and "等待截止期数据" ran over the border into the rule beside it in three columns; let wrap, "已/实现" split)."""
    page = tabs.at("phone", "methodology", lang)
    cells = page.locator("table.facts td:has(> .status)")
    assert cells.count() == len(status_rules(lang))
    for cell, name in zip(cells.all(), cells.evaluate_all(ROW_BOXES, [".status b"]), strict=True):
        box = cell.bounding_box()
        for part in name[0]:
            assert part["x"] + part["width"] <= box["x"] + box["width"] + 0.5, (cell.inner_text(), part, box)
            assert part["height"] < 1.6 * float(cell.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))


def test_a_chinese_target_page_gives_the_coverage_column_room_beside_long_notes(tabs):
    """The evidence table's coverage column holds at least six characters a line on a Chinese page, where the
    English notes beside it had squeezed it to two (制造/业重/点领/域企/业)."""
    page = tabs.at("laptop", "target?target=fyp14-2i-cnc-rate-68pct", "zh")
    column = page.locator("table.facts td.roomy")
    assert column.count() >= 5
    font = float(column.first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
    for box in (c.bounding_box() for c in column.all()):
        assert box["width"] >= 6 * font, box


@pytest.mark.parametrize("size", list(SIZES))
def test_embed_shows_the_card_and_chart_only(tabs, size):
    page = tabs.at(size, "target?target=mobile-iot-3-6bn-connections-by-2027&embed=true")
    # On a loaded machine the first run may not have drawn anything yet when the script state reads "not running".
    expect(page.locator("[data-testid=stPlotlyChart]")).to_have_count(1, timeout=60_000)
    assert (
        page.locator("[data-testid=stSidebar]").count() == 0 or not page.locator("[data-testid=stSidebar]").is_visible()
    )
    expect(page.get_by_text("Evidence", exact=True)).to_have_count(0)
    expect(page.get_by_test_id("source-line")).to_be_visible()
    # An embedded chart says how current it is and links to its full page (not to the embed).
    as_of = page.get_by_test_id("embed-as-of")
    expect(as_of).to_contain_text(f"Assessed as of {date.today().isoformat()}.")
    href = as_of.get_by_role("link", name="Open in the tracker").get_attribute("href")
    assert href.endswith("/target?target=mobile-iot-3-6bn-connections-by-2027") and "embed" not in href, href
    screenshot(page, f"embed-{page.viewport_size['width']}")
