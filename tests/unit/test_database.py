"""The built file as ``tracker status`` opens it: one connection when nothing changed, a rebuild otherwise."""

from __future__ import annotations

import pytest

from tracker import database, store

COUNT = "SELECT count(*) FROM observations WHERE indicator = 'little-giants'"


def test_connect_current_keeps_its_connection_when_nothing_changed_and_rebuilds_otherwise(project, monkeypatch):
    targets, data, db = project / "targets", project / "data", project / "db.duckdb"
    store.build(targets, data, db)
    monkeypatch.setattr(database, "ensure_built", lambda *_: pytest.fail("built although no file changed"))
    con, report = database.connect_current(targets, data, db)
    try:
        assert report is None
        before = con.execute(COUNT).fetchone()[0]
    finally:
        con.close()
    monkeypatch.undo()

    # One figure fewer in a file: the connection returned reads the rebuilt file, not the old one.
    path = data / "observations" / "little-giants.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]), encoding="utf-8")
    con, report = database.connect_current(targets, data, db)
    try:
        assert report is not None and report.ok
        assert con.execute(COUNT).fetchone()[0] == before - 1
    finally:
        con.close()


def test_connect_current_builds_a_missing_database(project):
    targets, data, db = project / "targets", project / "data", project / "missing.duckdb"
    con, report = database.connect_current(targets, data, db)
    try:
        assert (
            report is not None and report.counts["targets"] == con.execute("SELECT count(*) FROM targets").fetchone()[0]
        )
        assert report.counts["targets"] > 0
    finally:
        con.close()


def test_the_engine_is_duckdbs_own_and_the_package_stands_in_for_it(project, monkeypatch):
    """Status opens the database with DuckDB's compiled engine alone (``_duckdb``, without the package's Python
    layer): its connections and errors are the very classes the duckdb package exports. Where a DuckDB comes
    without that module, the package is used, and the database reads the same."""
    import importlib.util
    import sys

    import duckdb

    assert database.duckdb.connect is duckdb.connect and database.duckdb.Error is duckdb.Error
    db = project / "db.duckdb"
    store.build(project / "targets", project / "data", db)
    monkeypatch.setitem(sys.modules, "_duckdb", None)  # an import of it fails
    spec = importlib.util.spec_from_file_location("database_without_engine", database.__file__)
    fallback = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fallback)
    assert fallback.duckdb is duckdb
    assert fallback.built_meta(db) == database.built_meta(db) != {}
    con = fallback.connect(db)
    try:
        assert con.execute(COUNT).fetchone()[0] > 0
    finally:
        con.close()
