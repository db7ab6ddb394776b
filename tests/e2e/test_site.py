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


def _parts(pages: list[str]) -> dict[str, str]:
    """Which part of the site each page is in: its language and section (the target pages in two halves of
    the sorted list, indicators, policies, or the language's own pages), or "the rest" (the entry page)."""
    parts = {}
    for path in pages:
        top, *rest = path.split("/")
        if top not in ("en", "zh"):
            parts[path] = "the rest"
        else:
            parts[path] = f"{top}/{rest[0] if len(rest) > 1 else 'pages'}"
    for lang in ("en", "zh"):
        targets = [p for p in pages if parts[p] == f"{lang}/targets"]
        for i, path in enumerate(targets):
            parts[path] += "/1" if i < len(targets) / 2 else "/2"
    return parts


# Eleven parts, small enough for the test processes to share them out and end together: the target pages,
# which draw a chart each, are the costliest and come in halves.
SECTIONS = ("targets/1", "targets/2", "indicators", "policies", "pages")
PARTS = [f"{lang}/{section}" for lang in ("en", "zh") for section in SECTIONS]
PARTS.append("the rest")

# What the page says of itself once loaded: its language and whether its chart (if it has one) is drawn.
_LOADED = "() => [document.documentElement.lang, document.querySelector('#chart .main-svg') !== null]"


@pytest.mark.parametrize("part", PARTS)
def test_every_page_opens_without_an_error_under_a_sub_path(page, built_site, site_url, part):
    """Each page in Chromium: no console or page error, no failed or missing request, its chart drawn if it
    has one (every target page, and every indicator page with figures), and Chinese pages marked zh-Hans."""
    problems = _watch(page)
    pages = sorted(p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html"))
    assert len(pages) > 100
    parts = _parts(pages)
    assert set(parts.values()) == set(PARTS), "every page is in one of the parts, and no part is empty"
    mine = [p for p in pages if parts[p] == part]
    assert mine
    charts = {p for p in mine if 'id="chart"' in (built_site / p).read_text(encoding="utf-8")}
    assert {p for p in mine if "/targets/" in p} <= charts, "every target page has a chart"
    for path in mine:
        page.goto(site_url + path)
        if path in charts or path.startswith("zh/"):  # (the entry page moves on to the English scorecard)
            lang, drawn = page.evaluate(_LOADED)
            if path in charts and not drawn:
                _chart_drawn(page)
            if path.startswith("zh/"):
                assert lang == "zh-Hans", path
        assert problems == [], path


def test_a_reader_goes_from_the_scorecard_to_a_target_and_to_chinese(page, site_url):
    problems = _watch(page)
    page.goto(site_url)  # the entry page sends the reader to the English scorecard
    expect(page).to_have_url(site_url + "en/index.html")
    expect(page.locator("h1")).to_have_text("Policy targets at a glance")
    page.get_by_role("link", name="More than 3.6 billion mobile IoT connections by 2027").click()
    expect(page).to_have_url(site_url + "en/targets/mobile-iot-3-6bn-connections-by-2027.html")
    _chart_drawn(page)
    expect(page.locator(".explanation")).to_contain_text("the figure reaches 3.67 billion connections by end-2027")
    expect(page.locator(".target-card .status")).to_contain_text("On track")
    page.get_by_role("link", name="中文").click()
    expect(page).to_have_url(site_url + "zh/targets/mobile-iot-3-6bn-connections-by-2027.html")
    _chart_drawn(page)
    expect(page.locator("h1")).to_contain_text("物联网")
    expect(page.locator(".target-card .status")).to_contain_text("进展顺利")
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
    expect(page.locator(".target-card .status")).to_contain_text("On track")
    expect(page.locator(".explanation")).to_contain_text("3.67 billion connections")
    expect(page.locator("table.evidence tbody tr").first).to_be_visible()
    context.close()
