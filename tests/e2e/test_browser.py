"""End to end in Chromium: overview, into a target, its chart, a deep link, a download, every page."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot, settled

pytestmark = pytest.mark.e2e


def test_overview_then_click_into_a_target(app_url, page):
    page.goto(app_url)
    settled(page)
    expect(page.get_by_role("heading", name="Policy targets at a glance")).to_be_visible()
    expect(page.get_by_text("Scorecard: 23 of 23 targets, most urgent first")).to_be_visible()
    screenshot(page, "overview")
    page.get_by_role("link", name="CNC rate of key processes of at least 75%").first.click()
    settled(page)
    expect(page).to_have_url(f"{app_url}/target?target=cnc-rate-75-by-2027")
    expect(page.get_by_role("heading", name="CNC rate of key processes of at least 75% in above-size")).to_be_visible()
    chart = page.locator("[data-testid=stPlotlyChart] .main-svg").first
    expect(chart).to_be_visible()
    expect(page.locator("[data-testid=stPlotlyChart] .scatterlayer .point").first).to_be_attached()
    expect(page.get_by_text("the rate reaches 74.1% by end-2027").first).to_be_visible()


def test_deep_link_lands_on_the_target(app_url, page):
    page.goto(f"{app_url}/target?target=mobile-iot-3-6bn-connections-by-2027")
    settled(page)
    expect(page.get_by_role("heading", name="More than 3.6 billion mobile IoT connections by 2027")).to_be_visible()
    expect(page.get_by_text("On track").first).to_be_visible()
    screenshot(page, "target")


def test_unknown_target_shows_a_message_and_a_link_back(app_url, page):
    page.goto(f"{app_url}/target?target=nope")
    settled(page)
    expect(page.get_by_text("There is no target with the id “nope”")).to_be_visible()
    page.get_by_role("link", name="Back to the overview").click()
    settled(page)
    expect(page.get_by_role("heading", name="Policy targets at a glance")).to_be_visible()


def test_download_the_scorecard_as_csv(app_url, page):
    page.goto(app_url)
    settled(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download CSV").click()
    download = info.value
    assert download.suggested_filename == "scorecard.csv"
    with open(download.path(), encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(io.StringIO(fh.read())))
    assert len(rows) == 23
    assert {"id", "status", "explanation"} <= set(rows[0])


@pytest.mark.parametrize(
    ("path", "heading"),
    [("policies", "Policy documents"), ("timeline", "Deadlines"), ("indicators?indicator=mobile-iot-connections", "Indicators"),
     ("data-quality", "Data quality"), ("methodology", "How progress is judged"), ("?lang=zh", "Policy targets at a glance")],
)  # fmt: skip
def test_every_page_draws(app_url, page, path, heading):
    page.goto(f"{app_url}/{path}")
    settled(page)
    expect(page.get_by_role("heading", name=heading).first).to_be_visible()
    expect(page.locator("[data-testid=stException]")).to_have_count(0)
    screenshot(page, path.split("?")[0] or "overview-zh")


def test_static_report_opens_offline_and_shows_every_target(page, tmp_path):
    from tests.conftest import ROOT
    from tracker.catalog import load_catalogue
    from tracker.cli import main

    out = tmp_path / "report"
    assert main(["report", "--out", str(out), "--db", str(tmp_path / "t.duckdb")]) == 0
    page.route("**/*", lambda route: route.abort() if route.request.url.startswith("http") else route.continue_())
    page.goto((out / "index.html").as_uri())
    ids = set(load_catalogue(ROOT / "targets", ROOT / "data").targets)
    expect(page.locator("section")).to_have_count(len(ids))
    page.wait_for_function(f"document.querySelectorAll('section .main-svg').length >= {len(ids)}", timeout=60_000)
    for target_id in ids:
        expect(page.locator(f"section#{target_id} h2")).to_be_visible()
    screenshot(page, "static-report")
