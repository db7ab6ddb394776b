"""What every page shares: cached data access, the language switch and the page header.

Pages compose UI only; the data come from ``tracker`` through the cached
functions here. The database connection is cached per database file (read-only,
one cursor per query); results are cached on the data version, so a rebuilt
database is picked up on the next run without restarting the app.
"""

from __future__ import annotations

import os
import threading
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from tracker import assess as assessment
from tracker import paths, queries
from tracker.escape import is_http_url, markdown_text
from tracker.scorecard import build_scorecard
from tracker.store import ensure_built, input_files

LANGUAGES = {"en": "English", "zh": "中文"}


def locations() -> tuple[Path, Path, Path]:
    """Targets folder, data folder and database file (overridable with TRACKER_* variables)."""
    targets = Path(os.environ.get("TRACKER_TARGETS", paths.TARGETS_DIR))
    data = Path(os.environ.get("TRACKER_DATA", paths.DATA_DIR))
    db = Path(os.environ.get("TRACKER_DB", paths.DB_PATH))
    return targets, data, db


def _files_fingerprint(targets: Path, data: Path) -> tuple:
    return tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in input_files(targets, data))


@st.cache_resource(show_spinner="Building the database from the files in the repository…")
def _built(targets: str, data: str, db: str, fingerprint: tuple) -> str:
    """Build the database when it is missing or older than the files (once per change of the files)."""
    report = ensure_built(Path(targets), Path(data), Path(db))
    return "" if report is None or report.ok else ", ".join(str(p) for p in report.left_out)


_open_lock = threading.Lock()
_open: dict[tuple, duckdb.DuckDBPyConnection] = {}


@st.cache_resource(show_spinner=False)
def _connection(db: str, identity: tuple) -> duckdb.DuckDBPyConnection:
    # DuckDB hands back the database already open for a path while any connection to it
    # stays open, so the connection to a replaced file is closed before the new one opens.
    with _open_lock:
        for key, old in list(_open.items()):
            if key != identity:
                old.close()
                del _open[key]
        con = duckdb.connect(db, read_only=True)
        _open[identity] = con
        return con


def connection() -> tuple[duckdb.DuckDBPyConnection, str]:
    """The read-only connection to the current database file, and its data version key."""
    targets, data, db = locations()
    _built(str(targets), str(data), str(db), _files_fingerprint(targets, data))
    stat = db.stat()
    identity = (str(db), stat.st_ino, stat.st_mtime_ns)
    return _connection(str(db), identity), f"{stat.st_ino}-{stat.st_mtime_ns}"


@st.cache_data(show_spinner=False)
def _meta(version: str) -> dict[str, str]:
    return queries.meta(connection()[0])


@st.cache_data(show_spinner=False)
def _targets(version: str) -> pd.DataFrame:
    return queries.targets(connection()[0])


@st.cache_data(show_spinner=False)
def _assessed(version: str, as_of: date) -> pd.DataFrame:
    return assessment.assess(connection()[0], as_of)


@st.cache_data(show_spinner=False)
def _policies(version: str) -> pd.DataFrame:
    return queries.policies(connection()[0])


@st.cache_data(show_spinner=False)
def _indicators(version: str) -> pd.DataFrame:
    return queries.indicators(connection()[0])


@st.cache_data(show_spinner=False)
def _observations(version: str, indicator: str) -> pd.DataFrame:
    return queries.observations(connection()[0], indicator)


@st.cache_data(show_spinner=False)
def _problems(version: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    con = connection()[0]
    return queries.problems(con), queries.files(con), queries.conflicts(con)


@st.cache_data(show_spinner=False)
def _scorecard(version: str, as_of: date, lang: str) -> pd.DataFrame:
    return build_scorecard(_assessed(version, as_of), _targets(version), as_of, lang)


def version() -> str:
    return connection()[1]


def today() -> date:
    return date.today()


def meta() -> dict[str, str]:
    return _meta(version())


def targets() -> pd.DataFrame:
    return _targets(version())


def assessed() -> pd.DataFrame:
    return _assessed(version(), today())


def scorecard() -> pd.DataFrame:
    return _scorecard(version(), today(), lang())


def policies() -> pd.DataFrame:
    return _policies(version())


def indicators() -> pd.DataFrame:
    return _indicators(version())


def observations(indicator: str) -> pd.DataFrame:
    return _observations(version(), indicator)


def problems() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    return _problems(version())


def lang() -> str:
    """The chosen language: ?lang=zh in the URL, else English."""
    return "zh" if st.query_params.get("lang") == "zh" else "en"


def name(en: object, zh: object) -> str:
    """The Chinese name when 中文 is chosen and there is one; else the English name."""
    if lang() == "zh" and isinstance(zh, str) and zh:
        return zh
    return "" if en is None or (isinstance(en, float) and pd.isna(en)) else str(en)


def page_header(title: str) -> None:
    """Language switch and data date in the sidebar; the page title."""
    with st.sidebar:
        chosen = st.segmented_control(
            "Language / 语言", options=list(LANGUAGES), format_func=LANGUAGES.get, default=lang(), key="url_lang"
        )
        if chosen and chosen != lang():
            if chosen == "en":
                del st.query_params["lang"]
            else:
                st.query_params["lang"] = chosen
            st.rerun()
        info = meta()
        built = info.get("built_at", "")[:16].replace("T", " ")
        st.caption(
            f"Data built {built} UTC from the files in the repository (version {info.get('data_version', '?')})."
        )
        st.caption(f"Assessed as of {today().isoformat()}.")
    st.title(plain(title))


plain = markdown_text  # text from a file, for st.markdown: shows as written (no links, no markup)


def url_choice(label: str, options: list, param: str, format_func=str, container=st, **kwargs):
    """A selectbox whose choice lives in the URL as ?param=<option> (ids, not labels), both ways."""
    asked = st.query_params.get(param)
    index = options.index(asked) if asked in options else 0
    choice = container.selectbox(label, options, index=index, format_func=format_func, key=f"url_{param}", **kwargs)
    if choice is not None and st.query_params.get(param) != str(choice):
        st.query_params[param] = str(choice)
    return choice


def url_multi(label: str, options: list, param: str, format_func=str, container=st) -> list:
    """A multiselect whose choices live in the URL as ?param=a&param=b, both ways."""
    asked = [o for o in st.query_params.get_all(param) if o in {str(x) for x in options}]
    default = [o for o in options if str(o) in asked]
    chosen = container.multiselect(label, options, default=default, format_func=format_func, key=f"url_{param}")
    if [str(c) for c in chosen] != st.query_params.get_all(param):
        if chosen:
            st.query_params[param] = [str(c) for c in chosen]
        elif param in st.query_params:
            del st.query_params[param]
    return chosen


@st.cache_data(show_spinner=False, ttl=300)
def _history(version: str, file: str, target_id: str) -> list | None:
    from tracker.history import NoHistory, target_history

    try:
        return target_history(paths.ROOT, Path(file), target_id)
    except NoHistory:
        return None


def history(target_id: str) -> list | None:
    """The target's changes from git (None outside a git checkout)."""
    row = targets().set_index("id").loc[target_id]
    file = locations()[0] / Path(row["file"]).name
    return _history(version(), str(file), target_id)


def short(value: object, size: int = 60) -> str:
    text = "–" if value is None else str(value)
    return text if len(text) <= size else text[: size - 1] + "…"


def figures_table(figures: pd.DataFrame, units: list[str]) -> pd.DataFrame:
    """Figures as a reader checks them: value in the indicator's unit, as published, coverage, source."""
    from tracker.formatting import format_value

    return pd.DataFrame(
        {
            "Period": figures["period"],
            "Value": [format_value(v, u) for v, u in zip(figures["value"], units, strict=True)],
            "As published": [
                f"{q if q != '=' else ''}{v:g} {u}"
                for q, v, u in zip(
                    figures["qualifier"], figures["published_value"], figures["published_unit"], strict=True
                )
            ],
            "Coverage": figures["coverage_name"].fillna(""),
            "Source": figures["source_title"],
            "Publisher": figures["publisher"],
            # Only http(s) addresses become links.
            "Link": figures["source_url"].where(figures["source_url"].map(is_http_url)),
        }
    )


LINK_COLUMN = {"Link": st.column_config.LinkColumn(display_text="source ↗")}
