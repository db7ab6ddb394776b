"""The handlers of the commands that read and write the project's files: validate, build, import, diff,
report and schema (``tracker status``'s is in :mod:`tracker.status_command`, the parser in :mod:`tracker.cli`).
Each imports what it needs when it runs, so that a command does not pay for another's modules; each returns an
exit code, and raises :class:`UsageError` (or an ``OSError``) for a failure that :func:`tracker.cli.main` reports
in one line."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from tracker import paths
from tracker.paths import display_path

if TYPE_CHECKING:
    from tracker.store import BuildReport

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
EXIT_PIPE = 141  # 128 + SIGPIPE: what a shell reports for a command whose reader went away


class UsageError(Exception):
    """Bad command-line input: reported on stderr with exit code 2."""


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def cmd_validate(args: argparse.Namespace) -> int:
    from tracker.catalog import load_catalogue
    from tracker.observations import check_observation_files

    catalogue = load_catalogue(args.targets, args.data)
    outcomes = check_observation_files(args.data, catalogue.indicators)
    problems = list(catalogue.problems) + [p for o in outcomes for p in o.problems]
    for problem in problems:
        print(problem.github() if args.format == "github" else problem)
    errors = sum(1 for p in problems if p.is_error)
    warnings = len(problems) - errors
    rows = sum(o.rows_loaded for o in outcomes)
    summary = (
        f"{_plural(len(catalogue.targets), 'target')} in {_plural(len(catalogue.policies), 'policy file')}, "
        f"{_plural(len(catalogue.indicators), 'indicator')}, "
        f"{_plural(rows, 'observation')} in {_plural(sum(o.loaded for o in outcomes), 'file')}"
    )
    if errors:
        skipped = list(catalogue.skipped_files) + [o.path for o in outcomes if not o.loaded]
        left_out = ", ".join(display_path(p) for p in skipped)
        print(f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}; valid: {summary}", file=sys.stderr)
        if left_out:
            print(f"left out: {left_out}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"ok: {summary}" + (f" ({_plural(warnings, 'warning')})" if warnings else ""), file=sys.stderr)
    return EXIT_OK


def _print_report(report: BuildReport) -> int:
    for problem in report.problems:
        print(problem)
    if report.kept_old:
        print(f"{display_path(report.db_path)} was not replaced", file=sys.stderr)
        return EXIT_PROBLEMS
    c = report.counts
    print(
        f"built {display_path(report.db_path)}: {_plural(c['targets'], 'target')}, "
        f"{_plural(c['indicators'], 'indicator')}, {_plural(c['observations'], 'observation')} "
        f"from {_plural(c['observation_files'], 'file')} (data version {report.data_version})",
        file=sys.stderr,
    )
    if report.left_out:
        print(f"left out: {', '.join(display_path(p) for p in report.left_out)}", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK if report.ok else EXIT_PROBLEMS


def cmd_build(args: argparse.Namespace) -> int:
    from tracker.store import build, is_stale

    if args.if_stale and not is_stale(args.targets, args.data, args.db):
        print(f"{display_path(args.db)} is up to date", file=sys.stderr)
        return EXIT_OK
    code = _print_report(build(args.targets, args.data, args.db))
    from tracker import cli

    # The build leaves no thread, connection or file open. The interpreter's shutdown after it (cycle collections
    # over every module's objects: pydantic's schemas, DuckDB's, about 300 modules) took about 90 ms of CPU at
    # the end, on one core (perf, docs/benchmarks-log.md).
    cli.ends_without_teardown = True
    return code


def cmd_import(args: argparse.Namespace) -> int:
    from loaders import load_file
    from loaders.export import write_canonical_csv
    from tracker.catalog import load_catalogue
    from tracker.observations import OBSERVATIONS_DIR

    catalogue = load_catalogue(paths.TARGETS_DIR if args.targets is None else args.targets, args.data)
    if args.indicator and args.indicator not in catalogue.indicators:
        raise UsageError(f"unknown indicator '{args.indicator}'; see {display_path(args.data / 'indicators.yaml')}")
    source: Path = args.file
    if not source.is_file():
        raise UsageError(f"'{source}' is not a file")
    out: Path = args.out or (args.data / OBSERVATIONS_DIR / f"{source.stem}.csv")
    if out.is_symlink() or (out.exists() and not out.is_file()):
        raise UsageError(f"'{out}' exists and is not a regular file; it is left alone (choose another --out)")
    if args.out is not None and not out.parent.is_dir():
        raise UsageError(f"the folder '{out.parent}' does not exist; create it first")
    if out.exists() and not args.force:
        print(f"{display_path(out)}: error: already exists; choose another name with --out, or --force to replace it")
        return EXIT_PROBLEMS
    result = load_file(source, catalogue.indicators, args.indicator)
    for problem in result.problems:
        print(problem)
    if not result.ok:
        print(f"nothing written: fix the problems above in {display_path(source)}", file=sys.stderr)
        return EXIT_PROBLEMS
    written = write_canonical_csv(result, out)
    print(f"wrote {_plural(written, 'row')} to {display_path(out)}", file=sys.stderr)
    return EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    from tracker.diff import diff

    text, _ = diff(args.repo, args.base, args.head, args.as_of or date.today(), args.max_chars)
    sys.stdout.write(text)
    return EXIT_OK


def _check_report_folder(out: Path) -> None:
    """The report goes to an absent folder, an empty one, or one holding an earlier report."""
    from tracker.report import is_report_folder

    if out.exists() and not out.is_dir():
        raise UsageError(f"--out '{out}' is a file; give a folder for index.html")
    for parent in out.parents:
        if parent.exists() and not parent.is_dir():
            raise UsageError(f"--out '{out}': '{parent}' is a file, not a folder")
    if out.is_dir() and any(out.iterdir()) and not is_report_folder(out):
        raise UsageError(f"--out '{out}' holds other files; give a new or empty folder, or one with an earlier report")


def cmd_report(args: argparse.Namespace) -> int:
    from tracker.report import write_report
    from tracker.store import connect, ensure_built

    _check_report_folder(args.out)
    ensure_built(args.targets, args.data, args.db)
    con = connect(args.db)
    try:
        path = write_report(con, args.out, args.as_of, args.previous, base_url=args.base_url or "")
    finally:
        con.close()
    print(f"wrote {display_path(path)}", file=sys.stderr)
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from tracker.problems import error
    from tracker.schema import stale_schemas, write_schemas

    if args.check:
        stale = stale_schemas(args.targets, args.data)
        for path in stale:
            print(error(path, 0, 0, "out of date; run 'python -m tracker schema' to regenerate it"))
        return EXIT_PROBLEMS if stale else EXIT_OK
    for path in write_schemas(args.targets, args.data):
        print(f"wrote {display_path(path)}")
    return EXIT_OK
