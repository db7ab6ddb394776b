"""Streamlit entry point: page config, the optional sign-in, "is the database current?", navigation.

The pages (views/) only read the database; this router is the one place that builds it,
once per change of the files in the repository.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from tracker.i18n import language, t
from tracker.store import ensure_built, input_files
from views import PAGES
from views.auth import require_viewer
from views.cached import locations

st.set_page_config(page_title="Policy target tracker", page_icon=":material/flag:", layout="wide")
require_viewer()


def _fingerprint(targets: Path, data: Path) -> tuple:
    return tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in input_files(targets, data))


@st.cache_resource(show_spinner="Building the database from the files in the repository…")
def _built(targets: str, data: str, db: str, fingerprint: tuple) -> None:
    """Build the database when it is missing or older than the files (once per change of the files)."""
    ensure_built(Path(targets), Path(data), Path(db))


def database_is_current() -> None:
    targets, data, db = locations()
    _built(str(targets), str(data), str(db), _fingerprint(targets, data))


def _overview_alias() -> None:
    """/overview opens the overview, whose own address is /."""
    st.switch_page(PAGES[0].script, query_params=dict(st.query_params))


database_is_current()
lang = language(st.query_params.get("lang"))
# The default page is served at / and reserves its own path name, so it takes "home" and
# /overview (the name the README and old links use) opens it through a small alias page.
pages = [
    st.Page(p.script, title=t(p.title_key, lang), icon=p.icon, url_path="home" if p.default else p.url_path,
            default=p.default)
    for p in PAGES
]  # fmt: skip
pages.append(st.Page(_overview_alias, title=t(PAGES[0].title_key, lang), url_path=PAGES[0].url_path))
st.navigation(pages, position="hidden").run()
