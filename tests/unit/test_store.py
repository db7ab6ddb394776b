"""The DuckDB store: build on the shipped data, atomic switch, idempotence, readers during builds."""

from __future__ import annotations

import gc
import io
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from tests.conftest import CATALOG_FIXTURES, FIXTURES, ROOT, shipped_counts, shipped_csv_rows, small_project
from tracker import observations, store
from tracker.catalog import load_catalogue
from tracker.progress import Progress


def table(db: Path, sql: str) -> list[tuple]:
    con = store.connect(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


OBS_SQL = (
    "SELECT indicator, period, value, qualifier, published_value, published_unit, coverage, source_title, "
    "publisher, source_url, published, note, source_file FROM observations ORDER BY ALL"
)


def test_build_on_shipped_data_keeps_every_row_with_its_citation(run_cli, project):
    db = project / "data" / "tracker.duckdb"
    code, out, err = run_cli("build", "--targets", project / "targets", "--data", project / "data", "--db", db)
    assert code == 0, out + err
    assert out == ""
    expected = shipped_csv_rows()
    assert "built " in err and f"{len(expected)} observations from {shipped_counts()['files']} files" in err
    stored = table(
        db, "SELECT indicator, period, published_value, source_title, publisher, source_url FROM observations"
    )
    assert len(stored) == len(expected)
    assert all(r[3] and r[4] for r in stored), "every figure keeps its source title and publisher"
    want = sorted((r["indicator"], r["period"], float(r["value"]), r["source_title"]) for r in expected)
    assert sorted((r[0], r[1], r[2], r[3]) for r in stored) == want
    (targets,) = table(db, "SELECT count(*) FROM targets")[0]
    assert targets == shipped_counts()["targets"]


def test_conflicting_figures_stay_side_by_side(shipped_database):
    rows = table(
        shipped_database,
        "SELECT value, coverage FROM observations WHERE indicator = 'cnc-rate-key-processes' AND period = '2021' ORDER BY value",
    )
    assert rows == [
        (51.3, "industrial-firms"),
        (55.3, "above-size-industrial-firms"),
    ]


def test_building_twice_gives_the_same_content(project):
    a, b = project / "a.duckdb", project / "b.duckdb"
    ra = store.build(project / "targets", project / "data", a)
    rb = store.build(project / "targets", project / "data", b)
    assert ra.data_version == rb.data_version
    assert table(a, OBS_SQL) == table(b, OBS_SQL)
    assert table(a, "SELECT * FROM targets ORDER BY id") == table(b, "SELECT * FROM targets ORDER BY id")
    store.build(project / "targets", project / "data", a)  # rebuild in place: no duplicate rows
    assert table(a, OBS_SQL) == table(b, OBS_SQL)


def test_a_changed_file_changes_exactly_its_rows(built_project):
    project, db = built_project, built_project / "data" / "tracker.duckdb"  # built from these files
    before = set(table(db, OBS_SQL))
    path = project / "data" / "observations" / "little-giants.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("2022-09,8997,", "2022-09,8998,"), encoding="utf-8")
    store.build(project / "targets", project / "data", db)
    after = set(table(db, OBS_SQL))
    assert [r[:3] for r in before - after] == [("little-giants", "2022-09", 8997.0)]
    assert [r[:3] for r in after - before] == [("little-giants", "2022-09", 8998.0)]


_GOOD = "little-giants,2023,1,万,=,,T,MIIT,,,"


# The second case breaks no row rule: only the check for keys that several rows share finds it.
@pytest.mark.parametrize(
    ("first", "messages"),
    [
        ("little-giants,2023,abc,万,=,,T,MIIT,,,", ["zz-bad.csv:2: error: value must be a number such as 25.47 or "
                                                  "1.2e3; got 'abc'", "zz-bad.csv:4: error: exact duplicate of row 3"]),
        ("little-giants,2024,2,万,=,,T,MIIT,,,", ["zz-bad.csv:4: error: exact duplicate of row 3"]),
    ],
    ids=["bad value", "only a duplicate"],
)  # fmt: skip
def test_a_file_with_a_bad_row_is_left_out_and_the_others_load(run_cli, project, first, messages):
    header = "indicator,period,value,unit,qualifier,coverage,source_title,publisher,source_url,published,note"
    (project / "data" / "observations" / "zz-bad.csv").write_text(
        "\n".join([header, first, _GOOD, _GOOD, ""]), encoding="utf-8"
    )
    db = project / "db.duckdb"
    code, out, err = run_cli("build", "--targets", project / "targets", "--data", project / "data", "--db", db)
    assert code == 1
    assert [line[line.index("zz-bad.csv:") :] for line in out.splitlines() if "zz-bad.csv:" in line] == messages
    assert err.strip().endswith("zz-bad.csv")
    assert "left out: " in err
    assert table(db, "SELECT count(*) FROM observations WHERE source_file LIKE '%zz-bad.csv'") == [(0,)]
    assert table(db, "SELECT count(*) FROM observations")[0][0] == len(shipped_csv_rows())
    assert table(db, "SELECT status FROM files WHERE path LIKE '%zz-bad.csv'") == [("left out",)]
    assert ("error",) in table(db, "SELECT severity FROM problems WHERE path LIKE '%zz-bad.csv'")


@pytest.mark.parametrize("named", [True, False], ids=["refusal names the file", "refusal names none"])
def test_files_the_bulk_reader_refuses_are_sorted_out_from_the_good_ones(project, monkeypatch, named):
    # Two refused files among the shipped ones: each is reported at its row and left out, every other file loads
    # (in bulk: found from the file DuckDB's message names, or by halving the group when it names none).
    folder = project / "data" / "observations"
    shutil.copy(FIXTURES / "observations" / "ragged.csv", folder / "little-giants-ragged.csv")
    shutil.copy(FIXTURES / "observations" / "ragged.csv", folder / "zz-ragged.csv")
    tried: list[int] = []
    insert = observations._insert_bulk

    def counted(con, files, header, name):
        tried.append(len(files))
        message = insert(con, files, header, name)
        return message if named or message is None else message.replace("file = ", "")

    monkeypatch.setattr(observations, "_insert_bulk", counted)
    con = duckdb.connect()
    con.execute(observations.OBSERVATIONS_DDL)
    indicators = load_catalogue(project / "targets", project / "data").indicators
    outcomes = observations.load_observations(con, project / "data", indicators)
    refused = {o.path.name: [(p.line, p.col, p.message) for p in o.problems] for o in outcomes if not o.loaded}
    message = "this row has 13 fields but the header has 12; a comma inside a value needs the value in double quotes"
    assert refused == {name: [(3, 0, message)] for name in ("little-giants-ragged.csv", "zz-ragged.csv")}
    assert con.execute("SELECT count(*) FROM observations").fetchone()[0] == len(shipped_csv_rows())
    files = len(outcomes)
    assert tried[0] == files and len(tried) < files / 2, "the good files go in bulk, not one by one"


def test_validate_checks_observation_files_with_the_same_messages(run_cli, tmp_path):
    project = small_project(tmp_path, "miit-industrial-equipment-renewal-plan-2024.yaml")
    shutil.copy(FIXTURES / "observations" / "ragged.csv", project / "data" / "observations" / "ragged.csv")
    code, out, _ = run_cli("validate", "--targets", project / "targets", "--data", project / "data")
    assert code == 1
    assert "ragged.csv:3: error: this row has 13 fields but the header has 12" in out


# The catalogue's tables go in while the observations load, on a connection of their own: either may fail.
@pytest.mark.parametrize("step", ["load_observations", "_write_catalogue"])
def test_a_failed_build_leaves_the_old_database_untouched(built_project, monkeypatch, step):
    project, db = built_project, built_project / "data" / "tracker.duckdb"  # built from these files
    old = table(db, OBS_SQL)
    (project / "data" / "observations" / "little-giants.csv").unlink()

    def fail(*args, **kwargs):
        raise RuntimeError("disk full, say")

    monkeypatch.setattr(store, step, fail)
    with pytest.raises(RuntimeError):
        store.build(project / "targets", project / "data", db)
    assert table(db, OBS_SQL) == old
    assert sorted(p.name for p in db.parent.glob("tracker.duckdb*")) == ["tracker.duckdb"]
    assert gc.isenabled(), "the build turns the cycle collector back on, even when it fails"


def test_the_database_holds_every_problem_and_file_the_build_reports(tmp_path):
    project = small_project(tmp_path, "miit-industrial-equipment-renewal-plan-2024.yaml", "miit-quality-enterprises-2021.yaml")  # fmt: skip
    shutil.copy(FIXTURES / "observations" / "ragged.csv", project / "data" / "observations" / "ragged.csv")
    shutil.copy(CATALOG_FIXTURES / "bad" / "duplicate-key.yaml", project / "targets" / "duplicate-key.yaml")
    db = project / "db.duckdb"
    report = store.build(project / "targets", project / "data", db)

    def stored_name(path) -> str:  # the database names a file from the project folder, whatever the working one
        return Path(path).relative_to(project).as_posix()

    reported = sorted((stored_name(p.path), p.line, p.col, p.severity, p.message) for p in report.problems)
    assert any(r[0].endswith("ragged.csv") for r in reported) and any(
        r[0].endswith("duplicate-key.yaml") for r in reported
    )
    assert table(db, "SELECT path, line, col, severity, message FROM problems ORDER BY ALL") == reported
    left_out = {stored_name(p) for p in report.left_out}
    files = table(db, "SELECT path, status FROM files")
    assert {path for path, status in files if status == "left out"} == left_out
    assert len(files) == len(input_files := store.input_files(project / "targets", project / "data"))
    assert {path for path, _ in files} == {stored_name(p) for p in input_files}


def test_a_reader_keeps_reading_while_a_build_replaces_the_file(built_project):
    project, db = built_project, built_project / "data" / "tracker.duckdb"  # built from these files
    reader = store.connect(db)
    before = store.query(reader, "SELECT count(*) AS n FROM observations")["n"][0]
    (project / "data" / "observations" / "little-giants.csv").unlink()
    store.build(project / "targets", project / "data", db)
    # The open connection still sees the complete old database, never a half-built one.
    assert store.query(reader, "SELECT count(*) AS n FROM observations")["n"][0] == before
    reader.close()
    assert table(db, "SELECT count(*) FROM observations")[0][0] == before - 4


def test_a_reader_in_another_process_is_never_blocked(built_project):
    project, db = built_project, built_project / "data" / "tracker.duckdb"  # built from these files
    script = textwrap.dedent(
        f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from tracker import store
        con = store.connect(__import__("pathlib").Path({str(db)!r}))
        print("open", flush=True)
        sys.stdin.readline()
        n = store.query(con, "SELECT count(*) AS n FROM observations")["n"][0]
        print(n, flush=True)
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "open"
        report = store.build(project / "targets", project / "data", db)  # the reader holds the old file open
        assert report.ok
        out, _ = proc.communicate("go\n", timeout=60)
        assert int(out.strip()) == report.counts["observations"]
    finally:
        proc.kill()


def test_stale_detection_and_if_stale(run_cli, project):
    db = project / "db.duckdb"
    targets, data = project / "targets", project / "data"
    assert store.is_stale(targets, data, db)
    store.build(targets, data, db)
    assert not store.is_stale(targets, data, db)
    code, _, err = run_cli("build", "--if-stale", "--targets", targets, "--data", data, "--db", db)
    assert code == 0 and err.strip().endswith("is up to date")
    path = data / "observations" / "little-giants.csv"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert store.is_stale(targets, data, db)
    assert store.ensure_built(targets, data, db) is not None
    assert store.ensure_built(targets, data, db) is None


def test_leftovers_of_killed_builds_are_removed(project):
    db = project / "db.duckdb"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    leftover = project / f"db.duckdb{store.BUILDING_MARK}{dead.stdout.strip()}-abcd1234"
    leftover.write_bytes(b"half a database")
    mine = project / f"db.duckdb{store.BUILDING_MARK}{os.getpid()}-ffff0000"
    mine.write_bytes(b"a build of this very process")
    store.build(project / "targets", project / "data", db)
    assert not leftover.exists()
    assert mine.exists()


def test_an_unreadable_database_counts_as_stale(project):
    db = project / "db.duckdb"
    db.write_bytes(b"not a database")
    assert store.built_version(db) is None
    assert store.is_stale(project / "targets", project / "data", db)


def test_progress_bar_draws_only_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    screen = Terminal()
    bar = Progress(100, "loading observations", stream=screen)
    bar.advance(50, "a.csv")
    bar.close()
    assert "loading observations [###############---------------]  50% a.csv" in screen.getvalue()
    quiet = io.StringIO()
    Progress(100, "loading", stream=quiet).advance(50)
    assert quiet.getvalue() == ""


def test_import_turns_a_gbk_file_into_a_canonical_csv(run_cli, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(CATALOG_FIXTURES / "data", data)
    code, _, err = run_cli("import", FIXTURES / "observations" / "gbk.csv", "--data", data)
    assert code == 0, err
    out = data / "observations" / "gbk.csv"
    text = out.read_text(encoding="utf-8")
    assert (
        text.splitlines()[0]
        == "indicator,period,value,unit,qualifier,coverage,source_title,publisher,publisher_zh,source_url,published,note"
    )
    assert (
        "iot-connections,2024-07,25.47,亿户,=,national,Telecom statistics July,MIIT,,https://example.org/a,2024-08-20,"
        in text
    )
    assert "wrote 3 rows to" in err
    # never overwrite what is there
    code, out_text, _ = run_cli("import", FIXTURES / "observations" / "gbk.csv", "--data", data)
    assert code == 1 and "already exists; choose another name with --out, or --force" in out_text
    assert run_cli("import", FIXTURES / "observations" / "gbk.csv", "--data", data, "--force")[0] == 0


def test_import_refuses_a_bad_file_and_writes_nothing(run_cli, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(CATALOG_FIXTURES / "data", data)
    code, out, err = run_cli("import", FIXTURES / "observations" / "bad-rows.csv", "--data", data)
    assert code == 1
    assert "bad-rows.csv:2: error:" in out
    assert "nothing written" in err
    assert not (data / "observations" / "bad-rows.csv").exists()


def test_import_with_indicator_option(run_cli, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(CATALOG_FIXTURES / "data", data)
    assert run_cli("import", FIXTURES / "observations" / "no-indicator-column.csv", "--data", data)[0] == 1
    code, _, _ = run_cli(
        "import",
        FIXTURES / "observations" / "no-indicator-column.csv",
        "--data",
        data,
        "--indicator",
        "iot-connections",
    )
    assert code == 0
    assert "iot-connections,2024-07,25.47,亿户" in (data / "observations" / "no-indicator-column.csv").read_text(
        "utf-8"
    )
    code, _, err = run_cli("import", FIXTURES / "observations" / "good.csv", "--data", data, "--indicator", "nope")
    assert code == 2 and "unknown indicator 'nope'" in err


def test_build_output_is_readable_by_plain_duckdb(shipped_database):
    con = duckdb.connect(str(shipped_database), read_only=True)
    try:
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall() == [
            (store.SCHEMA_VERSION,)
        ]
    finally:
        con.close()


def test_unchanged_sizes_and_times_skip_the_hash(project, monkeypatch):
    targets, data, db = project / "targets", project / "data", project / "db.duckdb"
    store.build(targets, data, db)

    def no_hashing(*_):
        raise AssertionError("the files were read although none changed")

    monkeypatch.setattr(store, "data_version", no_hashing)
    assert not store.is_stale(targets, data, db)
    monkeypatch.undo()
    # Touched but not changed: the times differ, so the bytes are hashed, and they match.
    path = data / "observations" / "little-giants.csv"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 5_000_000_000))
    assert store.files_stat(targets, data) != store.built_meta(db)["files_stat"]
    assert not store.is_stale(targets, data, db)


@pytest.mark.parametrize(
    ("content", "records"),
    [(b"", -1), (b"h\n", 0), (b"h\na\nb", 2), (b"h\na\nb\n", 2), (b"h\r\na\r\n\r\n", 2), (b"h\na\x00\n", -1)],
)
def test_rows_counted_while_hashing_match_a_count_of_their_own(tmp_path, content, records):
    from tracker.observations import RecordTally, count_records

    data = tmp_path / "data"
    (data / "observations").mkdir(parents=True)
    path = data / "observations" / "x.csv"
    path.write_bytes(content)
    assert count_records(path) == records
    tally = RecordTally()
    for start in range(0, len(content), 2):  # blocks that end anywhere in a line
        tally.add(content[start : start + 2])
    assert tally.records == records
    counted: dict[Path, int] = {}
    store.data_version(tmp_path / "targets", data, counted)
    assert counted == {path: records}


def _stored_texts(db: Path) -> list[str]:
    """Every text cell of every table of a built database (lists of text too)."""
    con = store.connect(db)
    try:
        columns = con.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE data_type IN ('VARCHAR', 'VARCHAR[]') ORDER BY ALL"
        ).fetchall()
        texts = []
        for table_name, column in columns:
            cell = f'"{column}"'
            texts += [str(v) for (v,) in con.execute(f'SELECT DISTINCT {cell}::VARCHAR FROM "{table_name}"').fetchall()]
        return texts
    finally:
        con.close()


def test_a_build_run_from_another_folder_stores_the_same_project_relative_names(run_cli, tmp_path, monkeypatch):
    from tracker.report import write_report

    project = small_project(tmp_path / "project", "miit-mobile-iot-2024.yaml")
    header = "indicator,period,value,unit,qualifier,coverage,source_title,publisher,source_url,published,note"
    (project / "data" / "observations" / "zz-bad.csv").write_text(
        "\n".join([header, "little-giants,2023,abc,万,=,,T,MIIT,,,", _GOOD, ""]), encoding="utf-8"
    )  # a file read again by its own loader, left out, with a problem on its row
    shutil.copy(CATALOG_FIXTURES / ".." / "bad" / "yaml-syntax-error.yaml", project / "targets" / "broken.yaml")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    built = {}
    for name, cwd in (("here", project), ("elsewhere", elsewhere)):
        monkeypatch.chdir(cwd)
        built[name] = tmp_path / f"{name}.duckdb"
        code, out, _ = run_cli(
            "build", "--targets", project / "targets", "--data", project / "data", "--db", built[name]
        )
        assert code == 1
        # the terminal names files as the user would type them from where the command ran
        shown = "data/observations/zz-bad.csv" if cwd == project else str(project / "data/observations/zz-bad.csv")
        assert f"{shown}:2: error: " in out
    con = duckdb.connect()
    try:
        for name, db in built.items():
            con.execute(f"ATTACH '{db}' AS {name} (READ_ONLY)")
        tables = [t for (t,) in con.execute("SELECT DISTINCT table_name FROM information_schema.tables "
                                            "WHERE table_catalog = 'here' ORDER BY 1").fetchall()]  # fmt: skip
        assert {"observations", "problems", "files", "targets", "policies", "meta"} <= set(tables)
        for t in tables:
            keep = "WHERE key <> 'built_at'" if t == "meta" else ""
            for a, b in (("here", "elsewhere"), ("elsewhere", "here")):
                extra = con.execute(
                    f'SELECT * FROM {a}."{t}" {keep} EXCEPT ALL SELECT * FROM {b}."{t}" {keep}'
                ).fetchall()
                assert extra == [], (t, a, extra[:3])
        names = {r for (r,) in con.execute("SELECT DISTINCT source_file FROM elsewhere.observations").fetchall()}
        assert names and all(n.startswith("data/observations/") for n in names)
        stored = dict(con.execute("SELECT path, status FROM elsewhere.files").fetchall())
        assert stored["data/observations/zz-bad.csv"] == "left out" and stored["targets/broken.yaml"] == "left out"
        problem_paths = {p for (p,) in con.execute("SELECT path FROM elsewhere.problems").fetchall()}
        assert {"data/observations/zz-bad.csv", "targets/broken.yaml"} <= problem_paths
    finally:
        con.close()
    absolute = {str(project), os.path.realpath(project)}
    assert not [t for t in _stored_texts(built["elsewhere"]) if any(a in t for a in absolute)]
    con = store.connect(built["elsewhere"])
    try:
        write_report(con, tmp_path / "site", jobs=1)
    finally:
        con.close()
    published = [p for p in (tmp_path / "site").rglob("*") if p.is_file() and p.suffix in (".csv", ".json", ".html")]
    assert any(p.name == "observations.csv" for p in published)
    leaking = [p.name for p in published if any(a in p.read_text(encoding="utf-8") for a in absolute)]
    assert leaking == []
    series = (tmp_path / "site" / "data" / "observations.csv").read_text(encoding="utf-8")
    assert "data/observations/mobile-iot-connections.csv" in series


def test_links_that_lead_nowhere_are_reported_on_their_files_and_the_rest_builds(run_cli, project):
    # A loop of links and a link to a missing file, among the targets and among the observations: each is
    # reported on its own line, as validate reports it, and the build goes on with the other files.
    (project / "targets" / "loop.yaml").symlink_to("loop.yaml")
    (project / "data" / "observations" / "loop.csv").symlink_to("loop.csv")
    (project / "data" / "observations" / "gone.csv").symlink_to("missing.csv")
    db = project / "db.duckdb"
    args = ("--targets", project / "targets", "--data", project / "data")
    code, out, err = run_cli("build", *args, "--db", db)
    assert code == 1, err
    nowhere = "1: error: a link that leads nowhere; put the file itself here"
    lines = sorted(line[line.rindex("/") + 1 :] for line in out.splitlines() if "leads nowhere" in line)
    assert lines == [f"gone.csv:{nowhere}", f"loop.csv:{nowhere}", f"loop.yaml:{nowhere}"]
    assert "left out: " in err and "gone.csv" in err and "loop.csv" in err
    assert table(db, "SELECT count(*) FROM observations")[0][0] == len(shipped_csv_rows())
    code, validated, _ = run_cli("validate", *args)
    assert code == 1
    assert sorted(line for line in validated.splitlines() if "leads nowhere" in line) == sorted(
        line for line in out.splitlines() if "leads nowhere" in line
    )
