"""The DuckDB store: schema, atomic build, and read-only queries.

A build writes a brand-new database file next to the live one and, only when
it is complete and flushed to disk, renames it over the live file
(``os.replace``). A failed or killed build therefore leaves the previous
database untouched, and a reader that already has the old file open keeps
reading the old content until it reconnects. Readers open the file read-only
and run each query on a cursor of its own, with parameters.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from tracker import __version__
from tracker.catalog import INDICATORS_FILE, Catalogue, collector_paused, load_indicators, load_targets
from tracker.database import (  # noqa: F401  (connecting and the staleness check are part of the store's interface)
    SCHEMA_VERSION,
    built_meta,
    built_version,
    connect,
    ensure_built,
    files_stat,
    is_stale,
)
from tracker.observations import (
    OBSERVATIONS_DDL,
    FileOutcome,
    RecordTally,
    count_records,
    load_observations,
    observation_files,
)
from tracker.outputs import check_db_path, live_counts, shrink_problem
from tracker.periods import date_to_t, parse_period
from tracker.problems import Problem, project_path, project_roots
from tracker.progress import Progress
from tracker.tables import insert_columns, insert_records, insert_rows

if TYPE_CHECKING:  # DuckDB makes the frames; the build itself needs no pandas (see tracker.tables)
    import pandas as pd

BUILDING_MARK = ".building-"

DDL = f"""
CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE indicators (
    id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, name_zh VARCHAR, unit VARCHAR NOT NULL,
    unit_aliases VARCHAR[], frequency VARCHAR NOT NULL, definition VARCHAR NOT NULL, definition_zh VARCHAR,
    direction VARCHAR NOT NULL, measure VARCHAR NOT NULL, "limit" DOUBLE
);
CREATE TABLE coverages (
    indicator VARCHAR NOT NULL, id VARCHAR NOT NULL, name VARCHAR NOT NULL, name_zh VARCHAR, position INTEGER,
    PRIMARY KEY (indicator, id)
);
CREATE TABLE policies (
    id VARCHAR PRIMARY KEY, title VARCHAR NOT NULL, title_zh VARCHAR, issuer VARCHAR NOT NULL, issuer_zh VARCHAR,
    issued VARCHAR NOT NULL, issued_date DATE NOT NULL, issued_t DOUBLE NOT NULL, url VARCHAR NOT NULL,
    summary VARCHAR NOT NULL, summary_zh VARCHAR, parent VARCHAR, file VARCHAR NOT NULL
);
CREATE TABLE targets (
    id VARCHAR PRIMARY KEY, policy_id VARCHAR NOT NULL, title VARCHAR NOT NULL, title_zh VARCHAR,
    kind VARCHAR NOT NULL, indicator VARCHAR NOT NULL, coverage VARCHAR NOT NULL, proxy_coverage VARCHAR,
    proxy_why VARCHAR, proxy_why_zh VARCHAR, comparator VARCHAR, value DOUBLE NOT NULL, unit VARCHAR NOT NULL,
    deadline DATE, deadline_t DOUBLE, baseline_period VARCHAR, baseline_start DATE,
    baseline_t DOUBLE, baseline_value DOUBLE, method VARCHAR, tags VARCHAR[], source VARCHAR NOT NULL,
    source_zh VARCHAR, wording VARCHAR, interpretation VARCHAR, interpretation_zh VARCHAR, file VARCHAR NOT NULL
);
{OBSERVATIONS_DDL};
CREATE TABLE problems (path VARCHAR, line INTEGER, col INTEGER, severity VARCHAR, message VARCHAR);
CREATE TABLE files (path VARCHAR PRIMARY KEY, kind VARCHAR, status VARCHAR, rows_read BIGINT, rows_loaded BIGINT);
"""


@dataclass
class BuildReport:
    """What a build did: where, what it loaded, what it left out and why."""

    db_path: Path
    data_version: str
    problems: list[Problem] = field(default_factory=list)
    left_out: list[Path] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    kept_old: bool = False

    @property
    def ok(self) -> bool:
        return not self.kept_old and not self.left_out and not any(p.is_error for p in self.problems)


def input_files(targets_dir: Path, data_dir: Path) -> list[Path]:
    """The files a database is built from, in a stable order."""
    targets = sorted(p for p in targets_dir.glob("*.y*ml") if p.is_file()) if targets_dir.is_dir() else []
    indicators = [data_dir / INDICATORS_FILE] if (data_dir / INDICATORS_FILE).is_file() else []
    return targets + indicators + observation_files(data_dir)


def data_version(targets_dir: Path, data_dir: Path, records: dict[Path, int] | None = None) -> str:
    """A fingerprint of every input file (names and bytes) and of the build's own version.

    With ``records``, the data rows of each CSV observation file are counted in the same pass
    (so that the build need not read the files again to check that every row landed)."""
    digest = hashlib.sha256(f"{__version__}/{SCHEMA_VERSION}".encode())
    counted = {p for p in observation_files(data_dir) if p.suffix.lower() == ".csv"} if records is not None else set()
    for path in input_files(targets_dir, data_dir):
        digest.update(f"\0{path.parent.name}/{path.name}\0".encode())
        tally = RecordTally() if path in counted else None
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
                if tally is not None:
                    tally.add(block)
        if tally is not None and records is not None:
            records[path] = tally.records
    return digest.hexdigest()[:16]


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_builds(db_path: Path) -> list[Path]:
    """Delete half-written files of builds whose process is gone (killed, crashed)."""
    removed = []
    for leftover in db_path.parent.glob(f"{db_path.name}{BUILDING_MARK}*"):
        try:
            pid = int(leftover.name.split(BUILDING_MARK, 1)[1].split("-", 1)[0])
        except ValueError:
            continue
        if pid != os.getpid() and not _pid_alive(pid):
            leftover.unlink(missing_ok=True)
            removed.append(leftover)
    return removed


def _indicator_rows(catalogue: Catalogue) -> list[dict[str, Any]]:
    return [i.model_dump(exclude={"coverages"}) for i in catalogue.indicators.values()]


def _coverage_rows(catalogue: Catalogue) -> list[dict[str, Any]]:
    return [
        {"indicator": i.id, "id": c.id, "name": c.name, "name_zh": c.name_zh, "position": n}
        for i in catalogue.indicators.values()
        for n, c in enumerate(i.coverages)
    ]


def _policy_rows(catalogue: Catalogue, files: dict[str, Path]) -> list[dict[str, Any]]:
    return [
        {
            **p.model_dump(),
            "issued_date": p.issued_date,
            # A policy dated by month or year counts as issued at the end of that period.
            "issued_t": parse_period(p.issued).t,
            "file": files.get(p.id, ""),
        }
        for p in catalogue.policies.values()
    ]


def _target_columns(catalogue: Catalogue, name: Callable[[Path], str]) -> dict[str, list[Any]]:
    """The targets table, a list per column: built column by column, with each target's policy read once
    (a pydantic private attribute, slow to read) and each file's stored name worked out once."""
    targets = list(catalogue.targets.values())
    files = {path: name(path) for path in set(catalogue.target_files.values())}
    bases = [parse_period(t.baseline.period) if t.baseline else None for t in targets]
    proxies = [t.proxy for t in targets]
    indicators = catalogue.indicators
    return {
        "id": [t.id for t in targets],
        "policy_id": [t.policy_id for t in targets],
        "title": [t.title for t in targets],
        "title_zh": [t.title_zh for t in targets],
        "kind": [t.kind for t in targets],
        "indicator": [t.indicator for t in targets],
        # Left out only where the indicator has one coverage (the catalogue checks that).
        "coverage": [t.coverage or indicators[t.indicator].coverages[0].id for t in targets],
        "proxy_coverage": [p.coverage if p else None for p in proxies],
        "proxy_why": [p.why if p else None for p in proxies],
        "proxy_why_zh": [p.why_zh if p else None for p in proxies],
        "comparator": [t.comparator for t in targets],
        "value": [t.value for t in targets],
        "unit": [t.unit for t in targets],
        "deadline": [t.deadline for t in targets],
        "deadline_t": [date_to_t(t.deadline) if t.deadline else None for t in targets],
        "baseline_period": [t.baseline.period if t.baseline else None for t in targets],
        "baseline_start": [b.start if b else None for b in bases],
        "baseline_t": [b.t if b else None for b in bases],
        "baseline_value": [t.baseline.value if t.baseline else None for t in targets],
        "method": [t.method for t in targets],
        "tags": [list(t.tags) for t in targets],
        "source": [t.source for t in targets],
        "source_zh": [t.source_zh for t in targets],
        "wording": [t.wording for t in targets],
        "interpretation": [t.interpretation for t in targets],
        "interpretation_zh": [t.interpretation_zh for t in targets],
        "file": [files[catalogue.target_files[t.id]] for t in targets],
    }


def _write_catalogue(con: duckdb.DuckDBPyConnection, catalogue: Catalogue, name: Callable[[Path], str]) -> None:
    """The catalogue's tables: indicators, coverages, policies and targets."""
    targets = _target_columns(catalogue, name)
    policy_files = dict(zip(targets["policy_id"], targets["file"], strict=True))
    insert_records(con, "indicators", _indicator_rows(catalogue))
    insert_records(con, "coverages", _coverage_rows(catalogue))
    insert_records(con, "policies", _policy_rows(catalogue, policy_files))
    insert_columns(con, "targets", targets)


def _write_outcomes(
    con: duckdb.DuckDBPyConnection,
    catalogue: Catalogue,
    outcomes: list[FileOutcome],
    meta: tuple[str, str],
    name: Callable[[Path], str],
) -> dict[str, int]:
    """Everything but the observations and the catalogue: every problem, every file and its fate, the meta
    (``meta``: the data version and the files' fingerprint)."""
    version, stat = meta
    problems = list(catalogue.problems) + [p for o in outcomes for p in o.problems]
    insert_rows(con, "problems", ("path", "line", "col", "severity", "message"),
                [(name(p.path), p.line, p.col, p.severity, p.message) for p in problems])  # fmt: skip
    left_out = {str(p) for p in catalogue.skipped_files}
    file_rows = [
        (name(p), "indicators" if p.name == INDICATORS_FILE else "targets",
         "left out" if str(p) in left_out else "loaded", None, None)
        for p in catalogue.files
    ] + [
        (name(o.path), "observations", "loaded" if o.loaded else "left out", o.rows_read, o.rows_loaded)
        for o in outcomes
    ]  # fmt: skip
    insert_rows(con, "files", ("path", "kind", "status", "rows_read", "rows_loaded"), file_rows)
    counts = {
        "indicators": len(catalogue.indicators),
        "policies": len(catalogue.policies),
        "targets": len(catalogue.targets),
        "observations": sum(o.rows_loaded for o in outcomes),
        "observation_files": sum(1 for o in outcomes if o.loaded),
    }
    meta = {
        "data_version": version,
        "files_stat": stat,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "schema_version": SCHEMA_VERSION,
        "tracker_version": __version__,
        **{f"count_{k}": str(v) for k, v in counts.items()},
    }
    insert_rows(con, "meta", ("key", "value"), list(meta.items()))
    return counts


def build(targets_dir: Path, data_dir: Path, db_path: Path) -> BuildReport:
    """Load every valid file into a new database and switch the live file to it atomically."""
    # Three things run at once: fingerprinting the inputs (hashlib) and loading the observations
    # (DuckDB) release the GIL, so the target files are read and validated in Python meanwhile.
    records: dict[Path, int] = {}
    with ThreadPoolExecutor(max_workers=2) as pool, collector_paused():
        version_future = pool.submit(data_version, targets_dir, data_dir, records)

        def records_in(path: Path) -> int:
            version_future.result()  # the fingerprint's pass counts each CSV file's rows
            return records[path] if path in records else count_records(path)

        return _build(targets_dir, data_dir, db_path, version_future, pool, records_in)


# The build's memory: DuckDB would otherwise take up to 80% of RAM for its buffers. At 1,000,000 rows
# the checked insert spends about 10% more CPU under a 128 MB cap than under 256 MB, and the whole
# build peaks at about 295-310 MiB with 256 MB against 230-250 MiB with 128 MB (docs/benchmarks-log.md,
# "The build": measured as whole builds, interleaved); the goal is 400 MiB.
BUILD_MEMORY_LIMIT = "256MB"


def _wait_for_bulk(bulk_started: threading.Event, loading: Future[Any]) -> None:
    """Wait until the loading thread has done its Python work (lookup tables, headers) and DuckDB's
    bulk load runs without the GIL. Reading the target files holds the GIL; begun earlier, it made the
    loading thread wait for it at every step, and the load started 0.1-1 s late with a core idle."""
    while not bulk_started.wait(0.005) and not loading.done():
        pass


def _build(
    targets_dir: Path,
    data_dir: Path,
    db_path: Path,
    version_future: Future[str],
    pool: ThreadPoolExecutor,
    records_in: Callable[[Path], int],
) -> BuildReport:
    check_db_path(db_path)
    roots = project_roots(data_dir, targets_dir)

    def name(path: str | Path) -> str:  # what the database holds: never a folder of the build machine
        return project_path(path, *roots)

    # Taken before anything is read: a file changed during the build makes the next check hash again.
    stat = files_stat(targets_dir, data_dir)
    catalogue = Catalogue()
    load_indicators(data_dir, catalogue)
    files = observation_files(data_dir)
    bar = Progress(sum(p.stat().st_size for p in files), "loading observations", min_total=20_000_000)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_builds(db_path)
    temp = db_path.with_name(f"{db_path.name}{BUILDING_MARK}{os.getpid()}-{secrets.token_hex(4)}")
    try:
        con = duckdb.connect(str(temp), config={"memory_limit": BUILD_MEMORY_LIMIT})
        try:
            con.execute(DDL)
            beside = con.cursor()  # the catalogue's tables go in on a connection of their own during the load
            bulk_started = threading.Event()
            loading = pool.submit(load_observations, con, data_dir, catalogue.indicators,
                                  lambda p: bar.advance(p.stat().st_size, p.name), records_in,
                                  bulk_started)  # fmt: skip
            try:
                _wait_for_bulk(bulk_started, loading)
                load_targets(targets_dir, catalogue)
                shrink = shrink_problem(catalogue, db_path)
                if shrink is None:
                    _write_catalogue(beside, catalogue, name)
            finally:
                beside.close()
                outcomes = loading.result()
            if shrink is not None:
                return BuildReport(db_path, version_future.result(), [*catalogue.problems, shrink],
                                   list(catalogue.skipped_files), live_counts(db_path), kept_old=True)  # fmt: skip
            counts = _write_outcomes(con, catalogue, outcomes, (version_future.result(), stat), name)
            con.execute("CHECKPOINT")
        finally:
            con.close()
            bar.close()
        _fsync(temp)
        os.replace(temp, db_path)
        _fsync(db_path.parent)
    finally:
        for leftover in (temp, temp.with_name(temp.name + ".wal")):
            leftover.unlink(missing_ok=True)
    problems = list(catalogue.problems) + [p for o in outcomes for p in o.problems]
    left_out = list(catalogue.skipped_files) + [o.path for o in outcomes if not o.loaded]
    return BuildReport(db_path, version_future.result(), problems, left_out, counts)


def query(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any] | list[Any] | None = None) -> pd.DataFrame:
    """Run one parameterised query on a cursor of its own and return all its rows."""
    cursor = con.cursor()
    try:
        return cursor.execute(sql, params or []).df()
    finally:
        cursor.close()
