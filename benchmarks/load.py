"""Load benchmark: N visitors at once on a running ``streamlit run`` of the dashboard (issue 13 item 5).

Each visitor is a session over Streamlit's own websocket protocol (benchmarks/stream_client.py):
it connects, shows the overview, then the page of one target listed in the overview (visitor i
takes the i-th row), and stays connected until every visitor is done, as open browser tabs do.
All N start together. The same load runs against an empty page of the same server (the floor:
one line of text, two runs per visitor), interleaved batch by batch with the dashboard.

Reported per N: the p50 and p95 time to a finished render (from asking for a page, connection
included for the first, until its ``script_finished`` message), errors (a failed connection, a
timeout, a run that did not finish or showed an exception), and the server's resident memory
grown per session (server RSS with all N sessions open minus RSS before they connected, over N). Before any batch,
one visitor opens every page the batches will open, so that the caches all sessions share (a target's figures and
charts, filled on the first visit to its page) are not counted as the first batch's sessions' own memory: at one
session they were most of it (5.1-5.3 MiB in the first batch, at most 1.7 MiB in the later ones,
docs/benchmarks-log.md).
Goals: 0 errors at 50 sessions, p95 within 5x the floor's at the same N, under 5 MiB a session.
Run: ``.venv/bin/python -m benchmarks.load [--sessions 1,10,50] [--repeat 2] [--targets N]``.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import time
from contextlib import AsyncExitStack
from dataclasses import dataclass, field

from benchmarks.harness import Goal, catalogue, load_note
from benchmarks.server import EMPTY_QUERY, catalogue_env, dashboard_server, rss_mib
from benchmarks.stream_client import TARGET_IDS, Session


@dataclass
class Batch:
    """What one batch of N sessions met: every render's seconds, the errors, memory grown per session."""

    seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    mib_per_session: float = 0.0


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of ``values`` lie (nearest rank; n = 1 gives that value)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


async def _visit(url: str, pages: list[tuple[str, str]], stack: AsyncExitStack, batch: Batch) -> list[str]:
    """One visitor: connect, show each (page, query) in turn; the target ids the first page listed."""
    start = time.perf_counter()
    try:
        session = await stack.enter_async_context(Session(url))
        listed: list[str] = []
        for i, (page, query) in enumerate(pages):
            render = await session.show(page, query)
            batch.seconds.append(render.seconds if i else time.perf_counter() - start)
            if render.error:
                batch.errors.append(f"{page or 'overview'}: {render.error}")
            listed = listed or [m for text in render.texts for m in TARGET_IDS.findall(text)]
        return listed
    except Exception as exc:  # noqa: BLE001 - every failure a visitor meets is counted, none stops the others
        batch.errors.append(f"{type(exc).__name__}: {exc}"[:200])
        return []


async def _batch(url: str, pid: int, sessions: int, empty: bool, target_ids: list[str]) -> Batch:
    """N visitors at once; memory is read when every one of them is done and still connected."""
    batch = Batch()
    before = rss_mib(pid)
    async with AsyncExitStack() as stack:
        visits = []
        for i in range(sessions):
            if empty:
                pages = [("", EMPTY_QUERY), ("", f"{EMPTY_QUERY}&visit={i}")]
            else:
                pages = [("", ""), ("target", f"target={target_ids[i % len(target_ids)]}")]
            visits.append(_visit(url, pages, stack, batch))
        await asyncio.gather(*visits)
        batch.mib_per_session = (rss_mib(pid) - before) / sessions
    return batch


async def _target_ids(url: str) -> list[str]:
    """The overview's rows, read by one visitor (this also fills the server's caches)."""
    batch = Batch()
    async with AsyncExitStack() as stack:
        ids = await _visit(url, [("", "")], stack, batch)
    if batch.errors or not ids:
        raise RuntimeError(f"the overview did not render for one visitor: {batch.errors or 'no target rows'}")
    return ids


def _report(sessions: int, results: dict[str, list[Batch]]) -> list[Goal]:
    summary = {}
    for name, batches in results.items():
        seconds = [s for b in batches for s in b.seconds]
        errors = [e for b in batches for e in b.errors]
        growth = max(b.mib_per_session for b in batches)
        p50, p95 = (percentile(seconds, q) if seconds else float("nan") for q in (0.5, 0.95))
        summary[name] = (p95, errors, growth)
        print(
            f"  {sessions} sessions, {name}: p50 {p50:.2f} s, p95 {p95:.2f} s over {len(seconds)} renders; "
            f"{len(errors)} errors; server memory +{growth:.1f} MiB a session (largest of {len(batches)})"
        )
        for error in sorted(set(errors))[:5]:
            print(f"    error: {error}")
    p95, errors, growth = summary["dashboard"]
    floor = summary["empty page"][0]
    goals = [Goal(f"{sessions} sessions: dashboard p95 / empty page p95", p95 / floor, 5, "x"),
             Goal(f"{sessions} sessions: server memory a session", growth, 5, " MiB")]  # fmt: skip
    if sessions >= 50:
        goals.append(Goal(f"{sessions} sessions: errors", len(errors), 0, ""))
    return goals


async def _warm(url: str, target_ids: list[str], most: int) -> None:
    """One visitor opens the page of every target a batch of ``most`` sessions will open (filling the caches that
    every session shares), outside the figures."""
    batch = Batch()
    pages = [("target", f"target={t}") for t in dict.fromkeys(target_ids[i % len(target_ids)] for i in range(most))]
    async with AsyncExitStack() as stack:
        await _visit(url, pages, stack, batch)
    if batch.errors:
        raise RuntimeError(f"a target's page did not render for one visitor: {batch.errors[:3]}")


async def _measure(url: str, pid: int, counts: list[int], repeat: int) -> list[Goal]:
    target_ids = await _target_ids(url)
    await _batch(url, pid, 1, True, target_ids)  # the empty page's first run, outside the figures
    await _warm(url, target_ids, max(counts))
    goals = []
    for sessions in counts:
        results: dict[str, list[Batch]] = {"empty page": [], "dashboard": []}
        for _ in range(repeat):
            results["empty page"].append(await _batch(url, pid, sessions, True, target_ids))
            results["dashboard"].append(await _batch(url, pid, sessions, False, target_ids))
        goals += _report(sessions, results)
    return goals


def main(argv: list[str] | None = None) -> list[Goal]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", default="1,10,50", help="numbers of concurrent sessions, comma-separated")
    parser.add_argument("--repeat", type=int, default=2, help="batches of each N, interleaved with the floor")
    parser.add_argument("--targets", type=int, default=0, help="a generated catalogue of this size (0: shipped data)")
    args = parser.parse_args(argv)
    root = catalogue(args.targets) if args.targets else None
    what = f"{args.targets:,} targets" if root else "shipped data"
    print(f"load, {what} ({load_note()}):", flush=True)
    with dashboard_server(catalogue_env(root)) as (url, pid):
        print(f"  server memory at start: {rss_mib(pid):.0f} MiB", flush=True)
        goals = asyncio.run(_measure(url, pid, [int(n) for n in args.sessions.split(",")], args.repeat))
        print(f"  server memory at the end: {rss_mib(pid):.0f} MiB ({load_note()})")
    for goal in goals:
        print(goal.line())
    return goals


if __name__ == "__main__":
    main()
