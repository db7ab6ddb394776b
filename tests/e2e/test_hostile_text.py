"""HTML and script in titles, notes, sources and addresses show as text and never run, in the dashboard
and in the static report; only http(s) addresses become links."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import expect

from tests.conftest import small_project
from tests.e2e.conftest import follow_menu, screenshot, serving, settled

pytestmark = pytest.mark.e2e

TITLE = 'Hostile <img src=x onerror="window.__pwned=1"> title <script>window.__pwned=2</script>'
SOURCE = '<img src=x onerror="window.__pwned=3">Evil source'
NOTE = '<b onmouseover="window.__pwned=4">note</b> [click](javascript:window.__pwned=5)'
SUMMARY = ("<script>window.__pwned=6</script> A one-year MIIT programme.\n\n"
           "![px](https://evil.example/px.png) **bold after a blank line**")  # fmt: skip


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    # The policy whose title is made hostile and the one of the figures' indicator, little-giants.
    work = small_project(tmp_path_factory.mktemp("hostile"), "miit-sme-leading-talents-2024.yaml",
                         "miit-quality-enterprises-2021.yaml")  # fmt: skip
    path = work / "targets" / "miit-sme-leading-talents-2024.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("title: Train at least 800 SME leading talents by end-2024", f"title: '{TITLE}'")
    # A blank line in a summary: Streamlit reads HTML as Markdown, where a blank line would end the HTML block and
    # what follows would be read as Markdown (an image that loads, bold, links).
    start = text.index("  summary: A one-year MIIT")
    end = text.index("\n", start)
    text = text[:start] + f"  summary: {json.dumps(SUMMARY)}" + text[end:]
    path.write_text(text, encoding="utf-8")
    obs = work / "data" / "observations" / "little-giants.csv"
    rows = obs.read_text(encoding="utf-8").splitlines()
    rows.append(
        f'little-giants,2025-12,1.8,万,>,,"{SOURCE.replace(chr(34), chr(34) * 2)}",Publisher,,,,"{NOTE.replace(chr(34), chr(34) * 2)}"'
    )
    obs.write_text("\n".join(rows) + "\n", encoding="utf-8")
    bad = work / "data" / "observations" / "bad-link.csv"
    bad.write_text(rows[0] + "\nlittle-giants,2025-12,1.8,万,>,,T,P,javascript:window.__pwned=7,,\n", encoding="utf-8")
    # Built once for both tests: the dashboard finds it current and the report command reads it as it is.
    from tracker import store

    store.build(work / "targets", work / "data", work / "data" / "tracker.duckdb")
    return work


def no_script_ran(page) -> None:
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator("a[href^='javascript:']").count() == 0
    assert page.locator("img[src*='evil.example'], a[href*='evil.example']").count() == 0


# Each page as the test reaches it: the target page by its address (its links to other targets are links out of
# the app, a new document each), then every other page by the menu's link, drawn in the document already open as a
# reader's click on the menu draws it: a quarter to a half of the browser's work of opening the address, and no
# second compiling of Streamlit's and Plotly's code (the six pages, with the overview, the indicators and the target
# each opened by address: 17.5-19.3 s of processor time in three runs; with only the target's address: 14.2-14.7 s,
# load 6-8). The indicators page shows the first indicator with figures, little-giants (whose
# hostile source and note are checked): the address the menu's link leads to must say so.
PAGES = [("target?target=sme-talents-800-by-2024", None), ("", "Overview"), ("policies", "Policies"),
         ("data-quality", "Data quality"), ("timeline", "Timeline"),
         ("indicators?indicator=little-giants", "Indicators")]  # fmt: skip


def test_dashboard_shows_hostile_text_as_text(hostile, dashboard):
    # The dashboard tests' server, on the hostile files for this test (and on the shipped ones again after, which
    # serving() asserts), in a tab of their browser context: its renderer has Streamlit's and Plotly's code compiled.
    dialogs = []
    with serving(dashboard.server, hostile) as url:
        page = dashboard.new_tab(1400, 1000)
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        try:
            for path, menu in PAGES:
                if menu is None:
                    page.goto(f"{url}/{path}")
                    settled(page)
                else:
                    follow_menu(page, page.locator("[data-testid=stPageLink] a").filter(has_text=menu).first)
                assert urlsplit(page.url).path == "/" + path.split("?")[0], page.url
                asked = parse_qsl(urlsplit(path).query)
                assert set(asked) <= set(parse_qsl(urlsplit(page.url).query)), (page.url, asked)
                page.mouse.move(400, 300)
                no_script_ran(page)  # neither when the page was drawn nor when the pointer moved over it
                if path.startswith("target"):
                    heading = page.get_by_role("heading", name="Hostile").first
                    expect(heading).to_contain_text("<script>window.__pwned=2</script>")
                    screenshot(page, "hostile-target")
                if path == "":
                    dashboard.overview_drawn()
                if path == "policies":  # the summary's Markdown after its blank line shows as written
                    expect(page.get_by_text("**bold after a blank line**").first).to_be_visible()
                if path == "data-quality":
                    expect(page.get_by_text("Left out of the database").first).to_be_visible()
        finally:
            page.close()
    assert dialogs == []


def test_static_report_shows_hostile_text_as_text(hostile, page, tmp_path):
    from tracker.cli import main

    out = tmp_path / "report"
    assert main(["report", "--targets", str(hostile / "targets"), "--data", str(hostile / "data"),
                 "--db", str(hostile / "data" / "tracker.duckdb"), "--out", str(out)]) == 0  # fmt: skip
    for path in ("en/index.html", "en/targets/sme-talents-800-by-2024.html", "zh/index.html"):
        page.goto((out / path).as_uri())
        page.wait_for_timeout(300)
        no_script_ran(page)
        if path.startswith("en/targets"):
            expect(page.locator("h1")).to_contain_text("<script>window.__pwned=2</script>")
