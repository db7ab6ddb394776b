from __future__ import annotations

import shutil

import pytest
import streamlit as st

from tests.conftest import ROOT
from views import PAGES  # the one page list: the app navigates it, the tests open it

__all__ = ["PAGES", "project", "shown"]


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A copy of the shipped files; the app is pointed at it and its caches start empty."""
    shutil.copytree(ROOT / "targets", tmp_path / "targets")
    shutil.copytree(ROOT / "data", tmp_path / "data", ignore=shutil.ignore_patterns("*.duckdb*"))
    monkeypatch.setenv("TRACKER_TARGETS", str(tmp_path / "targets"))
    monkeypatch.setenv("TRACKER_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "data" / "tracker.duckdb"))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield tmp_path
    st.cache_data.clear()
    st.cache_resource.clear()


def shown(markdown: str) -> str:
    """Markdown as a reader sees it: the escapes that keep file text literal removed."""
    return markdown.replace("\\", "")
