from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import streamlit as st

from tests.conftest import CATALOG_FIXTURES, FIXTURES, copy_project
from views import PAGES  # the one page list: the app navigates it, the tests open it

__all__ = ["PAGES", "broken_project", "project", "shown"]

# A target file with an error and a data file that is left out, which every page must report.
BROKEN_FILES = {
    CATALOG_FIXTURES / "bad" / "bad-comparator.yaml": "targets",
    FIXTURES / "observations" / "ragged.csv": "data/observations",
}


def _pointed_at(root: Path, monkeypatch):
    """The app pointed at the files and database under ``root``, its caches empty before and after."""
    monkeypatch.setenv("TRACKER_TARGETS", str(root / "targets"))
    monkeypatch.setenv("TRACKER_DATA", str(root / "data"))
    monkeypatch.setenv("TRACKER_DB", str(root / "data" / "tracker.duckdb"))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield root
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def project(built_project, monkeypatch):
    """A copy of the shipped files and their database; the app is pointed at it and its caches start empty.
    A test that changes a file makes the app build again, as it would for a reader."""
    yield from _pointed_at(built_project, monkeypatch)


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
