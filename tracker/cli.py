"""Command line: ``python -m tracker COMMAND ...``: the parser, ``status`` and the one place failures are
reported. The other commands' handlers are in :mod:`tracker.commands`.

Commands:
  validate  check target, indicator and observation files; report every problem
  build     load targets and observations into the DuckDB database (atomic)
  import    turn a CSV, Excel or JSON file into a canonical observation CSV
  status    assess every target: status, score, projection, explanation
  diff      Markdown report of what changed between two git revisions
  report    write the static site: pages in English and Chinese, open data, a feed
  schema    regenerate (or check) the JSON Schemas

Exit codes: 0 when all is well, 1 when a file has a problem, 2 on bad usage or
when the command cannot run (a missing or unwritable path, a bad git revision, an
interrupted run); every expected failure is one line on stderr, never a traceback. A reader
that stops early (`tracker status | head`) ends the command quietly with 141.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from tracker import paths
from tracker.commands import (
    EXIT_OK,
    EXIT_PIPE,
    EXIT_USAGE,
    UsageError,
    cmd_build,
    cmd_diff,
    cmd_import,
    cmd_report,
    cmd_schema,
    cmd_validate,
)
from tracker.git import GitError
from tracker.outputs import OutputError
from tracker.paths import display_path

if TYPE_CHECKING:
    import duckdb

    from tracker.assess.queries import Background, Fetch

# Each command imports what it needs when it runs: ``status`` on a small catalogue spends most of its
# time starting up, and should not load the catalogue's models, the loaders or the site's code.

ends_without_teardown = False
"""Set by a command after which ``python -m tracker`` may end the process without freeing its objects one by one
(``tracker/__main__.py``): one that leaves no file, thread, child or connection open."""


def _folder(value: str) -> Path:
    path = Path(value)
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"'{value}' is not a folder")
    return path


def _add_location_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--targets", type=_folder, default=paths.TARGETS_DIR, metavar="DIR", help="folder of target files"
    )
    parser.add_argument(
        "--data", type=_folder, default=paths.DATA_DIR, metavar="DIR", help="folder with indicators.yaml"
    )


def _date(value: str) -> date:
    from tracker.periods import PeriodError, parse_date  # only when a date is given (re and its patterns otherwise)

    try:
        return parse_date(value)
    except PeriodError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _names(value: str) -> list[str]:
    """A comma-separated list of names, as given to --columns (checked against the format's fields later)."""
    names = [name.strip() for name in value.split(",")]
    if not all(names):
        raise argparse.ArgumentTypeError(f"'{value}' has an empty name; give names separated by commas, e.g. id,status")
    return names


def _base_url(value: str) -> str:
    """The published site's address, as given to --base-url: http(s), ending in '/'."""
    from tracker.escape import is_http_url

    if not is_http_url(value):
        raise argparse.ArgumentTypeError(
            f"'{value}' is not an http(s) address; give where the site is published, e.g. https://org.github.io/repo/"
        )
    return value.rstrip("/") + "/"  # as tracker.paths.site_url reads TRACKER_SITE_URL


def cmd_status(args: argparse.Namespace) -> int:
    import gc

    from tracker.resultcache import MAX_CHARS, StatusCache, warnings_shown

    global ends_without_teardown  # noqa: PLW0603 (read once by tracker/__main__.py, after the command)

    as_of = args.as_of or date.today()
    cache = StatusCache.for_status(args, as_of)
    cached = None if cache is None else cache.lookup()
    if cached is not None:  # the same options and date, and not one file it came from changed: no DuckDB, no numpy
        sys.stdout.write(cached)
        ends_without_teardown = True
        return EXIT_OK
    # A short run that makes a few small containers per target, none of them garbage to collect: the cyclic
    # collector would only walk them again and again (about a tenth of the CPU at 100,000 targets).
    collecting = gc.isenabled()
    gc.disable()
    try:
        with warnings_shown() as warned:
            written = _print_status(args, as_of, 0 if cache is None else MAX_CHARS)
        if cache is not None and written is not None and not warned:  # its whole effect is what it wrote
            cache.store(written)
        ends_without_teardown = True
        return EXIT_OK
    finally:
        if collecting:
            gc.enable()


def _status_fields(args: argparse.Namespace) -> tuple[str, ...]:
    """The fields --columns asks for (all of the format's by default), checked before any work is done."""
    from tracker.assess import JSON_FIELDS, RECORD_FIELDS

    fields = RECORD_FIELDS if args.format == "csv" else JSON_FIELDS
    if args.columns is None:
        return fields
    if args.format == "table":
        raise UsageError("--columns chooses the fields of --format csv or json; the table's columns are fixed")
    for name in args.columns:
        if name not in fields:
            where = " in the CSV (it is a list: --format json only)" if name in JSON_FIELDS else ""
            raise UsageError(f"--columns: no column '{name}'{where}; choose from {','.join(fields)}")
        if args.columns.count(name) > 1:
            raise UsageError(f"--columns: '{name}' is listed twice")
    return tuple(args.columns)


IN_TWO_FROM = 20_000
"""From this many targets ``status --format csv|json`` writes the second half of the rows in a forked copy of itself
while it writes the first (about 0.2 s of sentences and cells at 20,000 targets, 1.2 s at 100,000, on two cores),
below it all in the same process (a fork costs more than it saves)."""


def _print_status(args: argparse.Namespace, as_of: date, keep: int) -> str | None:
    """Assess and write; what was written when it is at most ``keep`` characters long (the most the cache stores),
    or None when it is longer or the database had to be built first (and the run's effect is more than its output).
    A longer output is not held: at 100,000 targets the full CSV is tens of megabytes."""
    # DuckDB first, before the thread that opens the database: imported there, its Python modules would hold the GIL
    # against the imports beside it, where DuckDB's own work does not.
    import duckdb  # noqa: F401

    from tracker.database import connect_current

    fields, con, started = _open_while_importing(args, as_of)
    from tracker.assess import status_table
    from tracker.assess.columns import row_count
    from tracker.assess.frame import assess_columns
    from tracker.assess.output import texts_in_two
    from tracker.assess.picks import pick_figures
    from tracker.assess.queries import Background

    report = None
    if con is None:  # missing, unreadable or maybe stale: hashed, and built if it is, here
        con, report = connect_current(args.targets, args.data, args.db, threads=1)
    try:
        if report is not None and not report.ok:
            left_out = ", ".join(display_path(p) for p in report.left_out)
            print(
                f"warning: the database was rebuilt with problems; left out: {left_out or 'nothing'} "
                "(run 'python -m tracker validate' for details)",
                file=sys.stderr,
            )
        figures = pick_figures(con, as_of, started)
    except BaseException:
        con.close()
        raise
    # Every figure is read: closing frees DuckDB's catalogue (a few milliseconds, without the GIL) on a thread of its
    # own while the rule is applied and the output written, done before a copy of the process is forked (no thread
    # runs then) and before the end.
    closing = Background(con.close)
    try:
        # Every format shows the English sentence only, and only when asked for (most of the per-target work);
        # columns, not a DataFrame: status imports no pandas. The CSV and JSON write each row's sentence as they
        # write the row (of many targets, half of them in a forked copy).
        languages = ("en",) if "explanation" in fields or args.format == "table" else ()
        assessed = assess_columns(figures, as_of, languages, args.format != "table")
        if args.format == "table":
            texts = [status_table(assessed), "\n"]
        else:
            if row_count(assessed) >= IN_TWO_FROM:
                closing.result()
            texts = texts_in_two(assessed, fields, args.format, IN_TWO_FROM)
        if args.format == "json":
            texts = itertools.chain(texts, ["\n"])  # still one piece after the other, as the copy's part comes
        written: list[str] = []
        length = 0
        for text in texts:
            sys.stdout.write(text)
            length += len(text)
            if length <= keep:
                written.append(text)
        return "".join(written) if report is None and length <= keep else None
    finally:
        closing.result()


HANDOFF_SECONDS = 0.0005
"""How long a thread waiting for the GIL waits before it asks for it while the database opens beside the imports
(Python's default is 5 ms: the opening thread waited that long after each call into DuckDB and each ``stat``)."""


def _open_while_importing(
    args: argparse.Namespace, as_of: date
) -> tuple[tuple[str, ...], duckdb.DuckDBPyConnection | None, Fetch | None]:
    """The fields asked for, and a connection to the database with the assessment's queries started on it, or (None,
    None) when the database may be stale. The database is opened and both queries started on a thread of their own
    while this one imports numpy and the assessment's stages: on the shipped data each is about a third of what the
    command adds to ``import duckdb``, and on two cores they overlap. One DuckDB thread a query: the queries run at
    once on two threads of their own, and DuckDB's workers only cost a small catalogue their start and hand-offs."""
    from tracker.assess.queries import Background

    # numpy's OpenBLAS starts a pool of threads (one a core) when it is loaded; status does no linear algebra, and
    # on two cores the pool's start took about as much processor time as the rest of numpy's import. Set before
    # numpy is imported (below); a value the user set is kept.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    switching = sys.getswitchinterval()
    sys.setswitchinterval(HANDOFF_SECONDS)
    try:
        opening = Background(_open_if_current, args, as_of)
        try:
            fields = _status_fields(args)
            from tracker.assess import frame, output, picks  # noqa: F401 (imported now, while the database opens)
        except BaseException:
            _abandon(opening)
            raise
        return (fields, *opening.result())
    finally:
        sys.setswitchinterval(switching)


def _open_if_current(args: argparse.Namespace, as_of: date) -> tuple[duckdb.DuckDBPyConnection | None, Fetch | None]:
    """A connection to the database and the assessment's queries started on it, if it is current; else (None, None)."""
    from tracker.assess.queries import Fetch
    from tracker.database import connect_if_current

    con = connect_if_current(args.targets, args.data, args.db, threads=1)
    if con is None:
        return None, None
    try:
        return con, Fetch(con, as_of)
    except BaseException:
        con.close()
        raise


def _abandon(opening: Background[tuple[duckdb.DuckDBPyConnection | None, Fetch | None]]) -> None:
    """Wait for the opening of the database and close it, when the command stops before it reads it."""
    try:
        con, started = opening.result()
    except Exception:  # noqa: BLE001, S110 (the error that stopped the command is the one reported)
        return
    if started is not None:
        started.wait()
    if con is not None:
        con.close()


def _add_database_args(parser: argparse.ArgumentParser, help_text: str = "database file") -> None:
    """--targets, --data and --db: the files a database is built from, and the database."""
    _add_location_args(parser)
    parser.add_argument("--db", type=Path, default=paths.DB_PATH, metavar="PATH", help=help_text)


def _add_validate(commands: argparse._SubParsersAction) -> None:
    validate = commands.add_parser("validate", help="check target, indicator and observation files")
    _add_location_args(validate)
    validate.add_argument(
        "--format", choices=("text", "github"), default="text",
        help="github: workflow commands that GitHub Actions shows as annotations on the lines concerned",
    )  # fmt: skip
    validate.set_defaults(func=cmd_validate)


def _add_build(commands: argparse._SubParsersAction) -> None:
    build_cmd = commands.add_parser("build", help="load targets and observations into the DuckDB database")
    _add_database_args(build_cmd, "database file to write")
    build_cmd.add_argument("--if-stale", action="store_true", help="only build when the files changed since")
    build_cmd.set_defaults(func=cmd_build)


def _add_import(commands: argparse._SubParsersAction) -> None:
    imp = commands.add_parser("import", help="turn a CSV, Excel or JSON file into a canonical observation CSV")
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument("--indicator", metavar="ID", help="indicator for rows whose indicator column is empty or missing")
    imp.add_argument("--data", type=_folder, default=paths.DATA_DIR, metavar="DIR", help="folder with indicators.yaml")
    imp.add_argument("--targets", type=_folder, default=None, metavar="DIR", help=argparse.SUPPRESS)
    imp.add_argument("--out", type=Path, metavar="PATH", help="where to write (default data/observations/NAME.csv)")
    imp.add_argument("--force", action="store_true", help="replace the output file if it exists")
    imp.set_defaults(func=cmd_import)


def _add_status(commands: argparse._SubParsersAction) -> None:
    status = commands.add_parser("status", help="assess every target: status, score, projection, explanation")
    _add_database_args(status)
    status.add_argument(
        "--as-of", type=_date, default=None, metavar="DATE", help="judge deadlines on this date (default today)"
    )
    status.add_argument("--format", choices=("table", "csv", "json"), default="table")
    status.add_argument(
        "--columns", type=_names, default=None, metavar="LIST",
        help="csv and json: only these fields, comma-separated, in this order (e.g. id,status); "
             "the explanation is written only when asked for (default: every field)",
    )  # fmt: skip
    status.set_defaults(func=cmd_status)


def _add_diff(commands: argparse._SubParsersAction) -> None:
    diff_cmd = commands.add_parser("diff", help="Markdown report of what changed in targets and data between revisions")
    diff_cmd.add_argument("base", metavar="BASE", help="git revision to compare from (e.g. origin/main)")
    diff_cmd.add_argument("head", metavar="HEAD", nargs="?", default=None, help="git revision (default: working tree)")
    diff_cmd.add_argument("--repo", type=_folder, default=paths.ROOT, metavar="DIR", help="the git checkout")
    diff_cmd.add_argument("--as-of", type=_date, default=None, metavar="DATE", help="judge statuses on this date")
    diff_cmd.add_argument(
        "--max-chars", type=int, default=None, metavar="N",
        help="summarise a longer report to fit N characters (a GitHub comment holds 65,536)",
    )  # fmt: skip
    diff_cmd.set_defaults(func=cmd_diff)


def _add_report(commands: argparse._SubParsersAction) -> None:
    report_cmd = commands.add_parser(
        "report", help="write the static site (pages in English and Chinese, open data, Atom feed)"
    )
    _add_database_args(report_cmd)
    report_cmd.add_argument("--out", type=Path, required=True, metavar="DIR",
                            help="folder for the site (new, empty, or an earlier site)")  # fmt: skip
    report_cmd.add_argument("--previous", type=_folder, metavar="DIR",
                            help="folder with the published site's data/statuses.json and data/changes.json, "
                                 "for the feed of status changes (default: the earlier site in --out)")  # fmt: skip
    report_cmd.add_argument("--as-of", type=_date, default=None, metavar="DATE", help="assess as of this date")
    report_cmd.add_argument("--base-url", type=_base_url, default=None, metavar="URL",
                            help="where the site is published, for each page's address in link previews")  # fmt: skip
    report_cmd.set_defaults(func=cmd_report)


def _add_schema(commands: argparse._SubParsersAction) -> None:
    schema = commands.add_parser("schema", help="regenerate the JSON Schemas from the models")
    _add_location_args(schema)
    schema.add_argument("--check", action="store_true", help="only report schemas that are out of date")
    schema.set_defaults(func=cmd_schema)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tracker", description="Policy target tracker: check, build and assess targets."
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for add in (_add_validate, _add_build, _add_import, _add_status, _add_diff, _add_report, _add_schema):
        add(commands)
    return parser


def _os_message(exc: OSError) -> str:
    where = f"'{exc.filename}': " if exc.filename else ""
    return f"{where}{exc.strerror or type(exc).__name__}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    if sys.stdout is None:  # started with its standard output closed (`tracker status >&-`)
        if sys.stderr is not None:
            print(f"error: {args.command} has nowhere to write: its standard output is closed", file=sys.stderr)
        return EXIT_USAGE
    try:
        code = args.func(args)
        sys.stdout.flush()  # here, not at exit, so that a closed pipe is caught below
        return code
    except (UsageError, OutputError, GitError) as exc:
        message = str(exc)
    except UnicodeEncodeError as exc:  # PYTHONIOENCODING=ascii, or a terminal set to a narrow character set
        message = (f"cannot {args.command}: the output holds characters the output's encoding ({exc.encoding}) "
                   "cannot write; set PYTHONIOENCODING=utf-8")  # fmt: skip
    except BrokenPipeError:  # the reader stopped early (`tracker status | head`): nothing is wrong
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit's flush stays quiet
        return EXIT_PIPE
    except OSError as exc:  # unreadable input, read-only folder, full disk: the old database is kept
        message = f"cannot {args.command}: {_os_message(exc)}"
    except Exception as exc:  # a DuckDB error: the database cannot be written or read (disk full, another writer)
        duckdb = sys.modules.get("duckdb")  # imported by the commands that use it, not here (a cached status has none)
        if duckdb is None or not isinstance(exc, duckdb.Error):
            raise
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        message = f"cannot {args.command}: the database reported: {first}"
    except KeyboardInterrupt:
        message = f"{args.command} interrupted; nothing was replaced"
    print(f"error: {message}", file=sys.stderr)
    return EXIT_USAGE
