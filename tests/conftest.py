from __future__ import annotations

import contextlib
import fcntl
import io
import os
import shutil
from datetime import date
from pathlib import Path

import pytest
from _pytest.nodeid import coerce_node_id
from hypothesis import settings

# Example counts come from a profile: "quick" (the default, so that `make test` stays fast),
# "thorough" for a long fuzzing run (TRACKER_HYPOTHESIS=thorough); the stress tests' rounds too (``rounds``). On CI the generated examples
# are the same on every run, so that a red run can be reproduced; elsewhere they keep exploring.
_DERANDOMIZE = bool(os.environ.get("CI"))
settings.register_profile("quick", max_examples=30, deadline=None, derandomize=_DERANDOMIZE, print_blob=True)
settings.register_profile("thorough", max_examples=3000, deadline=None, derandomize=_DERANDOMIZE, print_blob=True)
PROFILE = os.environ.get("TRACKER_HYPOTHESIS", "quick")
settings.load_profile(PROFILE)


def rounds(quick: int, thorough: int) -> int:
    """How many rounds a stress test (builds under readers) runs, from the same profile: few in `make test`,
    many in a long run. Every check of the test is made either way."""
    return thorough if PROFILE == "thorough" else quick


ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
CATALOG_FIXTURES = FIXTURES / "catalog"


def pytest_configure(config):
    # ``tracker status`` computes its output in every test, in process and in the processes tests start: its cache
    # would answer a repeated command only when the files are old enough (tracker/resultcache.py), which would make
    # what a test exercises depend on timing. tests/unit/test_status_cache.py turns it on where it is the subject.
    os.environ["TRACKER_STATUS_CACHE"] = "off"
    # make test runs the suite on three processes (pytest-xdist, --dist loadgroup); tests that share
    # one costly resource (a dashboard server and a browser) name a group to run in one of them.
    config.addinivalue_line("markers", "xdist_group(name): run these tests in the same worker process")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Give each test of an ``xdist_group`` the id ``--dist loadgroup`` schedules by (``id@group``).

    pytest-xdist 3.8 (the newest) writes that id to ``item._nodeid``, which pytest 9 no longer reads
    (a node's id is ``item._id``), so without this every test was scheduled on its own and each
    process started its own dashboard server. Run last, so that the marks other conftests add count."""
    if not getattr(config.option, "loadgroup", False):  # set in the workers of --dist loadgroup
        return
    for item in items:
        names = {
            str(m.args[0] if m.args else m.kwargs.get("name", "default")) for m in item.iter_markers("xdist_group")
        }
        if names and "@" not in item.nodeid:
            item._id = coerce_node_id(f"{item.nodeid}@{'_'.join(sorted(names))}")


def copy_project(dest: Path) -> Path:
    """A copy of the shipped targets/ and data/ under ``dest`` (no database), safe to change."""
    shutil.copytree(ROOT / "targets", dest / "targets")
    shutil.copytree(ROOT / "data", dest / "data", ignore=shutil.ignore_patterns("*.duckdb*"))
    return dest


def small_project(dest: Path, *policy_files: str) -> Path:
    """A copy of the shipped project holding only the named target files, the indicators their targets
    are measured against and the observation files of those indicators: for tests of what a build or a
    site does with files, where the whole catalogue would only add pages to write."""
    import csv
    import re

    copy_project(dest)
    for path in (dest / "targets").glob("*.yaml"):
        if path.name not in policy_files:
            path.unlink()
    texts = "".join((dest / "targets" / name).read_text(encoding="utf-8") for name in policy_files)
    used = set(re.findall(r"(?m)^ +indicator: ([\w-]+)", texts))
    indicators = dest / "data" / "indicators.yaml"
    head, *entries = re.split(r"(?m)^(?=  - id: )", indicators.read_text(encoding="utf-8"))
    indicators.write_text(head + "".join(e for e in entries if e.split()[2] in used), encoding="utf-8")
    for path in (dest / "data" / "observations").glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as fh:
            if not {row["indicator"] for row in csv.DictReader(fh)} <= used:
                path.unlink()
    return dest


@pytest.fixture
def project(tmp_path):
    """A copy of the shipped targets and data, safe to change."""
    return copy_project(tmp_path)


@pytest.fixture(scope="session")
def shipped_database(tmp_path_factory) -> Path:
    """The shipped files built once per test process; tests copy it (see ``built_project``), never write it."""
    from tracker import store

    root = copy_project(tmp_path_factory.mktemp("shipped"))
    db = root / "data" / "tracker.duckdb"
    assert store.build(root / "targets", root / "data", db).ok
    return db


SITE_AS_OF = date(2026, 11, 29)
SITE_NAME = "policy-target-tracker"  # the folder GitHub Pages serves a repository's site under


@contextlib.contextmanager
def _once_per_run(tmp_path_factory, name: str):
    """A folder ``name`` shared by every test process of this run (pytest-xdist's workers share the parent
    of their temporary folders; without xdist it is this process's own), held under a lock: the first
    process to arrive makes it, the others wait and find it made. Yields (folder, whether it is made)."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder = shared / name
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield folder, (folder / ".made").exists()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory, shipped_database) -> Path:
    """The static site of the shipped files as of SITE_AS_OF, written once per test run (by the first test
    process that needs it; the others read the same folder). Tests read it, never write it; a test about
    writing a site writes its own."""
    from tracker import store
    from tracker.report import write_report

    with _once_per_run(tmp_path_factory, "shipped-site") as (folder, made):
        if not made:
            shutil.rmtree(folder, ignore_errors=True)
            con = store.connect(shipped_database)
            try:
                write_report(con, folder / SITE_NAME, SITE_AS_OF, jobs=1)
            finally:
                con.close()
            (folder / ".made").touch()
    return folder / SITE_NAME


@pytest.fixture
def built_project(tmp_path, shipped_database):
    """A copy of the shipped files with their database already built: the build recognises it as current
    (its fingerprint is of the files' names and bytes), so nothing is built again until a file changes."""
    copy_project(tmp_path)
    shutil.copy(shipped_database, tmp_path / "data" / "tracker.duckdb")
    return tmp_path


def cli_in_process(*args: object, cwd: Path | None = None) -> tuple[int, str, str]:
    """Run ``python -m tracker ARGS`` in this process (from ``cwd`` when given: paths print relative to it);
    returns (exit code, stdout, stderr). Usable where a test's own capture is not (a module's fixture)."""
    from tracker.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), contextlib.chdir(cwd or Path.cwd()):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse usage errors
            code = exc.code
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def run_cli():
    """Run ``python -m tracker`` in-process; returns (exit code, stdout, stderr)."""
    return cli_in_process


@pytest.fixture
def targets_with(tmp_path):
    """A targets folder holding copies of the given fixture files."""

    def make(*files: Path) -> Path:
        folder = tmp_path / "targets"
        folder.mkdir(exist_ok=True)
        for f in files:
            shutil.copy(f, folder / f.name)
        return folder

    return make


def shipped_csv_rows() -> list[dict[str, str]]:
    """Every figure in the shipped observation files, as the CSV rows hold them."""
    import csv

    rows = []
    for path in sorted((ROOT / "data" / "observations").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            rows += list(csv.DictReader(fh))
    return rows


def shipped_counts() -> dict[str, int]:
    """What ships, counted from the files, so that tests follow the data as it grows."""
    from tracker.catalog import load_catalogue

    catalogue = load_catalogue(ROOT / "targets", ROOT / "data")
    return {
        "targets": len(catalogue.targets),
        "policies": len(catalogue.policies),
        "indicators": len(catalogue.indicators),
        "figures": len(shipped_csv_rows()),
        "files": len(list((ROOT / "data" / "observations").glob("*.csv"))),
    }
