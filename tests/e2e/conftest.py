"""A real dashboard server and a real Chromium (Debian's), driven by Playwright."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT, copy_project

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = ROOT / "tests" / "e2e" / "screenshots"
# --process-per-site: the tabs of one browser context that show the dashboard share one renderer process, so the
# code Chromium compiled for Streamlit's and Plotly's scripts in one tab serves the others (with a process per
# tab, each tab's first target page compiled Plotly's chart code again: about 4 s of processor time, 2 s for the
# next). Four tabs, an overview and a target page each: a median of 20.5 s of processor time against 26.8 s
# without it (docs/reliability.md, sixth session). The pages are drawn as before, one tab at a time.
# --js-flags=--max-opt=1: V8 runs the pages' scripts in its interpreter and its baseline compiler (Sparkplug) only, not
# its optimising compilers (Maglev, TurboFan), which spend more compiling Streamlit's and Plotly's code than a test's
# few openings of each page win back. What the scripts do is the same, only not sped up for a long stay: the same 14
# pages in one context, Chromium's processor time 24.4 s against 28.8 s (medians of four, interleaved;
# docs/reliability.md, tenth session). The benchmarks keep V8's defaults (benchmarks/browser.py): they time readers.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--process-per-site",
                 "--js-flags=--max-opt=1"]  # fmt: skip


# First: the group is read into the test's id by a later hook (tests/conftest.py's, which stands in for xdist 3.8's
# under pytest 9.2), which must see the marker.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        # The tests of the one dashboard server (the hostile files' test included: it lends the server its
        # files) run in one test process (with its browser); the others (the static site) go wherever there is
        # room, each process starting its own browser once.
        if "app_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("browser"))
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        pytest.exit(f"CI is set but there is no Chromium at {CHROMIUM}; .ci/run installs Debian's chromium", 1)
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (install Debian's chromium to run the browser tests)")
    for item in items:
        if "e2e" in str(item.fspath):
            item.add_marker(skip)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_app(work: Path):
    """``streamlit run app.py`` (the dashboard as ``make run`` serves it) on a free port, on the targets and data under ``work``."""
    port = _free_port()
    env = {**os.environ, "TRACKER_TARGETS": str(work / "targets"), "TRACKER_DATA": str(work / "data"),
           "TRACKER_DB": str(work / "data" / "tracker.duckdb")}  # fmt: skip
    # The server's output goes to a file: a pipe nobody reads fills after 64 kB of log lines, and the server
    # then blocks on its next write (a download that never comes, a page that never draws).
    log = (work / "streamlit.log").open("wb")
    # No file watcher: it picks up changed code (a developer's save, a hosted app's pull), which no test makes,
    # and each new session had it walk the loaded modules again (about a third of the server's processor time
    # per visit: 12 visits, 5.9-6.0 s with it, 3.8-4.1 s without). The app's own configuration keeps it for
    # hosting (docs/benchmarks-log.md, the overview's floor).
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
         "--server.headless", "true", "--server.address", "127.0.0.1", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    break
        except OSError:
            time.sleep(0.1)
    else:
        server.kill()
        log.close()
        pytest.fail("the dashboard did not start within 90 s:\n" + (work / "streamlit.log").read_text(errors="replace"))
    try:
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


@pytest.fixture(scope="session")
def app_server(tmp_path_factory, shipped_database):
    """(project folder, address) of the dashboard on a copy of the shipped files and their database, built once
    for this test process (the build is recognised as current: the server does not build it again on the first
    visit)."""
    work = copy_project(tmp_path_factory.mktemp("e2e"))
    shutil.copy(shipped_database, work / "data" / "tracker.duckdb")
    with running_app(work) as url:
        yield work, url


@pytest.fixture(scope="session")
def app_url(app_server):
    return app_server[1]


def _served_state(work: Path) -> tuple:
    """What the server reads of its project: the inputs' names, sizes and times, and the database file's identity."""
    from tracker.database import files_stat

    db = (work / "data" / "tracker.duckdb").stat()
    return files_stat(work / "targets", work / "data"), db.st_ino, db.st_mtime_ns, db.st_size


@contextlib.contextmanager
def serving(app_server, project: Path):
    """The dashboard server on the files and database of ``project`` instead of the shipped ones, which are put
    back after (asserted): a second server for another project cost about 2.5 s of processor time to start and 2 s
    for its first page, and a browser renderer that compiled Streamlit's and Plotly's code again. The server
    notices the change as it would a reader's edit (its "is the database current?" step sees other files, and
    the database, built for them, is current); put back, the files and database are those it had, so the
    versions its caches are keyed on are those of before. Use it while no other page of the server is drawing."""
    work, url = app_server
    before = _served_state(work)
    aside = Path(tempfile.mkdtemp(dir=work.parent))
    for name in ("targets", "data"):
        (work / name).rename(aside / name)
        shutil.copytree(project / name, work / name)  # copies keep the files' times: the build is current
    try:
        yield url
    finally:
        for name in ("targets", "data"):
            shutil.rmtree(work / name)
            (aside / name).rename(work / name)
        aside.rmdir()
    assert _served_state(work) == before, "the shipped project is back as it was"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Dashboard:
    """The browser context of every tab that shows the dashboard server, for this test process: the code Chromium
    compiled for Streamlit's and Plotly's scripts in one tab serves the others (one renderer process, see
    CHROMIUM_ARGS). It records the replies to the requests for Plotly's bundle until its first overview is
    drawn (nothing is cached then): the bundle's test reads them."""

    def __init__(self, browser, app_server) -> None:
        self.server = app_server
        self.url = app_server[1]
        self.context = browser.new_context(accept_downloads=True)
        self.bundle_replies: list = []
        self.recording = True
        self.context.on("response", self._record_bundle)
        # A document of the server's site open for the whole session (its health check's "ok": no app runs in it),
        # so that the renderer process and the code it compiled outlive the tabs of one test module: without it,
        # the last dashboard tab closed ended the process, and the next module's first page compiled Streamlit's
        # and Plotly's code again.
        self.context.new_page().goto(f"{self.url}/_stcore/health")

    def _record_bundle(self, reply) -> None:
        if "/plotly-basic." in reply.url:
            self.bundle_replies.append(reply)

    def overview_drawn(self) -> None:
        """A tab of the context has drawn an overview: recording stops once one has fetched the bundle. (Without a
        listener, the replies of the context's pages no longer cross over from the browser to this process.)"""
        if self.recording and self.bundle_replies:
            self.recording = False
            self.context.remove_listener("response", self._record_bundle)

    def new_tab(self, width: int, height: int):
        tab = self.context.new_page()
        tab.set_viewport_size({"width": width, "height": height})
        tab.set_default_timeout(60_000)
        return tab


@pytest.fixture(scope="session")
def dashboard(browser, app_server):
    shown = Dashboard(browser, app_server)
    yield shown
    shown.context.close()


@pytest.fixture(scope="session")
def _pages_context(browser):
    """The browser context of every test's own tab: the pages and scripts one test loaded are cached for the next,
    and with a renderer process per site (CHROMIUM_ARGS) the code compiled for Plotly's bundle on one static page
    serves the next test's (each test's first page compiled it again in a context of its own). What the context
    keeps changes nothing a page shows: the static site stores nothing, the dashboard only Streamlit's XSRF
    cookie."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    yield context
    context.close()


@pytest.fixture
def page(_pages_context):
    """A new tab of its own, closed after the test."""
    tab = _pages_context.new_page()
    tab.set_default_timeout(60_000)
    yield tab
    tab.close()


def settled(page) -> None:
    """Wait until the script has finished running and the page is drawn: no element shows the skeleton that
    stands in for it while Streamlit loads its code (charts and some widgets, on their first use in a
    document), every chart has its SVG, the web fonts are in and the main area has kept its size over two checks 100 ms apart (what a fixed
    pause used to wait for, without waiting longer than it takes). Each condition is checked every 100 ms:
    checked on every animation frame (Playwright's default) the waits cost Chromium about a tenth more
    processor time."""
    page.wait_for_function(
        "() => document.querySelector('[data-testid=stApp][data-test-script-state=notRunning]') !== null",
        polling=100,
        timeout=90_000,
    )
    page.wait_for_function(
        """() => !document.querySelector('[data-testid=stSkeleton]')
                 && [...document.querySelectorAll('[data-testid=stPlotlyChart], .basic-plot')]
                    .every(c => c.querySelector('.main-svg'))""",
        polling=100,
        timeout=30_000,
    )
    steady(page, "[data-testid=stMain], [data-testid=stSidebar]")


# Set window.__rerun once the app's script state has left "not running" since the watch began. The records' old
# values count as well as the value at the observer's call: React can commit "running" and "notRunning" in one task
# (its scheduler runs several renders in one task when they are due), and the observer, called once after that
# task, then reads "notRunning" again. The menu's links name their page relative to the app's root (the overview's is
# only its query, "?lang=zh"): ``want``, the clicked link's href, is read so.
_WATCH_RERUN = """want => {
    const app = document.querySelector('[data-testid=stApp]');
    window.__rerun = false;
    window.__rerunPath = new URL(want, location.origin + '/').pathname;
    new MutationObserver((records, watcher) => {
        if (app.getAttribute('data-test-script-state') !== 'notRunning'
                || records.some(r => r.oldValue !== 'notRunning')) {
            window.__rerun = true;
            watcher.disconnect();
        }
    }).observe(app, {attributes: true, attributeOldValue: true, attributeFilter: ['data-test-script-state']});
}"""
# The new page's run has been seen to start, or has already been drawn whole. The second half is for a run whose
# "running" and "not running" the frontend applies in one render, so that the attribute never changes: it hands
# the server's messages on in order, and one still being decoded holds back those after it, which then come
# together. The address becomes the link's only after the render of the server's "new session" message for the
# new page, which also empties the page of the old page's elements; a heading in the main area at that address is
# the new page's (drawn after that message), and with "not running" its run is over.
_NEW_PAGE_RUN = """() => window.__rerun === true
    || (location.pathname === window.__rerunPath
        && document.querySelector('[data-testid=stApp][data-test-script-state=notRunning]') !== null
        && document.querySelector('[data-testid=stMain] h1') !== null)"""


def follow_menu(page, link) -> None:
    """Click a link of the app's menu and wait until the page it opens is drawn. The menu draws the page in the
    document already open (the address changes, the document stays), so the script state that ``settled``
    reads says "not running" right after the click, before the new page's script has started: the wait is for
    that script to have started (or its page to be drawn whole, see _NEW_PAGE_RUN) and then finished, and the
    address is checked to be the link's at the end."""
    page.evaluate(_WATCH_RERUN, link.get_attribute("href"))
    link.click()
    page.wait_for_function(_NEW_PAGE_RUN, polling=100, timeout=90_000)
    settled(page)
    assert page.evaluate("() => location.pathname === window.__rerunPath"), f"the menu's link led to {page.url}"


# The boxes of every element matching a selector, kept on the window so that the next check compares with them.
_STEADY = """selector => {
    const boxes = JSON.stringify([...document.querySelectorAll(selector)].map(e => {
        const b = e.getBoundingClientRect();
        return [b.x, b.y, b.width, b.height];
    }));
    const same = window.__steadyBoxes === boxes;
    window.__steadyBoxes = boxes;
    return same && document.fonts.status === "loaded";
}"""


def steady(page, selector: str) -> None:
    """Wait until the web fonts are loaded and the elements matching ``selector`` have not moved or changed
    size between two checks 100 ms apart (a sidebar sliding shut, text re-laid in its web font)."""
    page.evaluate("() => { window.__steadyBoxes = undefined; }")
    page.wait_for_function(_STEADY, arg=selector, polling=100, timeout=30_000)


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
