"""One ``streamlit run`` of the dashboard for the browser and load benchmarks, with an empty page beside it.

The server runs a wrapper of dashboard.py as ``make run`` runs dashboard.py (an ``st.App`` with app.py's
middleware): with ``?bench=empty`` it writes one line of text and stops (the floor: what Streamlit itself costs);
otherwise it is the dashboard. Both are served by the same process with the same settings, so the two are compared
on equal terms.
"""

from __future__ import annotations

import os
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchmarks.harness import PYTHON, ROOT

EMPTY_QUERY = "bench=empty"
EMPTY_TEXT = "An empty page with one line of text."
WRAPPER = """
import streamlit as st

if st.query_params.get("bench") == "empty":
    st.write({text!r})
    st.stop()
exec(compile(open({dashboard!r}, encoding="utf-8").read(), "dashboard.py", "exec"))
"""
SERVER = """
import streamlit as st

from views.serving import middleware

app = st.App({wrapper!r}, middleware=middleware())
"""
"""The wrapper served as app.py serves dashboard.py (``make run``): an ``st.App``, written out here because Streamlit
finds the app in the file by its syntax (an ``st.App(...)`` call assigned to a name)."""


def catalogue_env(root: Path | None) -> dict[str, str]:
    """The TRACKER_* variables that point the app at a generated catalogue (none: the shipped data)."""
    if root is None:
        return {}
    return {"TRACKER_TARGETS": str(root / "targets"), "TRACKER_DATA": str(root / "data"),
            "TRACKER_DB": str(root / "tracker.duckdb")}  # fmt: skip


@contextmanager
def dashboard_server(env: dict[str, str], root: Path = ROOT, watch_files: bool = True) -> Iterator[tuple[str, int]]:
    """The wrapper served on a free port until the block ends: its URL and the server's process id.
    It runs from a folder where views/ and static/ are the project's own (st.Page paths are relative).
    ``root``: the git tree whose dashboard is served (another one: to compare two versions side by side).
    ``watch_files=False``: without Streamlit's watcher of source files, which makes each new session scan every
    module the process has imported (about 1,600 once the dashboard has run: 0.15-0.2 s of CPU on the event
    loop, before the first run's messages go out), a cost of the process, not of the page asked for."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "app.py").write_text(
            WRAPPER.format(text=EMPTY_TEXT, dashboard=str(root / "dashboard.py")), encoding="utf-8"
        )
        (folder / "views").symlink_to(root / "views")
        (folder / "static").symlink_to(root / "static")  # served beside the main script (server.enableStaticServing)
        main = folder / "app.py"
        # The tree's own way of serving: through app.py's middleware where it has one; a tree from before app.py
        # (a baseline) is served as it was run then, the wrapper alone.
        if (root / "app.py").is_file():
            main = folder / "server.py"
            main.write_text(SERVER.format(wrapper=str(folder / "app.py")), encoding="utf-8")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen(
            [PYTHON, "-m", "streamlit", "run", str(main), "--server.port", str(port),
             "--server.headless", "true", "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
             *([] if watch_files else ["--server.fileWatcherType", "none"])],
            cwd=root, env={**os.environ, **env, "PYTHONPATH": str(root)},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_healthy(url, server)
            yield url, server.pid
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _wait_healthy(url: str, server: subprocess.Popen) -> None:
    for _ in range(180):
        if server.poll() is not None:
            raise RuntimeError(f"the dashboard server stopped at start (exit {server.returncode})")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("the dashboard did not start within 90 s")


def rss_mib(pid: int) -> float:
    """The resident memory of a process now, in MiB (Linux: VmRSS in /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")
