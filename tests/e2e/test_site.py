"""The static site in Chromium: served under a sub-path by ``python -m http.server`` (as GitHub Pages
serves https://ORG.github.io/REPO/) and opened from file://. Every page opens without a console
error or a failed request, links lead to pages, charts draw, the Chinese pages are Chinese."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.conftest import ROOT, SITE_NAME
from tests.e2e.conftest import _free_port, screenshot
from tests.sitepages import browser_sample, site_pages
from tracker.catalog import load_catalogue

SUB_PATH = SITE_NAME


@pytest.fixture(scope="session")
def built_site(shipped_site):
    """The shipped files' site, in a folder named as GitHub Pages names a repository's sub-path."""
    assert shipped_site.name == SUB_PATH
    return shipped_site


@pytest.fixture(scope="session")
def site_url(built_site):
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(built_site.parent)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/{SUB_PATH}/"
    for _ in range(100):
        try:
            with urllib.request.urlopen(url, timeout=2):
                break
        except OSError:
            time.sleep(0.1)
    try:
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def _watch(page):
    """Console errors, page errors and failed or missing requests, as they happen."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    # A request the browser itself aborted (a navigation overtaken by the next one) is not the site's fault.
    page.on(
        "requestfailed",
        lambda r: problems.append(f"failed: {r.url} ({r.failure})") if "ERR_ABORTED" not in (r.failure or "") else None,
    )
    page.on("response", lambda r: problems.append(f"{r.status}: {r.url}") if r.status >= 400 else None)
    return problems


def _chart_drawn(page) -> None:
    page.wait_for_function("document.querySelector('#chart .main-svg') !== null", timeout=30_000)


# What the page says of itself once loaded: its language and whether its chart (if it has one) is drawn.
_LOADED = "() => [document.documentElement.lang, document.querySelector('#chart .main-svg') !== null]"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_one_page_of_every_kind_and_variant_opens_without_an_error_under_a_sub_path(page, built_site, site_url, lang):
    """One page of every kind and variant in each language, in Chromium: no console or page error, no failed or
    missing request, its chart drawn if it has one, and the page in its language (zh-Hans for Chinese). The
    English part opens the entry page too.

    Why not every page: opening all 357 pages cost about 70 s of processor time a run (a fifth of `make test`),
    and what can go wrong only in a browser comes from a page's template and script, which every page of a
    kind shares, and from the variant of its chart (figures in one or several coverages or none, a required
    path, a projection and its band, a target marker and its symbol, a reference line, a deadline passed or
    ahead). So the browser opens, for each language and kind, pages chosen from the files one at a time, each
    time the one with the most features not yet opened, first in path order on a tie, until every feature that
    some page of the kind has is opened (``tests.sitepages.browser_sample``: 31 pages today); the data grows
    and the choice follows. What needs no browser, tests/unit/test_site_every_page.py checks on every page:
    each address resolves to a file under the sub-path, the page's language, its chart's data as strict JSON
    with the traces and layout Plotly's script needs and the numbers of its own table, and no script or style
    its kind does not have. Cheaper ways of keeping every page in the browser were measured (40 target pages,
    load 4-12): swapping each page's body into one open page and running its chart script cost 0.17 s of
    processor time a page against 0.29 s for opening it (0.58 times), drawing only each chart into one page
    0.12 s (and that is no longer the page); neither halves the cost, which is Plotly drawing the chart."""
    problems = _watch(page)
    pages = site_pages(built_site)
    assert len(pages) > 100
    sample = browser_sample(pages)
    kinds = {(p.lang, p.kind) for p in pages}
    assert {(p.lang, p.kind) for p in sample} == kinds, "a page of every kind in every language"
    for kind in kinds:  # every feature some page of the kind has is on a page that is opened
        opened = [p.features for p in sample if (p.lang, p.kind) == kind]
        assert set().union(*opened) == set().union(*(p.features for p in pages if (p.lang, p.kind) == kind)), kind
    mine = [p for p in sample if (p.lang or "en") == lang]
    assert mine
    assert all(p.chart is not None for p in mine if p.kind == "target"), "every target page has a chart"
    phone = lang == "zh"  # the Chinese pages are read at a phone's size: none may be wider than the screen
    if phone:
        page.set_viewport_size({"width": 390, "height": 844})
    for sampled in mine:
        path = sampled.path
        page.goto(site_url + path)
        if sampled.lang is None:  # the entry page moves on to the English scorecard
            expect(page).to_have_url(site_url + "en/index.html")
        lang, drawn = page.evaluate(_LOADED)
        if sampled.chart is not None and not drawn:
            _chart_drawn(page)
        assert lang == ("zh-Hans" if sampled.lang == "zh" else "en"), path
        assert problems == [], path
        if phone:  # the scorecard made the index 859 px wide on a 390 px screen, cutting the menu and the chart
            wide, screen = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert wide <= screen, (path, wide, screen)
            # The year labels stand apart, as in the app (the site's charts took the app's 12 px ticks only in the
            # seventeenth session: at 13 px, without the app's web font, "end-2020end-2022" ran together).
            boxes = sorted(
                page.locator("#chart .xaxislayer-above .xtick text").evaluate_all(
                    "els => els.map(e => e.getBoundingClientRect()).filter(b => b.width).map(b => [b.x, b.width])"
                )
            )
            for (x, width), (next_x, _) in zip(boxes, boxes[1:], strict=False):
                assert x + width + 2 <= next_x, (path, boxes)


def test_a_reader_goes_from_the_scorecard_to_a_target_and_to_chinese(page, site_url):
    problems = _watch(page)
    page.goto(site_url)  # the entry page sends the reader to the English scorecard
    expect(page).to_have_url(site_url + "en/index.html")
    expect(page.locator("h1")).to_have_text("Policy targets at a glance")
    # Its row under "Needs attention" (it is behind pace, with its deadline to come), then in the scorecard.
    links = page.get_by_role("link", name="More than 3.6 billion mobile IoT connections by 2027")
    expect(links).to_have_count(2)
    links.first.click()
    expect(page).to_have_url(site_url + "en/targets/mobile-iot-3-6bn-connections-by-2027.html")
    _chart_drawn(page)
    expect(page.locator(".explanation")).to_contain_text("takes the figure to 3.46 billion connections by end-2027")
    expect(page.locator(".target-card .status")).to_contain_text("Acceleration needed")
    page.get_by_role("link", name="中文").click()
    expect(page).to_have_url(site_url + "zh/targets/mobile-iot-3-6bn-connections-by-2027.html")
    _chart_drawn(page)
    expect(page.locator("h1")).to_contain_text("物联网")
    expect(page.locator(".target-card .status")).to_contain_text("需要加速")
    expect(page.locator("nav")).to_contain_text("总览")
    page.get_by_role("link", name="方法说明").click()
    expect(page.locator("h1")).to_have_text("如何判断进展")
    screenshot(page, "site-methodology-zh")
    assert problems == []


def test_the_site_works_from_file_without_a_server(page, built_site):
    problems = _watch(page)
    page.route("**/*", lambda route: route.abort() if route.request.url.startswith("http") else route.continue_())
    page.goto((built_site / "index.html").as_uri())
    expect(page.locator("h1")).to_have_text("Policy targets at a glance")
    ids = load_catalogue(ROOT / "targets", ROOT / "data").targets
    expect(page.locator("table.scorecard tbody tr")).to_have_count(len(ids))
    page.locator("table.scorecard a").first.click()
    _chart_drawn(page)
    screenshot(page, "site-target-file")
    page.get_by_role("link", name="Open data").click()
    expect(page.get_by_role("link", name="datapackage.json")).to_be_visible()
    assert problems == []


def test_pages_without_javascript_still_show_status_sentence_and_figures(browser, built_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((built_site / "en" / "targets" / "mobile-iot-3-6bn-connections-by-2027.html").as_uri())
    expect(page.locator(".target-card .status")).to_contain_text("Acceleration needed")
    expect(page.locator(".explanation")).to_contain_text("3.46 billion connections")
    expect(page.locator("table.evidence tbody tr").first).to_be_visible()
    context.close()
