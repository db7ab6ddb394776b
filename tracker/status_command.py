"""The handler of ``tracker status``: the output kept from an earlier run when nothing it came from changed
(:mod:`tracker.resultcache`), else the database opened on a thread while the assessment's code is imported, the
rule applied (:mod:`tracker.assess`) and the output written as it is made. Its parser is in :mod:`tracker.cli`."""

from __future__ import annotations

import argparse
import itertools
import os
import sys
from datetime import date
from typing import TYPE_CHECKING

from tracker.commands import EXIT_OK, UsageError
from tracker.paths import display_path

if TYPE_CHECKING:
    import duckdb

    from tracker.assess.queries import Background, Fetch


def cmd_status(args: argparse.Namespace) -> int:
    import gc

    from tracker import cli
    from tracker.resultcache import MAX_CHARS, StatusCache, warnings_shown

    as_of = args.as_of or date.today()
    cache = StatusCache.for_status(args, as_of)
    cached = None if cache is None else cache.lookup()
    if cached is not None:  # the same options and date, and not one file it came from changed: no DuckDB, no numpy
        sys.stdout.write(cached)
        cli.ends_without_teardown = True
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
        cli.ends_without_teardown = True
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
    # DuckDB's engine first (tracker.database imports it), before the thread that opens the database: imported there,
    # the import would hold the GIL against the imports beside it, where DuckDB's own work does not.
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
        if started is not None:  # its figures' query may still run on a cursor of con: DuckDB refuses to close a
            started.stop()  # connection under it, and that refusal would be reported instead of this error
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
        started.stop()
    if con is not None:
        con.close()
