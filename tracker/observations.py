"""Loading every file under data/observations into an ``observations`` table.

Clean UTF-8 CSV files go in bulk, straight from DuckDB's CSV reader through the
checks of :func:`loaders.rows.canonical_select`; the rows are then checked where
they landed. A file that fails there, or that the bulk reader refuses, or that
is not CSV, is loaded by its own loader, which numbers its rows and says what is
wrong with each. A file with any bad row is left out whole; the others load.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from loaders import LOADERS, SUPPORTED, csvfile, load_file
from loaders.numbered import check_numbered
from loaders.rows import (
    BAD_URL_SQL,
    BAD_VALUE_SQL,
    CANONICAL_COLUMNS,
    CANONICAL_SQL,
    canonical_select,
    header_problems,
    register_lookups,
    size_problem,
)
from tracker.conflicts import CONFLICT_KEY, SHARED_KEYS, warn_conflicts
from tracker.model import Indicator
from tracker.paths import OBSERVATIONS_DIR
from tracker.problems import Problem, error, project_path, project_roots, warning
from tracker.yamlfile import dangling_link_problem, outside_link_problem, repository_root

MEMORY_LIMIT = "128MB"
"""DuckDB's buffer cap for checking observation files (validate) and for the site: bounded memory on
large inputs; DuckDB spills what does not fit to its temporary files. The build has its own cap
(tracker.store.BUILD_MEMORY_LIMIT, 256 MB: faster by about a tenth, see docs/benchmarks-log.md)."""
OBSERVATIONS_DDL = f"CREATE TABLE observations ({CANONICAL_SQL})"
_STORED_ROW_HASH = (
    "hash(indicator, period, published_value, published_unit, qualifier, coverage, source_title, publisher, "
    "source_url, published, note)"
)


@dataclass
class FileOutcome:
    """One observation file: loaded or left out, how many rows, and what was wrong."""

    path: Path
    loaded: bool
    rows_read: int = 0
    rows_loaded: int = 0
    problems: list[Problem] = field(default_factory=list)


def _walk(data_dir: Path) -> tuple[list[Path], list[FileOutcome]]:
    """The loadable files in data/observations, and the files that are there but not read, with why."""
    folder = data_dir / OBSERVATIONS_DIR
    if not folder.is_dir():
        return [], []
    root = repository_root(data_dir)
    files, refused = [], []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.name.lower().startswith("readme"):
            continue
        leaves = outside_link_problem(path, root) if path.is_symlink() or folder.is_symlink() else None
        if leaves is not None:
            refused.append(FileOutcome(path, False, problems=[leaves]))
        elif path.is_symlink() and not path.exists():
            refused.append(FileOutcome(path, False, problems=[dangling_link_problem(path)]))
        elif path.is_file() and path.suffix.lower() in LOADERS:
            files.append(path)
        elif path.is_file() or path.is_symlink():
            refused.append(
                FileOutcome(path, False, problems=[error(path, 0, 0, f"not read: '{path.suffix or path.name}' is "
                                                   f"not an observation file type; save it as {SUPPORTED}")])
            )  # fmt: skip
    return files, refused


def observation_files(data_dir: Path) -> list[Path]:
    """Every loadable file in data/observations, in a stable order (links out of the repository excluded)."""
    return _walk(data_dir)[0]


class RecordTally:
    """A CSV file's data rows when no value spans lines (its line ends less the header), counted
    from its blocks as another pass reads them (the build's hashing); -1 for a file with a NUL byte."""

    def __init__(self) -> None:
        self.ends, self.last, self.binary = 0, b"\n", False

    def add(self, block: bytes) -> None:
        self.binary = self.binary or b"\x00" in block
        self.ends += block.count(b"\n")
        self.last = block[-1:] or self.last

    @property
    def records(self) -> int:
        return -1 if self.binary else self.ends + (self.last != b"\n") - 1


def count_records(path: Path) -> int:
    """Data rows a CSV file holds when no value spans lines (see RecordTally), read for that alone.

    Counting line ends reads at disk speed; when the bulk reader's count differs (a quote
    left open swallows the rest of the file, a blank line, a line break inside quotes), the
    file is read again by the loader that numbers and checks every row."""
    tally = RecordTally()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 22), b""):
            tally.add(block)
    return tally.records


def _bulk_groups(files: list[Path]) -> tuple[dict[tuple[str, ...], list[Path]], list[Path]]:
    """CSV files with a usable header, grouped by header; everything else for one-by-one loading."""
    groups: dict[tuple[str, ...], list[Path]] = {}
    one_by_one = []
    for path in files:
        # Files over the size limit go to the loader, which refuses them before reading a row.
        bulk_ok = path.suffix.lower() == ".csv" and size_problem(path) is None
        header = csvfile.read_header(path)[0] if bulk_ok else None
        if header is None or any(p.is_error for p in header_problems(header, path, None)):
            one_by_one.append(path)
        else:
            groups.setdefault(tuple(header), []).append(path)
    return groups, one_by_one


def _insert_bulk(
    con: duckdb.DuckDBPyConnection, files: list[Path], header: tuple[str, ...], name: Callable[[Path], str]
) -> str | None:
    """Insert the files' rows in one statement; None when done, else DuckDB's message (nothing went in)."""
    source, params = csvfile.bulk_source(files, list(header), [name(f) for f in files])
    columns = ", ".join(CANONICAL_COLUMNS)
    try:
        con.execute(
            f"INSERT INTO observations ({columns}) SELECT {columns} FROM ({canonical_select(source)})",  # noqa: S608
            {**params, "default_indicator": None, "strict_numbers": True},
        )
        return None
    except duckdb.Error as exc:
        return str(exc)  # the bulk reader refused a file: encoding, ragged row, mixed line endings


def _insert_sorting_out(
    con: duckdb.DuckDBPyConnection, files: list[Path], header: tuple[str, ...], name: Callable[[Path], str]
) -> set[Path]:
    """Insert the files in bulk, leaving out those the reader refuses even alone; the refused files.

    A refusal names the file it stopped at (``file = PATH``): that file is tried alone and the others in
    bulk again, so that one bad file costs about its own reading, not a reload of its group file by file.
    When the others are refused too, or a message names none of the files, the files are split in halves,
    each tried the same way: a few bad files cost a few attempts each, never one attempt per file."""
    refused: set[Path] = set()
    pending = [(files, True)]
    while pending:
        part, by_name = pending.pop()
        message = _insert_bulk(con, part, header, name)
        if message is None:
            continue
        if len(part) == 1:
            refused.update(part)
            continue
        named = re.search(r"^\s*file = (.+)$", message, re.MULTILINE) if by_name else None
        culprit = [f for f in part if named is not None and str(f) == named.group(1).strip()][:1]
        if culprit:
            pending += [([f for f in part if f != culprit[0]], False), (culprit, False)]
        else:
            pending += [(part[len(part) // 2 :], False), (part[: len(part) // 2], False)]
    return refused


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # gone since it was listed: the reader refuses it, and its loader says why
        return 0


def _load_bulk(
    con: duckdb.DuckDBPyConnection,
    groups: dict[tuple[str, ...], list[Path]],
    on_file: Callable[[Path], None] | None,
    name: Callable[[Path], str],
) -> tuple[list[Path], list[Path]]:
    """Insert each group of CSV files in one statement (refused files sorted out): what went in, what did not."""
    bulk: list[Path] = []
    refused: list[Path] = []
    for header, group in groups.items():
        # Largest files first: DuckDB's CSV reader splits a file into parts of a few megabytes for its
        # threads, and the parts of the last file are what is left when the others are done; a large
        # file last kept one core busy alone (about a tenth of the load at 10 files, measured).
        left_out = _insert_sorting_out(con, sorted(group, key=_size, reverse=True), header, name)
        bulk += [path for path in group if path not in left_out]
        refused += [path for path in group if path in left_out]
        for path in group:
            if on_file is not None:
                on_file(path)
    return bulk, refused


def _check_landed(con: duckdb.DuckDBPyConnection) -> tuple[dict[str, int], set[str]]:
    """Rows per file, and the files with a row that breaks a rule or an exact duplicate.

    Each file's links are tested once per distinct link (a file names a few), not once per row;
    exact duplicates are looked for only among rows that share indicator, period, coverage and
    source, which one grouped pass over a hash of those finds (usually none)."""
    counts: dict[str, int] = {}
    failing: set[str] = set()
    for name, rows, bad in con.execute(
        f"""SELECT source_file, sum(n), sum(bad) + coalesce(sum(n) FILTER (WHERE {BAD_URL_SQL}), 0) FROM (
                SELECT source_file, source_url, count(*) AS n, count(*) FILTER (WHERE {BAD_VALUE_SQL}) AS bad
                FROM observations GROUP BY ALL)
            GROUP BY source_file"""  # noqa: S608 - constants only
    ).fetchall():
        counts[name] = int(rows)
        if bad:
            failing.add(name)
    # The keys that more than one row shares, kept for the conflict check (the same grouping). Usually
    # none is: counting the distinct keys shows that in half the time of grouping the rows by key with
    # their values (0.1 s of CPU against 0.2 s at 1,000,000 rows), and then the table stays empty.
    shared_sql = f"""SELECT {CONFLICT_KEY} AS key, min(value) <> max(value) AS differs FROM observations
                      GROUP BY key HAVING count(*) > 1"""  # noqa: S608 - constants only
    (all_distinct,) = con.execute(f"SELECT count(DISTINCT {CONFLICT_KEY}) = count(*) FROM observations").fetchone()  # noqa: S608
    con.execute(f"CREATE OR REPLACE TEMP TABLE {SHARED_KEYS} AS {shared_sql}{' LIMIT 0' if all_distinct else ''}")
    duplicated = con.execute(
        f"""SELECT DISTINCT source_file FROM (
                SELECT source_file, {_STORED_ROW_HASH} FROM observations
                SEMI JOIN {SHARED_KEYS} AS shared ON {CONFLICT_KEY} = shared.key
                GROUP BY ALL HAVING count(*) > 1)"""  # noqa: S608 - constants only
    ).fetchall()
    failing.update(name for (name,) in duplicated)
    if failing:
        con.execute("DELETE FROM observations WHERE source_file IN (SELECT unnest($files))", {"files": list(failing)})
    return counts, failing


def _bulk_outcomes(
    con: duckdb.DuckDBPyConnection,
    bulk: list[Path],
    counts: dict[str, int],
    failing: set[str],
    records_in: Callable[[Path], int],
    name_of: Callable[[Path], str],
) -> tuple[dict[Path, FileOutcome], list[Path], list[Path]]:
    """The bulk files that loaded whole; those with a bad row that DuckDB read whole, one row a line (to check
    again there); and those to read again by their loader (rows unaccounted for: a line break in a value,
    a blank line)."""
    outcomes: dict[Path, FileOutcome] = {}
    recheck: list[Path] = []
    again: list[Path] = []
    for path in bulk:
        name = name_of(path)
        rows = counts.get(name, 0)
        whole = rows == records_in(path)
        if name in failing or not whole:
            if name not in failing:  # every row read is loaded or reported: read it again, row by row
                con.execute("DELETE FROM observations WHERE source_file = $name", {"name": name})
            (recheck if whole else again).append(path)
            continue
        problems = [] if rows else [warning(path, 0, 0, "the file holds no observations")]
        outcomes[path] = FileOutcome(path, True, rows, rows, problems)
    return outcomes, recheck, again


# Rows a loader or the re-check made, stored under the file's project name ($name), not the name they carry.
_INSERT_NAMED = (
    f"INSERT INTO observations ({', '.join(CANONICAL_COLUMNS)}) "
    f"SELECT {', '.join('$name' if c == 'source_file' else c for c in CANONICAL_COLUMNS)}"
)


def _load_one_by_one(
    con: duckdb.DuckDBPyConnection, path: Path, indicators: dict[str, Indicator], name: str
) -> FileOutcome:
    """One file through its own loader, which numbers its rows and says what is wrong with each; its rows
    are stored under ``name`` (the loader knows the file, not the project)."""
    result = load_file(path, indicators)
    if result.rows is not None and result.rows.num_rows:
        con.register("incoming", result.rows)
        con.execute(f"{_INSERT_NAMED} FROM incoming", {"name": name})  # noqa: S608 - constants only
        con.unregister("incoming")
    loaded = result.rows.num_rows if result.rows is not None else 0
    return FileOutcome(path, result.ok, result.rows_read, loaded, result.problems)


def _check_again(con: duckdb.DuckDBPyConnection, path: Path, header: list[str], name: str) -> FileOutcome:
    """A CSV file with a bad row (or a duplicate), read again in the database where DuckDB's reader read it
    whole, one row a line: the same rows, row numbers and problems as its loader gives (csvfile.load), at a
    fraction of the cost (no Python csv, no frame, no second database with its lookup tables)."""
    csvfile.numbered_rows(con, path, header)
    try:
        result = check_numbered(con, path)
        problems = header_problems(header, path, None) + result.problems
        loaded = not any(p.is_error for p in problems)
        if loaded:  # a thousands separator the bulk check refused: the loader reads it, with a warning
            con.execute(f"{_INSERT_NAMED} FROM checked ORDER BY line", {"name": name})  # noqa: S608 - constants only
    finally:
        for table in ("raw", "checked", "duplicates"):
            con.execute(f"DROP TABLE IF EXISTS {table}")
    return FileOutcome(path, loaded, result.rows_read, result.rows_read if loaded else 0, problems)


def load_observations(
    con: duckdb.DuckDBPyConnection,
    data_dir: Path,
    indicators: dict[str, Indicator],
    on_file: Callable[[Path], None] | None = None,
    records_in: Callable[[Path], int] | None = None,
    bulk_started: threading.Event | None = None,
) -> list[FileOutcome]:
    """Fill table ``observations`` of ``con`` from data/observations; one outcome per file.

    ``records_in`` gives a CSV file's data rows when a pass that already read the file counted
    them (a RecordTally); by default each bulk-loaded file is read again to count them.
    ``bulk_started`` is set once the Python work before the bulk load is done (or failed)."""
    roots = project_roots(data_dir)

    def name_of(path: Path) -> str:
        return project_path(path, *roots)

    try:
        files, refused = _walk(data_dir)
        register_lookups(con, indicators)
        # Row order within the table carries no meaning (every query orders by period), and
        # letting DuckDB write rows in any order lets it use both cores for a bulk load.
        con.execute("SET preserve_insertion_order = false")
        groups, one_by_one = _bulk_groups(files)
    finally:
        if bulk_started is not None:
            bulk_started.set()
    bulk, not_bulk = _load_bulk(con, groups, on_file, name_of)
    counts, failing = _check_landed(con)
    outcomes, recheck, again = _bulk_outcomes(con, bulk, counts, failing, records_in or count_records, name_of)
    headers = {path: header for header, group in groups.items() for path in group}
    for path in recheck:
        outcomes[path] = _check_again(con, path, list(headers[path]), name_of(path))
    for path in one_by_one + not_bulk + again:
        outcomes[path] = _load_one_by_one(con, path, indicators, name_of(path))
        if on_file is not None and path in one_by_one:
            on_file(path)
    # The check's grouping still holds when no row went in or out since (the usual case).
    warn_conflicts(con, outcomes, name_of, unchanged=not (failing or one_by_one or not_bulk or again or recheck))
    return sorted([outcomes[p] for p in files] + refused, key=lambda o: o.path)


def check_observation_files(data_dir: Path, indicators: dict[str, Indicator]) -> list[FileOutcome]:
    """Load every observation file into a throw-away in-memory table, for ``validate``."""
    con = duckdb.connect(config={"memory_limit": MEMORY_LIMIT})
    try:
        con.execute(OBSERVATIONS_DDL)
        return load_observations(con, data_dir, indicators)
    finally:
        con.close()
