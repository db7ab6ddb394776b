from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

# Example counts come from a profile: "quick" (the default, so that `make test` stays fast),
# "thorough" for a long fuzzing run (TRACKER_HYPOTHESIS=thorough). On CI the generated examples
# are the same on every run, so that a red run can be reproduced; elsewhere they keep exploring.
_DERANDOMIZE = bool(os.environ.get("CI"))
settings.register_profile("quick", max_examples=60, deadline=None, derandomize=_DERANDOMIZE, print_blob=True)
settings.register_profile("thorough", max_examples=3000, deadline=None, derandomize=_DERANDOMIZE, print_blob=True)
settings.load_profile(os.environ.get("TRACKER_HYPOTHESIS", "quick"))

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
CATALOG_FIXTURES = FIXTURES / "catalog"


def pytest_configure(config):
    # make test runs the suite on two processes (pytest-xdist, --dist loadgroup); tests that share
    # one costly resource (a dashboard server and a browser) name a group to run in one of them.
    config.addinivalue_line("markers", "xdist_group(name): run these tests in the same worker process")


def copy_project(dest: Path) -> Path:
    """A copy of the shipped targets/ and data/ under ``dest`` (no database), safe to change."""
    shutil.copytree(ROOT / "targets", dest / "targets")
    shutil.copytree(ROOT / "data", dest / "data", ignore=shutil.ignore_patterns("*.duckdb*"))
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


@pytest.fixture
def built_project(tmp_path, shipped_database):
    """A copy of the shipped files with their database already built: the build recognises it as current
    (its fingerprint is of the files' names and bytes), so nothing is built again until a file changes."""
    copy_project(tmp_path)
    shutil.copy(shipped_database, tmp_path / "data" / "tracker.duckdb")
    return tmp_path


@pytest.fixture
def run_cli(capsys):
    """Run ``python -m tracker`` in-process; returns (exit code, stdout, stderr)."""
    from tracker.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse usage errors
            code = exc.code
        out, err = capsys.readouterr()
        return code, out, err

    return run


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
