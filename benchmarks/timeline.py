"""How many cores a command asks for over its run, thread by thread: ``python -m benchmarks.timeline CMD ...``.

Every few milliseconds this reads ``/proc/PID/task/*/schedstat`` of the command's process: for each thread,
the time it has run on a core and the time it has waited in the run queue for one. Their sum over an
interval is the time the thread wanted a core, which does not depend on what else the machine runs; on a
loaded machine the wall time stretches, but a thread that sleeps (waiting for a lock, for the GIL, for
another thread) does not ask for a core whatever the load. The table printed shows, per interval, the
cores used and asked for in all and per thread (in per cent of one core). The last line estimates the
command's wall time on an idle two-core machine: each interval's processor time divided by the number of
cores it asked for (at most two). On this machine the estimate of DuckDB's ``read_csv`` of the 10,000-target
catalogue was 2.0-2.3 s against 2.3 s measured idle, and of ``tracker build`` 3.4-3.6 s against 3.9 s,
at a load average of about 8; at 10 to 20 it grows too (``read_csv``: 2.35-3.45 s), so compare commands
run in turn, as the other benchmarks do.
The command's process and the processes it starts (a forked copy too) are sampled, while they run. Linux only.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter, defaultdict

CORES = 2


def _sample(pid: int) -> dict[int, tuple[int, int]]:
    """Nanoseconds run and waited, per thread of ``pid`` and of the processes it started (a forked copy too)."""
    threads = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return threads
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/schedstat") as fh:
                ran, waited, _ = fh.read().split()
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                children = fh.read().split()
        except (OSError, ValueError):
            continue
        threads[int(tid)] = (int(ran), int(waited))
        for child in children:
            threads.update(_sample(int(child)))
    return threads


def main(argv: list[str], bucket: float = 0.1) -> int:
    if not argv:
        print("usage: python -m benchmarks.timeline COMMAND [ARG ...]", file=sys.stderr)
        return 2
    start = time.perf_counter()
    command = subprocess.Popen(argv)
    ran: defaultdict[int, Counter[int]] = defaultdict(Counter)  # interval -> thread -> ns run
    asked: defaultdict[int, Counter[int]] = defaultdict(Counter)  # interval -> thread -> ns run or waited
    last: dict[int, tuple[int, int]] = {}
    while command.poll() is None:
        interval = int((time.perf_counter() - start) / bucket)
        for tid, (run, wait) in _sample(command.pid).items():
            run0, wait0 = last.get(tid, (0, 0))
            ran[interval][tid] += run - run0
            asked[interval][tid] += run - run0 + wait - wait0
            last[tid] = (run, wait)
        time.sleep(0.005)
    wall = time.perf_counter() - start
    tids = [tid for tid in sorted(last) if last[tid][0] > 5_000_000]  # threads that ran 5 ms or more
    print(f"t (s)  cores used  asked | asked per thread, % of a core ({', '.join(map(str, tids))})")
    estimate = 0.0
    for interval in sorted(ran):
        used = sum(ran[interval].values()) / 1e9
        wanted = [min(1.0, asked[interval][tid] / 1e9 / bucket) for tid in asked[interval]]
        per_thread = " ".join(f"{asked[interval][tid] / 1e7 / bucket:4.0f}" for tid in tids)
        print(f"{interval * bucket:5.1f}  {used / bucket:10.2f} {sum(wanted):6.2f} | {per_thread}")
        parallel = min(float(CORES), sum(wanted))
        if used > 0 and parallel > 0:
            estimate += used / parallel
    print(f"wall {wall:.2f} s; processor time per thread (s): "
          + ", ".join(f"{tid} {last[tid][0] / 1e9:.2f}" for tid in tids))  # fmt: skip
    print(f"estimated wall time on an idle {CORES}-core machine: {estimate:.2f} s")
    return command.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
