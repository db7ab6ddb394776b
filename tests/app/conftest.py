from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import streamlit as st

from tests.conftest import CATALOG_FIXTURES, FIXTURES, copy_project
from views import PAGES  # the one page list: the app navigates it, the tests open it

__all__ = ["PAGES", "broken_project", "clear_caches", "project", "shipped_app", "shown"]

# A target file with an error and a data file that is left out, which every page must report.
BROKEN_FILES = {
    CATALOG_FIXTURES / "bad" / "bad-comparator.yaml": "targets",
    FIXTURES / "observations" / "ragged.csv": "data/observations",
}


_CACHED_FOR: dict[str, Path | None] = {"root": None}
"""The project whose results the app's caches may hold: the shared read-only copy, or None."""


def _point(root: Path, monkeypatch) -> None:
    monkeypatch.setenv("TRACKER_TARGETS", str(root / "targets"))
    monkeypatch.setenv("TRACKER_DATA", str(root / "data"))
    monkeypatch.setenv("TRACKER_DB", str(root / "data" / "tracker.duckdb"))


def clear_caches() -> None:
    st.cache_data.clear()
    st.cache_resource.clear()
    _CACHED_FOR["root"] = None


def _pointed_at(root: Path, monkeypatch):
    """The app pointed at the files and database under ``root``, its caches empty before and after."""
    _point(root, monkeypatch)
    clear_caches()
    yield root
    clear_caches()


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
    """The app pointed at one copy of the shipped files and their database, shared by every test of this test
    process that only reads it (none may change a file: those take ``project``). The app's caches are kept
    from one such test to the next, as one deployment keeps them between its readers, and emptied when a test
    on another project ran in between; a page's first run still reads and assesses the database."""
    _point(_shipped_copy, monkeypatch)
    if _CACHED_FOR["root"] != _shipped_copy:
        clear_caches()
        _CACHED_FOR["root"] = _shipped_copy
    return _shipped_copy


@pytest.fixture(scope="session")
def broken_database(tmp_path_factory) -> Path:
    """The shipped files plus BROKEN_FILES, built once per test process (the build leaves the broken ones out
    and records why); tests copy it (see ``broken_project``), never write it."""
    from tracker import store

    root = copy_project(tmp_path_factory.mktemp("broken"))
    for path, folder in BROKEN_FILES.items():
        shutil.copy(path, root / folder / path.name)
    db = root / "data" / "tracker.duckdb"
    store.build(root / "targets", root / "data", db)
    return db


@pytest.fixture
def broken_project(tmp_path, broken_database, monkeypatch):
    """A copy of the shipped files with BROKEN_FILES added and their database already built (recognised as
    current, as ``built_project`` is), the app pointed at it: what a reader sees after a bad pull request."""
    source = broken_database.parent.parent
    shutil.copytree(source / "targets", tmp_path / "targets")
    shutil.copytree(source / "data", tmp_path / "data")
    yield from _pointed_at(tmp_path, monkeypatch)


def shown(markdown: str) -> str:
    """Markdown as a reader sees it: the escapes that keep file text literal removed."""
    return markdown.replace("\\", "")


def markup_of(root) -> list[str]:
    """The markup the page puts in as it is (views.markup.html_list: one component each), top to bottom."""
    return [json.loads(e.proto.json)["markup"] for e in root.get("bidi_component")
            if e.proto.component_name == "escaped_markup"]  # fmt: skip
