from __future__ import annotations

import pytest
import streamlit as st

from views import PAGES  # the one page list: the app navigates it, the tests open it

__all__ = ["PAGES", "project", "shown"]


@pytest.fixture
def project(built_project, monkeypatch):
    """A copy of the shipped files and their database; the app is pointed at it and its caches start empty.
    A test that changes a file makes the app build again, as it would for a reader."""
    tmp_path = built_project
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
