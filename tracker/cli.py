"""Command line: ``python -m tracker validate|schema ...``.

Exit codes: 0 when all is well, 1 when a file has a problem, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from tracker import paths
from tracker.catalog import load_catalogue
from tracker.problems import display_path
from tracker.schema import stale_schemas, write_schemas

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad command-line input: reported on stderr with exit code 2."""


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


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def cmd_validate(args: argparse.Namespace) -> int:
    catalogue = load_catalogue(args.targets, args.data)
    for problem in catalogue.problems:
        print(problem)
    errors = len(catalogue.errors)
    warnings = len(catalogue.problems) - errors
    summary = (
        f"{_plural(len(catalogue.targets), 'target')} in {_plural(len(catalogue.policies), 'policy file')}, "
        f"{_plural(len(catalogue.indicators), 'indicator')}"
    )
    if errors:
        left_out = ", ".join(display_path(p) for p in catalogue.skipped_files)
        print(f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}; valid: {summary}", file=sys.stderr)
        if left_out:
            print(f"left out: {left_out}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"ok: {summary}" + (f" ({_plural(warnings, 'warning')})" if warnings else ""), file=sys.stderr)
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    if args.check:
        stale = stale_schemas(args.targets, args.data)
        for path in stale:
            print(f"{display_path(path)}: error: out of date; run 'python -m tracker schema' to regenerate it")
        return EXIT_PROBLEMS if stale else EXIT_OK
    for path in write_schemas(args.targets, args.data):
        print(f"wrote {display_path(path)}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tracker", description="Policy target tracker: check, build and assess targets."
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    validate = commands.add_parser("validate", help="check target, indicator and observation files")
    _add_location_args(validate)
    validate.set_defaults(func=cmd_validate)

    schema = commands.add_parser("schema", help="regenerate the JSON Schemas from the models")
    _add_location_args(schema)
    schema.add_argument("--check", action="store_true", help="only report schemas that are out of date")
    schema.set_defaults(func=cmd_schema)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
