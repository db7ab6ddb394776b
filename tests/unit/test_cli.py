"""The command line: every expected failure is one line and exit 2, no output file that is not the
tracker's own is ever overwritten, a build that would drop most of the catalogue keeps the old
database, and README's command reference matches ``--help``."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from contextlib import contextmanager, suppress
from datetime import date
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT, copy_project, small_project
from tracker import cli, store
from tracker.cli import build_parser


@pytest.fixture(scope="module")
def built(tmp_path_factory, shipped_database):
    """One project copy with a built database, shared by the tests that only read it."""
    root = copy_project(tmp_path_factory.mktemp("cli"))
    shutil.copy(shipped_database, root / "data" / "tracker.duckdb")
    return root


def _one_error_line(code: int, out: str, err: str) -> str:
    assert code == 2, out + err
    assert "Traceback" not in out + err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    return lines[0]


def _locations(project: Path) -> list[str]:
    return ["--targets", str(project / "targets"), "--data", str(project / "data")]


def test_db_naming_files_that_are_not_the_trackers_is_refused_and_they_stay_untouched(built, tmp_path, run_cli):
    readme = tmp_path / "README.md"
    readme.write_text("# not a database\n", encoding="utf-8")
    folder = tmp_path / "folder"
    folder.mkdir()
    cases = {
        str(readme): "exists and is not a tracker database",
        str(folder): "is a folder",
        "": "is a folder",
        str(readme / "x.duckdb"): "is a file, not a folder",
        str(tmp_path / "no" / "such" / "x.duckdb"): "does not exist; create it first",
        "/dev/null": "exists and is not a regular file",
    }
    for command in ("build", "status", "report"):
        for db, message in cases.items():
            extra = ["--out", str(tmp_path / "site")] if command == "report" else []
            line = _one_error_line(*run_cli(command, *_locations(built), "--db", db, *extra))
            assert message in line, (command, db, line)
    assert readme.read_text(encoding="utf-8") == "# not a database\n"
    assert list(folder.iterdir()) == []


def test_report_out_refuses_a_file_or_a_folder_of_other_files(tmp_path, run_cli):
    # One policy file's project: this is about the output folder, and its site is a few pages to write.
    built = small_project(tmp_path / "project", "miit-mobile-iot-2024.yaml")
    db = built / "data" / "tracker.duckdb"
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "keep.txt").write_text("mine", encoding="utf-8")
    line = _one_error_line(*run_cli("report", *_locations(built), "--db", db, "--out", notes))
    assert "holds other files" in line
    line = _one_error_line(*run_cli("report", *_locations(built), "--db", db, "--out", notes / "keep.txt"))
    assert "is a file" in line
    assert (notes / "keep.txt").read_text(encoding="utf-8") == "mine"
    site = tmp_path / "site"
    for _ in range(2):  # an earlier report may be replaced
        code, _, err = run_cli("report", *_locations(built), "--db", db, "--out", site, "--as-of", "2026-11-29")
        assert code == 0, err
    assert sorted(p.name for p in site.iterdir()) == ["assets", "data", "en", "feed.xml", "index.html", "zh"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes", "project", "site"], (
        "no building folder is left behind"
    )


def test_import_out_refuses_anything_but_a_regular_file(built, tmp_path, run_cli):
    source = built / "data" / "observations" / "little-giants.csv"
    folder = tmp_path / "out"
    folder.mkdir()
    line = _one_error_line(*run_cli("import", source, "--data", built / "data", "--out", folder, "--force"))
    assert "is not a regular file" in line
    line = _one_error_line(*run_cli("import", source, "--data", built / "data", "--out", tmp_path / "x" / "y.csv"))
    assert "does not exist" in line
    line = _one_error_line(*run_cli("import", tmp_path / "missing.csv", "--data", built / "data"))
    assert "is not a file" in line


@pytest.fixture(scope="module")
def one_commit(tmp_path_factory):
    """A git repository with one commit: the revisions below are checked before anything is built, and a
    copy of the project that is not a git checkout (a source archive) runs this test too."""
    repo = tmp_path_factory.mktemp("one-commit")
    (repo / "README.md").write_text("one commit\n", encoding="utf-8")
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "one"]):
        subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", "-C", str(repo), *args],
                       capture_output=True, check=True)  # fmt: skip
    return repo


@pytest.mark.parametrize(
    ("args", "message"),
    [(["diff", "no-such-revision"], "unknown git revision 'no-such-revision'"),
     (["diff", "--", "--output=/tmp/x"], "is not a git revision"),
     (["diff", "HEAD", "also-missing"], "unknown git revision 'also-missing'")],
)  # fmt: skip
def test_bad_git_revisions(args, message, run_cli, one_commit):
    line = _one_error_line(*run_cli(args[0], "--repo", one_commit, *args[1:]))
    assert message in line


def test_usage_errors_from_argparse_exit_2(run_cli, tmp_path):
    for args in (["status", "--as-of", "2023-02-30"], ["validate", "--targets", tmp_path / "missing"], ["nonsense"]):
        code, out, err = run_cli(*args)
        assert code == 2 and "Traceback" not in out + err and "error:" in err


def test_a_build_that_would_drop_most_of_the_catalogue_keeps_the_old_database(tmp_path, run_cli):
    # One policy file's targets, indicators and figures: the guard compares counts, and a refused build of the
    # whole shipped catalogue spends about 4.7 s of processor time rejecting its figures one by one.
    tmp_path = small_project(tmp_path, "miit-mobile-iot-2024.yaml")
    db = tmp_path / "data" / "tracker.duckdb"
    assert run_cli("build", *_locations(tmp_path), "--db", db)[0] == 0
    before = store.built_version(db)
    con = store.connect(db)
    try:
        held = {table: int(store.query(con, f"SELECT count(*) AS n FROM {table}")["n"][0])  # noqa: S608
                for table in ("targets", "indicators")}  # fmt: skip
    finally:
        con.close()
    assert held["targets"] > 1 and held["indicators"] > 1
    indicators = tmp_path / "data" / "indicators.yaml"
    indicators.write_text(re.sub(r"measure: \w+", "measur: x", indicators.read_text(encoding="utf-8"), count=1))
    code, out, err = run_cli("build", *_locations(tmp_path), "--db", db)
    assert code == 1
    assert (
        f"kept the previous database: this build would hold 0 of its {held['targets']} targets" in out
        or f"kept the previous database: this build would hold 0 of its {held['indicators']} indicators" in out
    ), out
    assert "was not replaced" in err
    assert store.built_version(db) == before
    # The observations were loaded into a new file beside it before the guard ran; nothing of it is left.
    assert sorted(p.name for p in db.parent.glob("tracker.duckdb*")) == ["tracker.duckdb"]
    con = store.connect(db)
    try:
        assert store.query(con, "SELECT count(*) AS n FROM targets")["n"][0] == held["targets"]
    finally:
        con.close()


def test_status_csv_with_no_targets(tmp_path, run_cli):
    (tmp_path / "targets").mkdir()
    shutil.copytree(ROOT / "data", tmp_path / "data", ignore=shutil.ignore_patterns("*.duckdb*"))
    code, out, err = run_cli("status", *_locations(tmp_path), "--db", tmp_path / "t.duckdb", "--format", "csv")
    assert code == 0, err
    assert out.startswith("id,") and len(out.splitlines()) == 1


def test_interrupted_and_failing_runs_are_one_line(monkeypatch, built, run_cli):
    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("tracker.catalog.load_catalogue", interrupted)
    line = _one_error_line(*run_cli("validate", *_locations(built)))
    assert line == "error: validate interrupted; nothing was replaced"

    def disk_full(*_args, **_kwargs):
        raise OSError(28, "No space left on device", "data/tracker.duckdb.building")

    monkeypatch.setattr(store, "build", disk_full)
    line = _one_error_line(*run_cli("build", *_locations(built), "--db", built / "data" / "tracker.duckdb"))
    assert line == "error: cannot build: 'data/tracker.duckdb.building': No space left on device"

    def io_error(*_args, **_kwargs):
        raise duckdb.IOException("IO Error: Could not write file: disk full\nmore detail")

    monkeypatch.setattr(store, "build", io_error)
    line = _one_error_line(*run_cli("build", *_locations(built), "--db", built / "data" / "tracker.duckdb"))
    assert line == "error: cannot build: the database reported: IO Error: Could not write file: disk full"


def test_a_database_that_fails_while_status_reads_it_is_one_error_line_without_the_duckdb_package(
    built, run_cli, monkeypatch
):
    """``status`` opens the database with DuckDB's engine alone (tracker/database.py): an error the engine raises
    while it reads (a corrupt file whose record still reads) is one line, as when the duckdb package is loaded."""
    import sys

    from tracker import database
    from tracker.assess import picks

    def corrupt(*_args, **_kwargs):
        raise database.duckdb.Error("Corrupt database file: computed checksum does not match\nmore detail")

    monkeypatch.setattr(picks, "pick_figures", corrupt)
    monkeypatch.delitem(sys.modules, "duckdb")  # as in a status process, where only the engine is imported
    monkeypatch.setenv("TRACKER_STATUS_CACHE", "off")
    code, _, err = run_cli("status", *_locations(built), "--db", built / "data" / "tracker.duckdb")
    assert code == 2 and err == (
        "error: cannot status: the database reported: Corrupt database file: computed checksum does not match\n"
    )


@contextmanager
def _figures_query_busy(monkeypatch, tmp_path):
    """The figures' query of the assessment first reads a named pipe written to only 0.3 s later (without waiting for
    a reader, so that a test that fails before it cannot hang): DuckDB is busy on that query's cursor meanwhile.
    Yields an event set once the query has started."""
    import os
    import threading

    from tracker.assess import queries

    pipe = tmp_path / "slow.csv"
    os.mkfifo(pipe)
    read, reached = queries._series, threading.Event()

    def slow_series(cursor, as_of):
        reached.set()
        cursor.execute(f"SELECT * FROM read_csv('{pipe}')").fetchall()  # blocks inside DuckDB until written
        return read(cursor, as_of)

    def write() -> None:
        with suppress(OSError):  # no reader (the test failed before the query): nothing to free
            fd = os.open(pipe, os.O_WRONLY | os.O_NONBLOCK)
            os.write(fd, b"a\n1\n")
            os.close(fd)

    monkeypatch.setattr(queries, "_series", slow_series)
    writer = threading.Timer(0.3, write)
    writer.start()
    try:
        yield reached
    finally:
        writer.join(timeout=10)


@pytest.mark.parametrize("where", ["pick_figures", "with_nulls"])
def test_an_error_while_the_figures_are_still_read_is_reported_not_the_closing_of_the_connection(
    built, run_cli, monkeypatch, tmp_path, where
):
    """``status`` starts the figures' query on a thread while it imports. An error raised while that query still
    runs (in the assessment as a whole, or while it reads the targets' columns) is the one reported: the query is
    interrupted and its thread waited for before the connection is closed. DuckDB 2.0 refuses to close a
    connection while a cursor of it runs, and that refusal was reported instead, now and then, under load."""
    from tracker import database
    from tracker.assess import picks

    def corrupt(*_args, **_kwargs):
        raise database.duckdb.Error("Corrupt database file: computed checksum does not match")

    monkeypatch.setattr(picks, where, corrupt)
    monkeypatch.setenv("TRACKER_STATUS_CACHE", "off")
    with _figures_query_busy(monkeypatch, tmp_path) as reached:
        code, _, err = run_cli("status", *_locations(built), "--db", built / "data" / "tracker.duckdb")
    assert reached.is_set()  # the error came while the figures' query was running
    assert code == 2 and err == (
        "error: cannot status: the database reported: Corrupt database file: computed checksum does not match\n"
    )


def test_the_assessment_ends_its_figures_query_before_an_error_leaves_it(built, monkeypatch, tmp_path):
    """``assess`` (the dashboard's and the site's) starts its own figures' query: an error while it still runs
    leaves a connection the caller can close at once, and the error is the caller's to see."""
    from tracker import database
    from tracker.assess import assess, picks

    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(picks, "with_nulls", interrupted)
    con = database.connect(built / "data" / "tracker.duckdb", threads=1)
    with _figures_query_busy(monkeypatch, tmp_path) as reached, pytest.raises(KeyboardInterrupt):
        assess(con, date(2026, 11, 30))
    assert reached.is_set()
    con.close()  # DuckDB refused this while the query ran


def _readme_commands() -> dict[str, str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## Command line", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = {}
    for line in block.strip().splitlines():
        match = re.match(r"\.venv/bin/python -m tracker (\w+) (.*?)\s*(#.*)?$", line)
        assert match, line
        commands[match.group(1)] = match.group(2)
    return commands


def test_readme_command_reference_matches_the_parser():
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command")  # noqa: SLF001 - argparse has no public API
    documented = _readme_commands()
    assert sorted(documented) == sorted(subparsers.choices), "every command is in README, and only those"
    docstring = cli.__doc__ or ""
    for name, sub in subparsers.choices.items():
        assert re.search(rf"^  {name}\s", docstring, re.M), f"{name} is listed in the cli.py docstring"
        options = {o for a in sub._actions for o in a.option_strings if o.startswith("--") and a.help != "==SUPPRESS=="}  # noqa: SLF001
        options -= {"--help"}
        written = set(re.findall(r"--[a-z-]+", documented[name]))
        assert written == options, f"{name}: README shows {sorted(written)}, --help has {sorted(options)}"


def test_status_on_a_current_database_loads_neither_the_models_nor_the_loaders(built, run_cli):
    """Start-up is most of what ``status`` costs on a small catalogue: a current database is read
    without importing pydantic, the loaders, openpyxl, plotly or pandas (and pyarrow), nor numpy.ma (which
    DuckDB imports for a fetched column holding a NULL, and numpy for np.unique without options), nor the duckdb
    package's Python layer over its engine (``_duckdb``, tracker/database.py), in every
    format, and without reading the input files. One fresh process runs the three formats one after the other
    (a module none of them imports is absent after all three; a process each cost 0.5 s more apiece). It ends with
    one thread: the threads that opened the database and ran the queries are done, and numpy's OpenBLAS started no
    pool of its own (status does no linear algebra)."""
    import os
    import subprocess
    import sys

    probe = (  # the command may end the process with os._exit: here it raises SystemExit instead, to be caught
        "import os, sys, runpy; os._exit = sys.exit; args = sys.argv[1:]\n"
        "for output in ('csv', 'json', 'table'):\n"
        "    sys.argv = ['tracker', 'status', *args, '--format', output]\n"
        "    try:\n        runpy.run_module('tracker', run_name='__main__')\n"
        "    except SystemExit:\n        pass\n"
        "    print(END, flush=True)\n"
        "print(sorted(m for m in ('pydantic', 'loaders', 'openpyxl', 'plotly', 'tracker.catalog', 'pandas',"
        " 'pyarrow', 'numpy.ma', 'duckdb') if m in sys.modules), file=sys.stderr)\n"
        # A joined thread has finished its work, but the system ends it a moment later: a thread that is done
        # leaves within 2 s; a pool that was started (OpenBLAS's, DuckDB's workers) stays and is counted.
        "import time\nfor _ in range(200):\n"
        "    if len(os.listdir('/proc/self/task')) == 1:\n        break\n    time.sleep(0.01)\n"
        "print('threads', len(os.listdir('/proc/self/task')), file=sys.stderr)"
    )
    end = "-- end of one run --"
    args = [*_locations(built), "--db", str(built / "data" / "tracker.duckdb"), "--as-of", "2026-11-29"]
    code, _, err = run_cli("build", *args[:-2], "--if-stale")  # the database stays current: nothing to build
    assert code == 0, err
    starts = {"csv": "id,kind,status,", "json": '[\n  {\n    "id": ', "table": "target "}
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}  # as most users run it
    done = subprocess.run([sys.executable, "-c", f"END = {end!r}\n{probe}", *args], capture_output=True, text=True,
                          cwd=ROOT, check=True, env=env)  # fmt: skip
    assert done.stderr.strip().splitlines()[-2:] == ["[]", "threads 1"], done.stderr
    outputs = done.stdout.split(f"{end}\n")
    assert len(outputs) == len(starts) + 1 and outputs[-1] == "", done.stdout[-500:]
    for (output, start), written in zip(starts.items(), outputs, strict=False):
        assert written.startswith(start) and "cnc-rate-75-by-2027" in written, output


def test_status_gives_back_the_interpreters_switch_interval(built, run_cli):
    """``status`` asks for short turns of the GIL while it opens the database beside its imports, and gives the
    interpreter's own setting back, in a run that succeeds and in one stopped by a bad --columns."""
    import sys

    args = ["status", *_locations(built), "--db", built / "data" / "tracker.duckdb", "--as-of", "2026-11-29"]
    before = sys.getswitchinterval()
    assert run_cli(*args, "--format", "csv")[0] == 0
    assert sys.getswitchinterval() == before
    assert run_cli(*args, "--format", "csv", "--columns", "id,nonesuch")[0] == 2
    assert sys.getswitchinterval() == before


def test_status_columns_writes_the_fields_asked_for_in_their_order(built, run_cli):
    """``--columns`` keeps the chosen fields of the full CSV and JSON, cell for cell, in the order given."""
    import csv
    import io
    import json

    args = ["status", *_locations(built), "--db", built / "data" / "tracker.duckdb", "--as-of", "2026-11-29"]
    full = list(csv.DictReader(io.StringIO(run_cli(*args, "--format", "csv")[1], newline="")))
    code, out, err = run_cli(*args, "--format", "csv", "--columns", "status,id,explanation")
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert rows[0] == ["status", "id", "explanation"]
    assert rows[1:] == [[r["status"], r["id"], r["explanation"]] for r in full] and len(full) > 50
    assert dict(zip(rows[0], rows[1:][[r[1] for r in rows[1:]].index("cnc-rate-75-by-2027")], strict=True)) == {
        "status": "insufficient_data", "id": "cnc-rate-75-by-2027",
        "explanation": "Only one usable figure so far (55.3% in 2021); a trend towards > 75% by end-2027 needs "
                       "at least two. 7 figures of other coverages are not comparable and not used.",
    }  # fmt: skip
    # A verdict decided by the figure for a passed deadline gives that figure beside the latest one up to the
    # deadline: "achieved" stood beside 80 platforms (2021-03) alone, the 2026-01 "more than 340" left out.
    platforms = next(r for r in full if r["id"] == "influential-industrial-internet-platforms-120-by-2025")
    assert (platforms["status"], platforms["latest_value"], platforms["latest_period"]) == ("achieved", "340.0", "2024")
    assert (platforms["final_value"], platforms["final_period"]) == ("340.0", "2026-01")
    records = json.loads(run_cli(*args, "--format", "json")[1])
    assert next(r for r in records if r["id"] == platforms["id"])["final_period"] == "2026-01"
    chosen = json.loads(run_cli(*args, "--format", "json", "--columns", "id,qualified_points,score")[1])
    assert chosen == [{"id": r["id"], "qualified_points": r["qualified_points"], "score": r["score"]} for r in records]
    assert any(r["qualified_points"] for r in chosen) and list(chosen[0]) == ["id", "qualified_points", "score"]


def test_status_columns_without_the_explanation_never_builds_one(built, run_cli, monkeypatch):
    from tracker.assess import frame

    def no_sentences(*_args, **_kwargs):
        raise AssertionError("an explanation was built")

    monkeypatch.setattr(frame, "explanations", no_sentences)
    args = ["status", *_locations(built), "--db", built / "data" / "tracker.duckdb", "--as-of", "2026-11-29"]
    code, out, err = run_cli(*args, "--format", "csv", "--columns", "id,status,flags")
    assert code == 0, err
    assert "cnc-rate-75-by-2027,insufficient_data," in out and out.startswith("id,status,flags\n")
    with pytest.raises(AssertionError, match="an explanation was built"):  # asked for: built
        run_cli(*args, "--format", "csv", "--columns", "id,explanation")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--columns", "id,stauts"], "error: --columns: no column 'stauts'; choose from id,kind,status,"),
        (["--format", "csv", "--columns", "id,qualified_points"], "no column 'qualified_points' in the CSV"),
        (["--format", "csv", "--columns", "id,status,id"], "error: --columns: 'id' is listed twice"),
        (["--columns", "id,status"], "error: --columns chooses the fields of --format csv or json"),
    ],
)  # fmt: skip
def test_status_columns_mistakes_are_one_line(built, run_cli, options, message):
    fmt = [] if "--format" in options or options == ["--columns", "id,status"] else ["--format", "json"]
    line = _one_error_line(*run_cli("status", *_locations(built), "--db", built / "data" / "tracker.duckdb",
                                    *fmt, *options))  # fmt: skip
    assert line.startswith(message) or message in line, line


def test_status_with_an_output_it_cannot_write_to_is_one_line(built, monkeypatch, capsys):
    """Standard output closed (``>&-``: Python gives None) or in an encoding without Chinese (PYTHONIOENCODING=ascii):
    one error line and exit 2, no traceback."""
    import io

    args = [
        "status",
        *map(str, _locations(built)),
        "--db",
        str(built / "data" / "tracker.duckdb"),
        "--as-of",
        "2026-11-29",
    ]
    monkeypatch.setattr(sys, "stdout", None)
    assert cli.main(args) == 2
    assert capsys.readouterr().err == "error: status has nowhere to write: its standard output is closed\n"
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BytesIO(), encoding="ascii"))
    assert cli.main([*args, "--format", "json"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: cannot status: the output holds characters the output's encoding (ascii) cannot")
    assert err.count("\n") == 1 and "Traceback" not in err


def test_status_as_a_process_writes_its_whole_output_and_exit_code(built, run_cli):
    """``python -m tracker status`` ends its process without the interpreter's teardown: every byte of the
    output is still written, as the command writes it in process, and the exit code is the command's."""
    import subprocess
    import sys

    args = [*_locations(built), "--db", str(built / "data" / "tracker.duckdb"), "--as-of", "2026-11-29"]
    for fmt in ("csv", "json", "table"):
        done = subprocess.run([sys.executable, "-m", "tracker", "status", *args, "--format", fmt], cwd=ROOT,
                              capture_output=True, text=True)  # fmt: skip
        code, out, err = run_cli("status", *args, "--format", fmt)
        assert (done.returncode, done.stdout, done.stderr) == (code, out, err) == (0, out, ""), fmt
        assert "cnc-rate-75-by-2027" in out and len(out) > 5000
    bad = ["--format", "csv", "--columns", "id,nope"]
    done = subprocess.run([sys.executable, "-m", "tracker", "status", *args, *bad], cwd=ROOT, capture_output=True,
                          text=True)  # fmt: skip
    assert done.returncode == 2 and done.stdout == "" and "no column 'nope'" in done.stderr


def test_a_reader_that_stops_early_gets_no_error(built):
    """``tracker status | head -1``: the reader closing the pipe is not the user's mistake, so the
    command stops quietly (exit 141, as a shell reports a command its reader left) with nothing on stderr."""
    import subprocess
    import sys

    args = [*_locations(built), "--db", str(built / "data" / "tracker.duckdb"), "--as-of", "2026-11-29"]
    with subprocess.Popen([sys.executable, "-m", "tracker", "status", *args, "--format", "csv"], cwd=ROOT,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0) as proc:  # fmt: skip
        proc.stdout.close()  # before a byte is read: every write of the command meets a closed pipe
        err = proc.stderr.read().decode()
        code = proc.wait()
    assert err == "" and code == 141, (code, err)


def test_a_build_loads_neither_pandas_nor_numpy_nor_the_assessment(tmp_path):
    """The build checks a target's ``method`` against the registry's names without importing the
    assessment's stages and numpy with them (about 0.3 s of CPU a build), and never needs pandas."""
    import subprocess
    import sys

    project = small_project(tmp_path / "p", "fyp14-outline.yaml")
    assert "method:" in (project / "targets" / "fyp14-outline.yaml").read_text(encoding="utf-8")
    # The command's own entry (``python -m tracker`` ends the process without teardown after a build, so the
    # modules are listed after ``cli.main`` returns instead).
    probe = (
        "import sys\nfrom tracker import cli\nassert cli.main(['build', *sys.argv[1:]]) == 0\n"
        "print(sorted(m for m in ('numpy', 'pandas', 'pyarrow', 'tracker.assess.frame') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe, *_locations(project), "--db", str(tmp_path / "x.duckdb")],
                          capture_output=True, text=True, cwd=ROOT, check=True)  # fmt: skip
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout + done.stderr
