"""Browser benchmark: the overview in Chromium against an empty Streamlit page, on the same server.

One ``streamlit run`` serves a wrapper of dashboard.py as app.py serves it (benchmarks/server.py): with
``?bench=empty`` it writes one line of text and stops; otherwise it is the dashboard. Chromium (Debian's, driven
by Playwright) opens each page in a fresh context (no browser cache), empty and overview in turn (which goes
first alternates round by round), and times from the request until the line of text is drawn, or until the
overview's scorecard table and pace chart are drawn (both watched by the same polling). One visit
of each first fills the server's caches, as for every visitor after the first. Goal (issue 15):
the overview within 1.5 times the empty page.
Run: ``.venv/bin/python -m benchmarks.browser [--targets N] [--repeat 5]`` (default: the shipped data); with
``--baseline TREE`` a second server runs another git tree's dashboard and the two are visited in turn. ``--cpu`` also
reports what each visit cost in processor time, which a busy machine disturbs far less than wall time: the CPU
seconds of Chromium's processes and of the server, and the thread time of the page's renderer main thread (from a
Chromium trace of the visit).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from contextlib import ExitStack
from pathlib import Path

from benchmarks.harness import MIN_PAIRS, ROOT, Goal, catalogue, load_note, ratio_interval
from benchmarks.server import EMPTY_QUERY, EMPTY_TEXT, catalogue_env, dashboard_server

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]  # fmt: skip
DRAWN = """() => document.querySelector('.sc-row[data-target]')
    && document.querySelector('[data-testid=stPlotlyChart] .main-svg, .basic-plot .main-svg')"""
"""The overview is drawn: a row of the scorecard and the pace chart's drawing are in the page."""
TEXT_SHOWN = """(text) => [...document.querySelectorAll('[data-testid=stMarkdown]')]
    .some((e) => e.textContent.includes(text) && e.getClientRects().length > 0)"""
"""The empty page is drawn: its line of text is in the page, with a box. Both pages are watched the same way (the
same polling of a function in the page), so that neither is noticed sooner than the other."""
POLL_MS = 50
MARKS = """window.__marks = {};
new MutationObserver(() => {
  const m = window.__marks, now = performance.now(), app = document.querySelector('[data-testid=stApp]');
  const state = app && app.getAttribute('data-test-script-state');
  if (state === 'running' && !m.running) m.running = now;
  if (state === 'notRunning' && m.running && !m.finished) m.finished = now;
  if (!m.text && document.querySelector('[data-testid=stMarkdown]')) m.text = now;
  if (!m.row && document.querySelector('.sc-row[data-target]')) m.row = now;
  const rows = document.querySelectorAll('.sc-row[data-target]').length;
  if (rows !== (m.rows || 0)) { m.rows = rows; m.rows_last = now; }
  if (!m.downloads && document.querySelector('[data-testid=stDownloadButton]')) m.downloads = now;
  if (!m.chart_element && document.querySelector('[data-testid=stPlotlyChart], .basic-plot')) m.chart_element = now;
  if (!m.chart && document.querySelector('[data-testid=stPlotlyChart] .main-svg, .basic-plot .main-svg')) m.chart = now;
  const bundle = (s) => s.src.startsWith('blob:') || s.src.includes('/plotly-basic.');
  if (!m.plotly_script && [...document.scripts].some(bundle)) m.plotly_script = now;
}).observe(document, {subtree: true, childList: true, attributes: true});"""
"""For --detail: when (ms after the request) the script started and finished running, and the first text, row
and chart were drawn; and when Plotly's bundle was put in the page as a script: before its download since the loader
is a plain script element (views/markup.py), after its download and inflating in a tree from before (a ``blob:``
script)."""
DETAIL = """() => {
  const m = window.__marks, all = performance.getEntriesByType('resource');
  const js = all.filter(r => r.name.endsWith('.js'));
  const plotly = all.find(r => r.name.includes('/PlotlyChart.') || r.name.includes('/plotly-basic.'));
  return {...m, scripts: js.length, plotly_asked: plotly && plotly.startTime,
          plotly_loaded: plotly && plotly.responseEnd};
}"""
"""Plotly's bundle: st.plotly_chart's chunk, or the basic bundle (in trees from before app.py, its gzipped copy
``plotly-basic.min.js.gz``, not a name ending in .js: so it is looked for among all the page's resources)."""


TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _cpu_seconds(root: int, with_root: bool = False, name_prefix: str = "") -> float:
    """User and system seconds of the processes under ``root`` (Linux /proc) whose name starts with ``name_prefix``."""
    table = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            name, fields = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :].split()
            table[int(entry)] = (name, int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK)
    children: dict[int, list[int]] = {}
    for pid, (_, parent, _) in table.items():
        children.setdefault(parent, []).append(pid)
    total, todo = (table[root][2] if with_root and root in table else 0.0), [root]
    while todo:
        for pid in children.get(todo.pop(), []):
            todo.append(pid)
            total += table[pid][2] if table[pid][0].startswith(name_prefix) else 0.0
    return total


def _main_thread_seconds(trace: bytes) -> float:
    """The thread time of the tasks run on the renderer's main thread, from a trace of the "toplevel" category."""
    events = json.loads(trace)
    events = events["traceEvents"] if isinstance(events, dict) else events
    names = {(e["pid"], e["tid"]): e["args"].get("name") for e in events if e.get("name") == "thread_name"}
    main = {thread for thread, name in names.items() if name == "CrRendererMain"}
    per_process: dict[int, float] = {}
    for e in events:
        task = e.get("ph") == "X" and e["name"].endswith("RunTask") and "tdur" in e
        if task and (e.get("pid"), e.get("tid")) in main:
            per_process[e["pid"]] = per_process.get(e["pid"], 0.0) + e["tdur"] / 1e6
    return max(per_process.values(), default=float("nan"))  # the page's renderer: the one that ran the most


def _detail_line(name: str, seconds: float, marks: dict) -> str:
    order = ["running", "finished", "text", "row", "rows_last", "downloads", "chart_element", "plotly_asked",
             "plotly_loaded", "plotly_script", "chart"]  # fmt: skip
    shown = " ".join(f"{k}={marks[k] / 1000:.2f}" for k in order if marks.get(k) is not None)
    return f"    {name}: {seconds:.2f} s; {shown}; {marks.get('rows')} rows, {marks.get('scripts')} scripts"


def _visit(browser, url: str, empty: bool, detail: bool = False, server: int | None = None, tag: str = "") -> tuple:
    """Seconds until drawn; with ``server`` (its process id) also the CPU seconds of Chromium and of the server
    during the visit, and the renderer main thread's. ``tag``: the tree's, in the lines ``detail`` prints."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    if detail:
        context.add_init_script(MARKS)
    page = context.new_page()
    try:
        if server is not None:  # the trace's own costs (starting it, collecting it) are left out of the CPU seconds
            browser.start_tracing(page=page, categories=["toplevel"])
            before = (_cpu_seconds(os.getpid(), name_prefix="chrom"), _cpu_seconds(server, True))
        start = time.perf_counter()
        page.goto(url + (f"/?{EMPTY_QUERY}" if empty else "/"))
        if empty:
            page.wait_for_function(TEXT_SHOWN, arg=EMPTY_TEXT, timeout=120_000, polling=POLL_MS)
        else:
            page.wait_for_function(DRAWN, timeout=120_000, polling=POLL_MS)
        seconds = time.perf_counter() - start
        used = () if server is None else (_cpu_seconds(os.getpid(), name_prefix="chrom"), _cpu_seconds(server, True))
        if detail:
            name = ("empty page" if empty else "overview") + tag
            print(_detail_line(name, seconds, page.evaluate(DETAIL)), flush=True)
        if server is None:
            return (seconds,)
        return seconds, used[0] - before[0], used[1] - before[1], _main_thread_seconds(browser.stop_tracing())
    finally:
        context.close()


def _rounds(browser, urls: dict[str, tuple[str, int | None]], repeat: int, detail: bool) -> dict[str, list[tuple]]:
    """``repeat`` rounds, each visiting every server's empty page and its overview. The order alternates round by
    round, of the servers (A B, B A, ...) and of the pages (empty then overview, overview then empty): a visit
    starts while the browser and the server still tidy up after the one before (closing its context and
    session), and that costs more after an overview; in a fixed order the empty page always paid it."""
    times: dict[str, list[tuple]] = {f"{page}{tag}": [] for tag in urls for page in ("empty page", "overview")}
    for url, _ in urls.values():  # fills each server's caches, as for every visitor after the first
        _visit(browser, url, True), _visit(browser, url, False)
    for n in range(repeat):
        for tag, (url, server) in list(urls.items()) if n % 2 == 0 else list(reversed(urls.items())):
            for empty in (True, False) if n % 2 == 0 else (False, True):
                visit = _visit(browser, url, empty, detail, server, tag)
                times[f"{'empty page' if empty else 'overview'}{tag}"].append(visit)
    return times


def main(argv: list[str] | None = None) -> list[Goal]:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", type=int, default=0, help="a generated catalogue of this size (0: shipped data)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--detail", action="store_true", help="print when each part of every visit was drawn")
    parser.add_argument("--cpu", action="store_true", help="also the processor time of each visit: Chromium's, the "
                        "server's and the renderer main thread's (traced)")  # fmt: skip
    parser.add_argument("--baseline", type=Path, help="another git tree (e.g. a worktree of main) served beside "
                        "this one and visited in alternation with it, for a side-by-side comparison")  # fmt: skip
    args = parser.parse_args(argv)
    root = catalogue(args.targets) if args.targets else None
    what = f"{args.targets:,} targets" if root else "shipped data"
    print(f"browser, {what} ({load_note()}):", flush=True)
    trees = {"": ROOT}
    if args.baseline is not None:
        trees = {" (this tree)": ROOT, f" (baseline {args.baseline})": args.baseline}
    with ExitStack() as stack:
        # No source watcher: its per-session scan of the modules the dashboard imported would delay the empty page
        # on the same server as much as the overview (the floor is what Streamlit costs, not what the app imports).
        servers = [dashboard_server(catalogue_env(root), tree, watch_files=False) for tree in trees.values()]
        urls = {tag: stack.enter_context(server) for tag, server in zip(trees, servers, strict=True)}
        urls = {tag: (url, pid if args.cpu else None) for tag, (url, pid) in urls.items()}
        p = stack.enter_context(sync_playwright())
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        times = _rounds(browser, urls, args.repeat, args.detail)
        browser.close()
    for name, visits in times.items():
        values = [v[0] for v in visits]
        print(f"  {name}: {statistics.median(values):.2f} s median (min {min(values):.2f}, max {max(values):.2f}, "
              f"n={len(values)})")  # fmt: skip
        if args.cpu:
            chromium, served, main_thread = (statistics.median(v[i] for v in visits) for i in (1, 2, 3))
            print(f"    CPU a visit (medians): Chromium {chromium:.2f} s, server {served:.2f} s, "
                  f"renderer main thread {main_thread:.3f} s")  # fmt: skip
    goals = []
    for tag in trees:
        empty, overview = ([v[0] for v in times[f"{page}{tag}"]] for page in ("empty page", "overview"))
        ratio = statistics.median(overview) / statistics.median(empty)
        spread = ratio_interval(empty, overview) if len(empty) >= MIN_PAIRS else None  # a round visits both
        goals.append(Goal(f"{what}{tag}: overview drawn in Chromium / empty page", ratio, 1.5, "x", interval=spread))
    for goal in goals:
        print(goal.line())
    return goals[:1]


if __name__ == "__main__":
    main()
