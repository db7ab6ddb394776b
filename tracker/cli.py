"""Command line: ``python -m tracker COMMAND ...``: the parser and the one place failures are reported. The
commands' handlers are in :mod:`tracker.commands` and, for ``status``, :mod:`tracker.status_command`.

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
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from tracker import paths
from tracker.commands import (
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
from tracker.status_command import cmd_status

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
        # DuckDB's engine, or its package over it: imported by the commands that use them, not here (a cached status
        # has neither; a computing one only the engine, tracker/database.py).
        engines = [m for m in (sys.modules.get("_duckdb"), sys.modules.get("duckdb")) if m is not None]
        if not any(isinstance(exc, engine.Error) for engine in engines):
            raise
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        message = f"cannot {args.command}: the database reported: {first}"
    except KeyboardInterrupt:
        message = f"{args.command} interrupted; nothing was replaced"
    print(f"error: {message}", file=sys.stderr)
    return EXIT_USAGE
