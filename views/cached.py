"""The only data access of the pages: a read-only connection and cached query results.

Reads go through ``tracker.readers``, which keeps each version of the file open
while readers of it finish, so a rebuild never breaks a page another session is
drawing; results are cached on the data version, so a database rebuilt by
dashboard.py's "is the database current?" step is picked up on the next run
without restarting the app. Nothing
here builds a database, writes a file or runs git itself: it calls ``tracker``.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from tracker import assess as assessment
from tracker import paths, queries, readers
from tracker.freshness import indicator_summary
from tracker.plans import plan_targets
from tracker.scorecard import build_scorecard
from tracker.target_card import same_goals


def locations() -> tuple[Path, Path, Path]:
    """Targets folder, data folder and database file (overridable with TRACKER_* variables)."""
    targets = Path(os.environ.get("TRACKER_TARGETS", paths.TARGETS_DIR))
    data = Path(os.environ.get("TRACKER_DATA", paths.DATA_DIR))
    db = Path(os.environ.get("TRACKER_DB", paths.DB_PATH))
    return targets, data, db


def _db() -> Path:
    return locations()[2]


def version() -> str:
    """The data version of the newest complete database: the key of every cached result."""
    return readers.live(_db()).version()


def _read(query, *args):
    """Run one query function on the newest complete database, safely from any session's thread."""
    with readers.reading(_db()) as (con, _):
        return query(con, *args)


def today() -> date:
    return date.today()


SHARED_VERSIONS = 4
"""Versions of the data (times languages) whose large tables stay in memory at once."""


def _shared(frame: pd.DataFrame) -> pd.DataFrame:
    """A page's own view of a table every session shares (st.cache_resource): no copy is made until
    the page writes to it (pandas copy-on-write), and then only the page's view changes.

    The large tables (targets, assessment, scorecard, plans) are shared rather than kept by
    st.cache_data, which hands every run a fresh unpickled copy: at 10,000 targets the copies took
    most of a warm rerun, and every session paid them on every page."""
    return frame.copy(deep=False)


@st.cache_data(show_spinner=False)
def _meta(version: str) -> dict[str, str]:
    return _read(queries.meta)


@st.cache_resource(show_spinner=False, max_entries=SHARED_VERSIONS)
def _targets(version: str) -> pd.DataFrame:
    return _read(queries.targets)


@st.cache_resource(show_spinner=False, max_entries=SHARED_VERSIONS)
def _assessed(version: str, as_of: date) -> pd.DataFrame:
    return _read(assessment.assess, as_of)


@st.cache_data(show_spinner=False)
def _policies(version: str) -> pd.DataFrame:
    return _read(queries.policies)


@st.cache_data(show_spinner=False)
def _indicators(version: str, as_of: date) -> pd.DataFrame:
    with readers.reading(_db()) as (con, _):
        indicators = queries.indicators(con)
        observations = {i: queries.observations(con, i) for i in indicators["id"]}
    return indicator_summary(indicators, as_of, observations)


@st.cache_data(show_spinner=False)
def _observations(version: str, indicator: str) -> pd.DataFrame:
    return _read(queries.observations, indicator)


@st.cache_data(show_spinner=False)
def _problems(version: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    with readers.reading(_db()) as (con, _):
        return queries.problems(con), queries.files(con), queries.conflicts(con)


@st.cache_resource(show_spinner=False, max_entries=SHARED_VERSIONS)
def _plans(version: str, as_of: date) -> pd.DataFrame:
    return plan_targets(_assessed(version, as_of), _targets(version), _policies(version), as_of)


def plans() -> pd.DataFrame:
    """Each target's plan (its policy's top ancestor), verdict and deciding figure."""
    return _shared(_plans(version(), today()))


@st.cache_resource(show_spinner=False, max_entries=SHARED_VERSIONS)
def _scorecard(version: str, as_of: date, lang: str) -> pd.DataFrame:
    return build_scorecard(_assessed(version, as_of), _targets(version), as_of, lang)


def meta() -> dict[str, str]:
    return _meta(version())


def targets() -> pd.DataFrame:
    return _shared(_targets(version()))


def assessed() -> pd.DataFrame:
    return _shared(_assessed(version(), today()))


@st.cache_resource(show_spinner=False, max_entries=SHARED_VERSIONS)
def _goals(version: str) -> dict[str, list[str]]:
    return same_goals(_targets(version))


def goals() -> dict[str, list[str]]:
    """The targets whose goal other targets also set, with theirs (``tracker.target_card.same_goals``): worked out
    once per data version, not on every target page's run. Only read."""
    return _goals(version())


def scorecard(lang: str) -> pd.DataFrame:
    return _shared(_scorecard(version(), today(), lang))


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


@st.cache_data(show_spinner=False)
def _broken_files(version: str) -> tuple[list[str], list[str]]:
    # Every page's banner asks this on every run: the answer (two short lists) is cached, not the
    # problems and conflicts tables it comes from, which a large catalogue makes slow to copy out.
    with readers.reading(_db()) as (con, _):
        problems, files = queries.problems(con), queries.files(con)
    target_paths = set(files.loc[files["kind"] == "targets", "path"]) if not files.empty else set()
    errors = problems[problems["severity"] == "error"] if not problems.empty else problems
    bad_targets = sorted(set(errors["path"]) & target_paths) if not errors.empty else []
    left_out = files[(files["status"] == "left out") & (files["kind"] != "targets")] if not files.empty else files
    return bad_targets, sorted(left_out["path"]) if not left_out.empty else []


def broken_files() -> tuple[list[str], list[str]]:
    """Target files with errors (their targets are missing) and data files left out of the database."""
    return _broken_files(version())


def target_file_problems() -> pd.DataFrame:
    """Errors in target files: a target missing from the database may be in one of them."""
    problems, files, _ = _problems(version())
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
