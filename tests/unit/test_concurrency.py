"""Concurrent readers during builds, and builds killed at random moments.

The readers go through ``tracker.readers`` (what the app's pages use): 8 threads read
while builds replace the file (8 in `make test`, 20 with TRACKER_HYPOTHESIS=thorough), and every
read must succeed and see one whole version."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, rounds, small_project
from tracker import readers, store
from tracker.assess import assess
from tracker.catalog import load_catalogue

PAIR_SQL = "SELECT (SELECT value FROM meta WHERE key = 'data_version') AS v, (SELECT count(*) FROM observations) AS n"
EXTRA_ROW = "little-giants,2026-06,1.9,万,>,,Concurrency test row,Test,,,,\n"
BUILDS = rounds(quick=8, thorough=20)  # each build under 8 busy readers takes several seconds


def pair(db: Path) -> tuple[str, int]:
    con = store.connect(db)
    try:
        row = store.query(con, PAIR_SQL).iloc[0]
        return str(row["v"]), int(row["n"])
    finally:
        con.close()


@pytest.fixture
def project(tmp_path):
    """The shipped targets on little-giants, their indicator and its figures: the file the tests change is
    whole, and a build spends its time on the swap under test, not on the rest of the catalogue."""
    return small_project(tmp_path, "miit-quality-enterprises-2021.yaml")


def test_readers_never_fail_or_see_a_mix_while_builds_run(project):
    targets, data, db = project / "targets", project / "data", project / "data" / "tracker.duckdb"
    csv = data / "observations" / "little-giants.csv"
    variant_a = csv.read_text(encoding="utf-8")
    variant_b = variant_a + EXTRA_ROW
    store.build(targets, data, db)
    known = {pair(db)}
    csv.write_text(variant_b, encoding="utf-8")
    store.build(targets, data, db)
    known.add(pair(db))
    assert len(known) == 2

    stop = threading.Event()
    seen: list[tuple[str, int]] = []
    errors: list[str] = []

    assessed: list[int] = []

    def reader(index: int) -> None:
        while not stop.is_set():
            try:
                with readers.reading(db) as (con, _version):
                    row = store.query(con, PAIR_SQL).iloc[0]
                    seen.append((str(row["v"]), int(row["n"])))
                    if index == 0:  # one thread also runs the whole assessment, as the overview does
                        assessed.append(len(assess(con)))
            except Exception as exc:  # every failure is a finding
                errors.append(repr(exc))
            time.sleep(0.002)  # readers as busy as a crowd of viewers, not spinning on the GIL

    script = textwrap.dedent(
        f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from pathlib import Path
        from tracker import store
        db, reads, errors, pairs = Path({str(db)!r}), 0, 0, set()
        end = time.time() + 600
        while time.time() < end:
            if sys.stdin.closed:
                break
            try:
                con = store.connect(db)
                row = store.query(con, {PAIR_SQL!r}).iloc[0]
                con.close()
                pairs.add((str(row["v"]), int(row["n"])))
                reads += 1
            except Exception as exc:
                errors += 1
                print("error", repr(exc), flush=True)
            import select
            if select.select([sys.stdin], [], [], 0)[0]:
                break
        print("done", reads, errors, sorted(pairs), flush=True)
        """
    )
    other = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    threads = [threading.Thread(target=reader, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    try:
        for i in range(BUILDS):
            csv.write_text(variant_a if i % 2 == 0 else variant_b, encoding="utf-8")
            report = store.build(targets, data, db)
            assert report.ok
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=60)
        out, _ = other.communicate("stop\n", timeout=120)
    assert errors == []
    assert len(seen) > 20, "the readers kept reading"
    targets_held = len(load_catalogue(targets, data).targets)
    assert targets_held > 1 and set(assessed) == {targets_held}, "every assessment saw every target"
    assert {v for v, _ in seen} == {v for v, _ in known}, "the readers saw both versions: they follow the builds"
    assert set(seen) <= known, f"a read saw neither the old nor the new content: {set(seen) - known}"
    last = out.strip().splitlines()[-1].split(" ", 3)
    assert last[0] == "done" and int(last[2]) == 0, out
    assert int(last[1]) > 0
    for line in out.splitlines():
        assert not line.startswith("error"), line
    readers.live(db).close()
    print(f"concurrency: {len(seen)} reads in 8 threads, {last[1]} in another process, {BUILDS} builds, 0 errors")


def test_builds_killed_at_random_moments_leave_the_database_whole(project):
    # The targets on little-giants plus two files of 15,000 generated figures each, so that a build
    # takes long enough to be killed at different stages.
    root = project
    header = "indicator,period,value,unit,qualifier,coverage,source_title,publisher,source_url,published,note\n"
    for part in range(2):
        rows = "".join(
            f"little-giants,{1900 + i % 100}-{i // 100 % 12 + 1:02d},{i + 1},家,=,,Generated source {part}-{i},Test,,,\n"
            for i in range(15_000)
        )
        (root / "data" / "observations" / f"generated-{part}.csv").write_text(header + rows, encoding="utf-8")
    targets, data, db = root / "targets", root / "data", root / "data" / "tracker.duckdb"
    store.build(targets, data, db)
    expected = pair(db)
    command = [
        sys.executable,
        "-m",
        "tracker",
        "build",
        "--targets",
        str(targets),
        "--data",
        str(data),
        "--db",
        str(db),
    ]
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    duration = time.perf_counter() - start
    rng = random.Random(20261129)
    for _ in range(6):
        build = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, duration))
        build.send_signal(signal.SIGKILL)
        build.wait()
        assert pair(db) == expected, "the database opens with its full content after a killed build"
        # at most the killed build's own file (and its write-ahead log): earlier ones were cleared
        leftovers = {p.name.removesuffix(".wal") for p in db.parent.glob(f"{db.name}{store.BUILDING_MARK}*")}
        assert len(leftovers) <= 1, leftovers
    store.build(targets, data, db)
    assert list(db.parent.glob(f"{db.name}{store.BUILDING_MARK}*")) == [], "leftovers of killed builds are removed"
    assert pair(db) == expected
    print(f"crash safety: 6 builds killed after 0.05-{duration:.2f} s, the database whole each time")
