from __future__ import annotations

import functools
import json
import shutil
from pathlib import Path

import pytest
import streamlit as st

from tests.conftest import CATALOG_FIXTURES, FIXTURES, copy_project, small_project
from views import PAGES  # the one page list: the app navigates it, the tests open it

__all__ = ["PAGES", "broken_app", "clear_caches", "empty_app", "project", "shipped_app", "shown"]

# A target file with an error and a data file that is left out, which every page must report.
BROKEN_FILES = {
    CATALOG_FIXTURES / "bad" / "bad-comparator.yaml": "targets",
    FIXTURES / "observations" / "ragged.csv": "data/observations",
}


HERE = Path(__file__).parent


# First: tests/conftest.py's hook reads the group into the test's id, and must see the marker.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """The AppTests run in one test process (``--dist loadgroup``): they share the shipped, broken and empty
    copies, the app's caches and the pages drawn once (``seen_page``), which two processes each made again."""
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.xdist_group("app"))


@pytest.fixture(scope="session", autouse=True)
def _components_scanned_once():
    """Each AppTest's first run scans every installed distribution's metadata for Streamlit components
    (streamlit.components.v2.manifest_scanner): about a quarter of this folder's processor time, repeated for
    an answer that cannot change while the tests run, as the packages installed do not. The scan is made
    once per test process; each AppTest still registers what it found in a component manager of its own."""
    from streamlit.components.v2 import manifest_scanner

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(manifest_scanner, "scan_component_manifests",
                      functools.cache(manifest_scanner.scan_component_manifests))  # fmt: skip
        yield


def _point(root: Path, monkeypatch) -> None:
    monkeypatch.setenv("TRACKER_TARGETS", str(root / "targets"))
    monkeypatch.setenv("TRACKER_DATA", str(root / "data"))
    monkeypatch.setenv("TRACKER_DB", str(root / "data" / "tracker.duckdb"))


def clear_caches() -> None:
    st.cache_data.clear()
    st.cache_resource.clear()


def _pointed_at(root: Path, monkeypatch):
    """The app pointed at the files and database under ``root``, its caches empty before and after."""
    _point(root, monkeypatch)
    clear_caches()
    yield root
    clear_caches()


def _shared(root: Path, monkeypatch) -> Path:
    """The app pointed at ``root``, a copy shared by every test of this test process that only reads it (none
    may change a file: those take ``project``). The app's caches are kept from one such test to the next, as
    one deployment keeps them between its readers: every cached result is keyed on the data version, a hash
    of the files' names and bytes, so the shared copies (shipped, broken, empty) never answer for each other.
    Tests on a ``project`` (whose files start as the shipped copy's) empty the caches before and after. A
    page's first run on a copy still reads and assesses its database."""
    _point(root, monkeypatch)
    return root


@pytest.fixture
def project(built_project, monkeypatch):
    """A copy of the shipped files and their database; the app is pointed at it and its caches start empty.
    A test that changes a file makes the app build again, as it would for a reader."""
    yield from _pointed_at(built_project, monkeypatch)


@pytest.fixture(scope="session")
def _shipped_copy(tmp_path_factory, shipped_database) -> Path:
    root = copy_project(tmp_path_factory.mktemp("app-shipped"))
    shutil.copy(shipped_database, root / "data" / "tracker.duckdb")
    return root


@pytest.fixture
def shipped_app(_shipped_copy, monkeypatch):
    """The app pointed at one copy of the shipped files and their database, shared by the tests that only read."""
    return _shared(_shipped_copy, monkeypatch)


@pytest.fixture(scope="session")
def _broken_copy(tmp_path_factory) -> Path:
    """A few of the shipped policies (the target the tests open among them) plus BROKEN_FILES and their database,
    built once per test process (the build leaves the broken ones out and records why). Not the whole catalogue:
    a data file the bulk reader refuses makes every CSV file load again one by one (about 2.4 s), and what a
    broken file does to the pages does not depend on how many targets the others hold."""
    from tracker import store

    root = small_project(tmp_path_factory.mktemp("broken"), "miit-industrial-equipment-renewal-plan-2024.yaml",
                         "miit-mobile-iot-2024.yaml", "miit-quality-enterprises-2021.yaml")  # fmt: skip
    for path, folder in BROKEN_FILES.items():
        shutil.copy(path, root / folder / path.name)
    store.build(root / "targets", root / "data", root / "data" / "tracker.duckdb")
    return root


@pytest.fixture
def broken_app(_broken_copy, monkeypatch):
    """The app pointed at the shipped files with BROKEN_FILES added, as a reader sees it after a bad pull
    request; shared by the tests that only read it."""
    return _shared(_broken_copy, monkeypatch)


@pytest.fixture(scope="session")
def _empty_copy(tmp_path_factory) -> Path:
    """The project with every target file and every observation file removed, and its database."""
    from tracker import store

    root = copy_project(tmp_path_factory.mktemp("empty"))
    for path in [*(root / "targets").glob("*.yaml"), *(root / "data" / "observations").glob("*.csv")]:
        path.unlink()
    store.build(root / "targets", root / "data", root / "data" / "tracker.duckdb")
    return root


@pytest.fixture
def empty_app(_empty_copy, monkeypatch):
    """The app pointed at a project without targets or figures (only indicators.yaml left), shared by the
    tests that only read it."""
    return _shared(_empty_copy, monkeypatch)


def shown(markdown: str) -> str:
    """Markdown as a reader sees it: the escapes that keep file text literal removed."""
    return markdown.replace("\\", "")


def markup_of(root) -> list[str]:
    """The markup the page puts in as it is (views.markup.html_list: one component each), top to bottom."""
    return [json.loads(e.proto.json)["markup"] for e in root.get("bidi_component")
            if e.proto.component_name == "escaped_markup"]  # fmt: skip
