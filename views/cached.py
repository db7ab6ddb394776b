"""The only data access of the pages: a read-only connection and cached query results.

The connection is cached per database file; results are cached on the data version
(the file's identity), so a database rebuilt by dashboard.py's "is the database
current?" step is picked up on the next run without restarting the app. Nothing
here builds a database, writes a file or runs git itself: it calls ``tracker``.
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
from tracker.freshness import indicator_summary
from tracker.scorecard import build_scorecard


def locations() -> tuple[Path, Path, Path]:
    """Targets folder, data folder and database file (overridable with TRACKER_* variables)."""
    targets = Path(os.environ.get("TRACKER_TARGETS", paths.TARGETS_DIR))
    data = Path(os.environ.get("TRACKER_DATA", paths.DATA_DIR))
    db = Path(os.environ.get("TRACKER_DB", paths.DB_PATH))
    return targets, data, db


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
    db = locations()[2]
    stat = db.stat()
    identity = (str(db), stat.st_ino, stat.st_mtime_ns)
    return _connection(str(db), identity), f"{stat.st_ino}-{stat.st_mtime_ns}"


def version() -> str:
    return connection()[1]


def today() -> date:
    return date.today()


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
def _indicators(version: str, as_of: date) -> pd.DataFrame:
    con = connection()[0]
    indicators = queries.indicators(con)
    return indicator_summary(indicators, as_of, {i: queries.observations(con, i) for i in indicators["id"]})


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


def meta() -> dict[str, str]:
    return _meta(version())


def targets() -> pd.DataFrame:
    return _targets(version())


def assessed() -> pd.DataFrame:
    return _assessed(version(), today())


def scorecard(lang: str) -> pd.DataFrame:
    return _scorecard(version(), today(), lang)


def policies() -> pd.DataFrame:
    return _policies(version())


def indicators() -> pd.DataFrame:
    """Every indicator with its figures' span, freshness and own trend (tracker.freshness)."""
    return _indicators(version(), today())


def observations(indicator: str) -> pd.DataFrame:
    return _observations(version(), indicator)


def problems() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Problems found by the last build, files loaded or left out, conflicting figures."""
    return _problems(version())


problems_ = problems


def broken_files() -> tuple[list[str], list[str]]:
    """Target files with errors (their targets are missing) and data files left out of the database."""
    problems, files, _ = problems_()
    target_paths = set(files.loc[files["kind"] == "targets", "path"]) if not files.empty else set()
    errors = problems[problems["severity"] == "error"] if not problems.empty else problems
    bad_targets = sorted(set(errors["path"]) & target_paths) if not errors.empty else []
    left_out = files[(files["status"] == "left out") & (files["kind"] != "targets")] if not files.empty else files
    return bad_targets, sorted(left_out["path"]) if not left_out.empty else []


def target_file_problems() -> pd.DataFrame:
    """Errors in target files: a target missing from the database may be in one of them."""
    problems, files, _ = problems_()
    if problems.empty or files.empty:
        return problems.iloc[0:0]
    target_paths = set(files.loc[files["kind"] == "targets", "path"])
    return problems[(problems["severity"] == "error") & problems["path"].isin(target_paths)]


@st.cache_data(show_spinner=False, ttl=300)
def _history(version: str, file: str, target_id: str) -> list | None:
    from tracker.history import NoHistory, target_history

    try:
        return target_history(paths.ROOT, Path(file), target_id)
    except NoHistory:
        return None


def history(target_id: str) -> list | None:
    """The target's changes from the git history of its file (None outside a git checkout)."""
    row = targets().set_index("id").loc[target_id]
    file = locations()[0] / Path(row["file"]).name
    return _history(version(), str(file), target_id)
