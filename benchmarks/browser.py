"""Browser benchmark: the overview in Chromium against an empty Streamlit page, on the same server.

One ``streamlit run`` serves a wrapper of dashboard.py: with ``?bench=empty`` it writes one line of
text and stops; otherwise it is the dashboard. Chromium (Debian's, driven by Playwright) opens
each page in a fresh context (no browser cache), alternating empty and overview, and times from
the request until the line of text is visible, or until the overview's scorecard table and pace
chart are drawn. One visit of each first fills the server's caches, as for every visitor after
the first. Goal (issue 15): the overview within 1.5 times the empty page.
Run: ``.venv/bin/python -m benchmarks.browser [--targets N] [--repeat 5]`` (default: the shipped data).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from benchmarks.harness import Goal, catalogue, load_note
from benchmarks.server import EMPTY_QUERY, EMPTY_TEXT, catalogue_env, dashboard_server

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]  # fmt: skip
DRAWN = """() => document.querySelector('.sc-row[data-target]')
    && [...document.querySelectorAll('[data-testid=stPlotlyChart]')].some(c => c.querySelector('.main-svg'))"""
"""The overview is drawn: a row of the scorecard and the pace chart's drawing are in the page."""


def _visit(browser, url: str, empty: bool) -> float:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        start = time.perf_counter()
        page.goto(url + (f"/?{EMPTY_QUERY}" if empty else "/"))
        if empty:
            page.get_by_text(EMPTY_TEXT).wait_for(state="visible", timeout=120_000)
        else:
            page.wait_for_function(DRAWN, timeout=120_000, polling=50)
        return time.perf_counter() - start
    finally:
        context.close()


def main(argv: list[str] | None = None) -> list[Goal]:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", type=int, default=0, help="a generated catalogue of this size (0: shipped data)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    root = catalogue(args.targets) if args.targets else None
    what = f"{args.targets:,} targets" if root else "shipped data"
    print(f"browser, {what} ({load_note()}):", flush=True)
    with dashboard_server(catalogue_env(root)) as (url, _), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        _visit(browser, url, True), _visit(browser, url, False)  # fills the server's caches
        times: dict[str, list[float]] = {"empty page": [], "overview": []}
        for _ in range(args.repeat):
            times["empty page"].append(_visit(browser, url, True))
            times["overview"].append(_visit(browser, url, False))
        browser.close()
    for name, values in times.items():
        print(f"  {name}: {statistics.median(values):.2f} s median (min {min(values):.2f}, max {max(values):.2f}, "
              f"n={len(values)})")  # fmt: skip
    ratio = statistics.median(times["overview"]) / statistics.median(times["empty page"])
    goals = [Goal(f"{what}: overview drawn in Chromium / empty page", ratio, 1.5, "x")]
    for goal in goals:
        print(goal.line())
    return goals


if __name__ == "__main__":
    main()
