"""The status cache (tracker/resultcache.py): a repeated ``tracker status`` is answered with exactly the output
the command would compute, and any change to what that output comes from (an input file, the database, the code,
the date, the options) gives a freshly computed one."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tracker import cli, resultcache, status_command

AS_OF = "2026-11-29"
RUNS = [("--format", "table"), ("--format", "csv"), ("--format", "json"), ("--format", "csv", "--columns", "id,status"),
        ("--format", "json", "--columns", "status,explanation,id")]  # fmt: skip


def _args(project: Path, *options: str) -> list[str]:
    return ["status", "--targets", str(project / "targets"), "--data", str(project / "data"),
            "--db", str(project / "data" / "tracker.duckdb"), *options]  # fmt: skip


@pytest.fixture
def cache_on(monkeypatch):
    """The cache turned on, trusting files changed up to the start of the run (the tests' files are seconds old);
    every change the tests make alters a size or an entry of a folder, so no time stamp decides it."""
    monkeypatch.delenv(resultcache.SWITCH)
    monkeypatch.setattr(resultcache, "SETTLE_NS", 0)


@pytest.fixture
def computed(monkeypatch):
    """How many times ``status`` computed its output (rather than answered from the cache)."""
    calls = []
    work = status_command._print_status  # noqa: SLF001

    def counting(*args, **kwargs):
        calls.append(args)
        return work(*args, **kwargs)

    monkeypatch.setattr(status_command, "_print_status", counting)
    return calls


def _cache_file(project: Path) -> Path:
    return project / "data" / "tracker.duckdb.status"


def test_a_repeated_command_gets_the_computed_output_without_the_work(built_project, run_cli, cache_on, computed,
                                                                      monkeypatch):  # fmt: skip
    for options in RUNS:
        args = _args(built_project, "--as-of", AS_OF, *options)
        first = run_cli(*args)
        assert first[0] == 0 and first[2] == "" and len(first[1]) > 1000, first
        assert len(computed) == 1 and _cache_file(built_project).is_file()
        assert run_cli(*args) == first, options
        assert len(computed) == 1, "the second run was answered from the cache"
        monkeypatch.setenv(resultcache.SWITCH, "off")
        assert run_cli(*args) == first, "the cache gives what the command computes"
        monkeypatch.delenv(resultcache.SWITCH)
        computed.clear()


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as fh:
        fh.write(text)


def test_every_change_to_what_the_output_comes_from_gives_a_fresh_one(built_project, run_cli, cache_on, computed,
                                                                       tmp_path, monkeypatch):  # fmt: skip
    """Each change below gives computed runs (two when the database must be built again first: a run that builds
    is not kept), then the cache answers again."""
    import importlib

    module = tmp_path / "extra_code.py"  # stands for the tracker's code: every loaded module is a dependency
    module.write_text("VALUE = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(sys.modules, "extra_code", importlib.import_module("extra_code"))
    args = _args(built_project, "--format", "csv")
    dated = [*args, "--as-of", AS_OF]
    observations = built_project / "data" / "observations"
    shipped = run_cli(*dated)
    changes = {
        "nothing": (0, lambda: None),
        "the as-of date": (1, lambda: dated.__setitem__(-1, "2024-06-30")),
        "the columns": (1, lambda: dated.extend(["--columns", "id,status"])),
        "a target file": (2, lambda: _append(next((built_project / "targets").glob("*.yaml")), "# a comment\n")),
        "the indicators": (2, lambda: _append(built_project / "data" / "indicators.yaml", "# a comment\n")),
        "a new file in the observations": (1, lambda: (observations / "notes.txt").write_text("x\n", encoding="utf-8")),
        "a file gone from the observations": (1, lambda: (observations / "notes.txt").unlink()),
        "the database replaced": (1, lambda: run_cli("build", *args[1:7])),
        "code": (1, lambda: _append(module, "# changed\n")),
    }
    for change, (runs, make) in changes.items():
        make()
        before = len(computed)
        outputs = [run_cli(*dated) for _ in range(runs + 1)]
        assert len(computed) == before + runs, change
        assert outputs[0][0] == 0 and outputs.count(outputs[0]) == len(outputs), change
    assert run_cli(*args, "--as-of", AS_OF)[1] == shipped[1], "comments and a stray file change no status"


def test_a_run_that_builds_or_warns_is_not_kept(built_project, run_cli, cache_on, computed, monkeypatch):
    _append(next((built_project / "targets").glob("*.yaml")), "# a comment\n")  # the database is stale: built again
    args = _args(built_project, "--as-of", AS_OF, "--format", "csv")
    assert run_cli(*args)[0] == 0
    assert not _cache_file(built_project).exists()
    targets = sorted((built_project / "targets").glob("*.yaml"))
    for path in targets[1:]:  # a build that would drop most targets keeps the database, and every run says so
        path.write_text("targets: [", encoding="utf-8")
    runs = [run_cli(*args) for _ in range(2)]
    assert runs[0] == runs[1] and "warning: the database was rebuilt with problems" in runs[0][2], runs[0][2]
    assert not _cache_file(built_project).exists() and len(computed) == 3
    for path in targets[1:]:
        path.unlink()
    from tracker.assess import frame

    assess = frame.assess_columns

    def warning(*args, **kwargs):
        import warnings

        warnings.warn("a warning of the run", UserWarning, stacklevel=1)
        return assess(*args, **kwargs)

    monkeypatch.setattr(frame, "assess_columns", warning)
    with pytest.warns(UserWarning, match="a warning of the run"):  # shown (here, to pytest's record of warnings)
        assert run_cli(*args)[0] == 0
    assert not _cache_file(built_project).exists(), "the cached answer would not warn"


def test_files_changed_just_before_the_run_are_not_trusted(built_project, run_cli, monkeypatch):
    """The project was copied a moment ago: a second change within the file system's clock step could keep a file's
    size and time stamp, so nothing is kept until every file is SETTLE_NS old."""
    monkeypatch.delenv(resultcache.SWITCH)
    assert resultcache.SETTLE_NS >= 1_000_000_000
    assert run_cli(*_args(built_project, "--as-of", AS_OF))[0] == 0
    assert not _cache_file(built_project).exists()


def test_a_damaged_or_unwritable_cache_is_no_error(built_project, run_cli, cache_on, computed, monkeypatch):
    args = _args(built_project, "--as-of", AS_OF, "--format", "json")
    monkeypatch.setenv(resultcache.SWITCH, "off")
    expected = run_cli(*args)
    monkeypatch.delenv(resultcache.SWITCH)
    cache = _cache_file(built_project)
    assert run_cli(*args) == expected and len(computed) == 2
    entry = cache.read_bytes()
    magic, count, rest = entry.split(b"\0", 2)
    not_ours = (b"\xff\xfe not text", b"\x00\x00\x00", b"1\x00-1\x00", b"someone's notes")
    ours = (
        b"",
        entry[:-3000],  # cut short (a crash while writing): its length and digest disagree
        entry[:-1] + (b"X" if entry[-1:] != b"X" else b"Y"),  # one character of the output changed
        b"\0".join([magic, str(int(count) - 1).encode(), rest]),  # one field fewer than the count says
        b"\0".join([magic, str(int(count) + 1).encode(), rest]),
        magic + b"\x009\x00short",
    )
    for damaged in not_ours + ours:
        cache.write_bytes(damaged)
        assert run_cli(*args) == expected, damaged
        if damaged in not_ours:  # a file the cache did not write is left as it is
            assert cache.read_bytes() == damaged
        else:
            assert cache.read_bytes() == entry, "replaced by a whole entry"
    assert len(computed) == 2 + len(not_ours) + len(ours)
    cache.write_bytes(entry)
    assert run_cli(*args) == expected and len(computed) == 2 + len(not_ours) + len(ours), "a whole entry is read"
    cache.unlink()
    cache.mkdir()  # neither readable nor replaceable as a file
    assert run_cli(*args) == expected == run_cli(*args)
    assert not list(cache.parent.glob("*.tmp")), "no half-written file is left"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX only")
def test_a_cache_that_is_a_link_or_a_pipe_is_neither_followed_nor_waited_on(built_project, run_cli, cache_on,
                                                                           computed, tmp_path):  # fmt: skip
    args = _args(built_project, "--as-of", AS_OF, "--format", "csv")
    expected = run_cli(*args)
    entry = _cache_file(built_project).read_bytes()
    outside = tmp_path / "outside.txt"
    for make in ("fifo", "link to an entry", "link to another file", "link from the temporary name"):
        cache = _cache_file(built_project)
        cache.unlink(missing_ok=True)
        outside.write_bytes(entry if make == "link to an entry" else b"precious")
        if make == "fifo":
            os.mkfifo(cache)
        elif make.startswith("link to"):
            cache.symlink_to(outside)
        else:  # a link planted where the next run writes its new entry
            Path(f"{cache}.{os.getpid()}.tmp").symlink_to(outside)
        before = len(computed)
        assert run_cli(*args) == expected, make
        assert len(computed) == before + 1, f"{make}: computed, not read"
        if make != "link to an entry":
            assert outside.read_bytes() == b"precious", f"{make}: the file outside was not written"
        Path(f"{cache}.{os.getpid()}.tmp").unlink(missing_ok=True)
        cache.unlink(missing_ok=True)


def test_a_new_module_beside_the_command_is_a_change(built_project, run_cli, cache_on, computed, monkeypatch,
                                                    tmp_path):  # fmt: skip
    """A file added to a folder Python finds modules in (a script named like a module the command imports)
    changes what the command would do: it is computed again."""
    folder = tmp_path / "modules"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    args = _args(built_project, "--as-of", AS_OF, "--format", "csv")
    first = run_cli(*args)
    assert run_cli(*args) == first and len(computed) == 1
    (folder / "scratch_module.py").write_text("")
    assert run_cli(*args) == first and len(computed) == 2


@pytest.mark.parametrize("value", ["off", "OFF", "0", "false", "no"])
def test_the_cache_turns_off_with_any_usual_no(built_project, monkeypatch, value):
    monkeypatch.setenv(resultcache.SWITCH, value)
    args = cli.build_parser().parse_args(_args(built_project, "--as-of", AS_OF))
    assert resultcache.StatusCache.for_status(args, date(2026, 11, 29)) is None


def test_with_the_cache_off_nothing_is_read_or_written(built_project, run_cli, cache_on, computed, monkeypatch):
    args = _args(built_project, "--as-of", AS_OF, "--format", "csv")
    first = run_cli(*args)
    kept = _cache_file(built_project).read_bytes()
    monkeypatch.setenv(resultcache.SWITCH, "off")
    assert run_cli(*args) == first and len(computed) == 2
    sorted((built_project / "data" / "observations").glob("*.csv"))[0].unlink()
    fewer = run_cli(*args)
    assert fewer[0] == 0 and fewer[1] != first[1], "computed, not read from the cache"
    assert _cache_file(built_project).read_bytes() == kept, "nor written"
    monkeypatch.delenv(resultcache.SWITCH)
    assert run_cli(*args)[1] == fewer[1]


def test_an_answer_from_the_cache_loads_neither_duckdb_nor_numpy(built_project):
    """As a process (``python -m tracker status``, twice): the second is the first's output, byte for byte, with
    nothing on stderr and exit code 0, and it imports neither DuckDB, numpy nor the assessment."""
    env = {k: v for k, v in os.environ.items() if k != resultcache.SWITCH}
    args = [sys.executable, "-m", "tracker", *_args(built_project, "--as-of", AS_OF, "--format", "csv")]
    newest = max(max(p.stat().st_mtime_ns, p.stat().st_ctime_ns) for p in built_project.rglob("*"))
    time.sleep(max(0, newest + resultcache.SETTLE_NS - time.time_ns()) / 1e9 + 0.05)  # the files settle
    first = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, env=env)
    assert (first.returncode, first.stderr) == (0, "") and "cnc-rate-75-by-2027" in first.stdout
    assert _cache_file(built_project).is_file()
    again = subprocess.run([sys.executable, "-X", "importtime", *args[1:]], capture_output=True, text=True, cwd=ROOT,
                           env=env)  # fmt: skip
    imported = {line.rsplit("|", 1)[-1].strip() for line in again.stderr.splitlines() if line.startswith("import time")}
    assert again.returncode == 0 and again.stdout == first.stdout
    assert [line for line in again.stderr.splitlines() if not line.startswith("import time")] == []
    assert {"tracker.cli", "tracker.resultcache"} <= imported
    assert not imported & {"duckdb", "numpy", "tracker.assess", "tracker.database"}, sorted(imported)


def test_the_key_holds_every_option_of_status():
    """An option of ``status`` added to the parser is part of the key without the cache naming it."""
    parser = cli.build_parser()
    status = next(a for a in parser._actions if a.dest == "command").choices["status"]  # noqa: SLF001
    dests = {a.dest for a in status._actions if a.dest != "help"}  # noqa: SLF001
    args = parser.parse_args(["status", "--as-of", AS_OF, "--format", "csv", "--columns", "id,status"])
    key = resultcache.StatusCache(args, date(2026, 11, 29)).key
    assert {d for d in dests if any(k.startswith(f"{d}=") for k in key)} == dests
    assert f"db={os.path.abspath(args.db)}" in key and "columns=['id', 'status']" in key
    args.extra = "value"  # as if the parser had one more option
    assert "extra='value'" in resultcache.StatusCache(args, date(2026, 11, 29)).key


def test_an_output_longer_than_the_cache_keeps_is_written_whole_and_not_kept(built_project, run_cli, cache_on,
                                                                            computed, monkeypatch):  # fmt: skip
    """Over MAX_CHARS the output is still written whole, but neither held nor stored: the next run computes."""
    args = _args(built_project, "--as-of", AS_OF, "--format", "json")
    monkeypatch.setenv(resultcache.SWITCH, "off")
    expected = run_cli(*args)
    monkeypatch.delenv(resultcache.SWITCH)
    monkeypatch.setattr(resultcache, "MAX_CHARS", len(expected[1]) - 1)
    assert run_cli(*args) == expected == run_cli(*args)
    assert len(computed) == 3 and not _cache_file(built_project).exists()
    monkeypatch.setattr(resultcache, "MAX_CHARS", len(expected[1]))  # exactly as long: kept
    assert run_cli(*args) == expected == run_cli(*args) and len(computed) == 4
