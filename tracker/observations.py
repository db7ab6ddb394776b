"""Loading every file under data/observations into an ``observations`` table.

Clean UTF-8 CSV files go in bulk, straight from DuckDB's CSV reader through the
checks of :func:`loaders.rows.canonical_select`; the rows are then checked where
they landed. A file that fails there, or that the bulk reader refuses, or that
is not CSV, is loaded by its own loader, which numbers its rows and says what is
wrong with each. A file with any bad row is left out whole; the others load.
"""

from __future__ import annotations

import csv
import io
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
from tracker.model import Indicator
from tracker.paths import OBSERVATIONS_DIR
from tracker.problems import Problem, error, project_path, project_roots, warning
from tracker.yamlfile import dangling_link_problem, outside_link_problem, repository_root

MEMORY_LIMIT = "128MB"
"""DuckDB's buffer cap for checking observation files (validate) and for the site: bounded memory on
large inputs; DuckDB spills what does not fit to its temporary files. The build has its own cap
(tracker.store.BUILD_MEMORY_LIMIT, 256 MB: faster by about a tenth, see docs/benchmarks.md)."""
OBSERVATIONS_DDL = f"CREATE TABLE observations ({CANONICAL_SQL})"
_STORED_ROW_HASH = (
    "hash(indicator, period, published_value, published_unit, qualifier, coverage, source_title, publisher, "
    "source_url, published, note)"
)
# What makes two figures the same figure from the same source (the conflict check).
_CONFLICT_COLUMNS = ("indicator", "period", "coverage", "source_title", "publisher")
_CONFLICT_KEY = f"hash({', '.join(_CONFLICT_COLUMNS)})"
_SHARED_KEYS = "shared_conflict_keys"


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
) -> bool:
    source, params = csvfile.bulk_source(files, list(header), [name(f) for f in files])
    columns = ", ".join(CANONICAL_COLUMNS)
    try:
        con.execute(
            f"INSERT INTO observations ({columns}) SELECT {columns} FROM ({canonical_select(source)})",  # noqa: S608
            {**params, "default_indicator": None, "strict_numbers": True},
        )
        return True
    except duckdb.Error:
        return False  # the bulk reader refused a file: encoding, ragged row, mixed line endings


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
    """Insert each group of CSV files in one statement (a refused group file by file): what went in, what did not."""
    bulk: list[Path] = []
    refused: list[Path] = []
    for header, group in groups.items():
        # Largest files first: DuckDB's CSV reader splits a file into parts of a few megabytes for its
        # threads, and the parts of the last file are what is left when the others are done; a large
        # file last kept one core busy alone (about a tenth of the load at 10 files, measured).
        if _insert_bulk(con, sorted(group, key=_size, reverse=True), header, name):
            bulk += group
        else:
            for path in group:
                (bulk if _insert_bulk(con, [path], header, name) else refused).append(path)
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
    shared_sql = f"""SELECT {_CONFLICT_KEY} AS key, min(value) <> max(value) AS differs FROM observations
                      GROUP BY key HAVING count(*) > 1"""  # noqa: S608 - constants only
    (all_distinct,) = con.execute(f"SELECT count(DISTINCT {_CONFLICT_KEY}) = count(*) FROM observations").fetchone()  # noqa: S608
    con.execute(f"CREATE OR REPLACE TEMP TABLE {_SHARED_KEYS} AS {shared_sql}{' LIMIT 0' if all_distinct else ''}")
    duplicated = con.execute(
        f"""SELECT DISTINCT source_file FROM (
                SELECT source_file, {_STORED_ROW_HASH} FROM observations
                SEMI JOIN {_SHARED_KEYS} AS shared ON {_CONFLICT_KEY} = shared.key
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
    _warn_conflicts(con, outcomes, name_of, unchanged=not (failing or one_by_one or not_bulk or again or recheck))
    return sorted([outcomes[p] for p in files] + refused, key=lambda o: o.path)


def _warn_conflicts(
    con: duckdb.DuckDBPyConnection,
    outcomes: dict[Path, FileOutcome],
    name_of: Callable[[Path], str],
    unchanged: bool = False,
) -> None:
    """A warning in each file for figures that one source gives twice, with different values,
    for the same indicator, period and coverage: one of them is a typo or a revision to note.
    The warning stands on the row that gives the second value (the file's first line when the
    rows cannot be found again, as in a workbook)."""
    by_name = {name_of(path): outcome for path, outcome in outcomes.items()}
    # Grouping a million rows by five text columns with a distinct count takes tens of seconds
    # under the build's memory cap; grouping by one hash of them with min <> max takes under one.
    # Only the (few) groups found that way are then grouped by their text, which also drops any
    # group that two different keys share by a hash collision.
    # ``unchanged``: the table holds the rows _check_landed grouped, so its keys are reused.
    differing = (
        f"SELECT key FROM {_SHARED_KEYS} WHERE differs" if unchanged  # noqa: S608 - constants only
        else f"SELECT {_CONFLICT_KEY} AS key FROM observations GROUP BY key HAVING min(value) <> max(value)"  # noqa: S608
    )  # fmt: skip
    rows = con.execute(
        f"""WITH differing AS ({differing})
            SELECT min(source_file), indicator, period, coalesce(coverage, ''), source_title, publisher,
                   list(DISTINCT published_value ORDER BY published_value)
            FROM observations SEMI JOIN differing ON {_CONFLICT_KEY} = differing.key
            GROUP BY indicator, period, coverage, source_title, publisher
            HAVING count(DISTINCT value) > 1 ORDER BY ALL LIMIT 200"""  # noqa: S608 - constants only
    ).fetchall()
    for file, indicator, period, coverage, source, publisher, values in rows:
        outcome = by_name.get(file)
        if outcome is not None:
            shown = " and ".join(f"{v:g}" for v in values[:3])
            lines = _csv_lines_of(outcome.path, (indicator, period, coverage, source, publisher))
            where = f" (rows on lines {', '.join(map(str, lines[:5]))})" if len(lines) > 1 else ""
            outcome.problems.append(warning(
                outcome.path, lines[1] if len(lines) > 1 else 0, 0,
                f"{indicator} {period}{f' ({coverage})' if coverage else ''} is given as {shown} by the same "
                f"source ({source[:80]}){where}; keep the value the source gives, or say in note which is revised",
            ))  # fmt: skip


def _csv_lines_of(path: Path, key: tuple[str, ...]) -> list[int]:
    """The lines where a CSV file's rows with this indicator, period, coverage, source and publisher
    (as the database holds them) end, as csv counts them; [] for other formats or when none is found."""
    if path.suffix.lower() != ".csv":
        return []
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return []
    reader = csv.DictReader(io.StringIO(text, newline=""))
    found = []
    for record in reader:
        named = {str(k).strip().lower(): v for k, v in record.items() if k}
        cells = tuple((named.get(column) or "").strip() for column in _CONFLICT_COLUMNS)
        # an empty coverage stands for the indicator's default, which the database holds
        if all(cell == wanted or (column == "coverage" and not cell)
               for column, cell, wanted in zip(_CONFLICT_COLUMNS, cells, key, strict=True)):  # fmt: skip
            found.append(reader.line_num)
    return found


def check_observation_files(data_dir: Path, indicators: dict[str, Indicator]) -> list[FileOutcome]:
    """Load every observation file into a throw-away in-memory table, for ``validate``."""
    con = duckdb.connect(config={"memory_limit": MEMORY_LIMIT})
    try:
        con.execute(OBSERVATIONS_DDL)
        return load_observations(con, data_dir, indicators)
    finally:
        con.close()
