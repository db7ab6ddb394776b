"""Site benchmark: ``tracker report`` (the static site) beside ``tracker build`` on the same catalogue.

For each size (default 1,000 and 10,000 targets over 1,000,000 observations), the two commands run
interleaved (build, report, build, report ...) as whole processes. For each run: wall time, CPU (user +
system of the command and every process it started, from GNU time), the peak resident memory of its
largest process (GNU time's maximum RSS, which covers the worker processes too), and the peak of the
proportional set size (PSS) summed over the command and its worker processes, sampled every 0.2 s from
/proc/PID/smaps_rollup. PSS shares each page among the processes that map it, so pages a forked worker
shares with its parent count once; a sum of RSS would count them once per process (it is printed too).
For the site: how many pages it has and the largest (HTML, before the shared assets).
Goals (issue 13 item 4): at 1,000 targets the site builds in under 60 s with under 500 MB at its peak,
every page under 200 KB; larger catalogues still build (their time is reported, with no goal).
Run: ``.venv/bin/python -m benchmarks.site [--sizes 1000,10000] [--repeat 3]``.
"""

from __future__ import annotations

import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.harness import AS_OF, ROOT, TIME, Goal, catalogue, load_note, main_by_size, tracker_argv

MB = 1_000_000
GOAL_SECONDS, GOAL_MB, GOAL_PAGE = 60, 500, 200_000
SAMPLE_EVERY = 0.2
"""Seconds between two readings of the processes' memory."""
REPEAT_UP_TO = 1000
"""Larger catalogues run once (at 10,000 targets a site takes minutes on a busy machine)."""


@dataclass
class Run:
    """What one run of a command took."""

    wall: float
    cpu: float
    largest_mb: float
    pss_mb: float
    rss_sum_mb: float

    def __str__(self) -> str:
        return (f"{self.wall:.1f} s wall, {self.cpu:.1f} s CPU, largest process {self.largest_mb:.0f} MB, "
                f"all processes {self.pss_mb:.0f} MB PSS ({self.rss_sum_mb:.0f} MB RSS summed)")  # fmt: skip


@dataclass
class Site:
    pages: int = 0
    largest: int = 0
    largest_path: str = ""


@dataclass
class Runs:
    name: str
    runs: list[Run] = field(default_factory=list)

    def median(self, what: str) -> float:
        return statistics.median(getattr(r, what) for r in self.runs)

    def peak(self, what: str) -> float:
        return max(getattr(r, what) for r in self.runs)

    def line(self) -> str:
        walls = [r.wall for r in self.runs]
        return (f"{self.name}: {self.median('wall'):.1f} s wall median (min {min(walls):.1f}, max {max(walls):.1f}, "
                f"n={len(walls)}), {self.median('cpu'):.1f} s CPU; peak memory: largest process "
                f"{self.peak('largest_mb'):.0f} MB, all processes {self.peak('pss_mb'):.0f} MB PSS "
                f"({self.peak('rss_sum_mb'):.0f} MB RSS summed)")  # fmt: skip


def _tree(pid: int) -> list[int]:
    """``pid`` and every process below it (Linux: /proc/PID/task/TID/children)."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue  # the process ended between two readings
    return found


def _memory_kb(pid: int) -> tuple[int, int]:
    """(PSS, RSS) of one process in kB, or (0, 0) once it has ended."""
    pss = rss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1])
            elif line.startswith("Rss:"):
                rss = int(line.split()[1])
    except (OSError, ValueError):
        pass
    return pss, rss


def measure_command(argv: list[str]) -> Run:
    """Run ``argv`` under GNU time, sampling the memory of its process tree until it ends."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        start = time.perf_counter()
        process = subprocess.Popen([TIME, "-f", "%U %S %M", "-o", report.name, *argv], cwd=ROOT,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
        pss_peak = rss_peak = 0
        while process.poll() is None:
            readings = [_memory_kb(p) for p in _tree(process.pid)[1:]]  # below GNU time itself
            pss_peak = max(pss_peak, sum(r[0] for r in readings))
            rss_peak = max(rss_peak, sum(r[1] for r in readings))
            time.sleep(SAMPLE_EVERY)
        wall = time.perf_counter() - start
        errors = process.stderr.read().decode() if process.stderr else ""
        if process.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} failed ({process.returncode}): {errors[-2000:]}")
        user, system, max_kb = Path(report.name).read_text().split()[-3:]
    return Run(wall, float(user) + float(system), int(max_kb) * 1024 / MB, pss_peak * 1024 / MB, rss_peak * 1024 / MB)


def site_pages(out: Path) -> Site:
    site = Site()
    for path in out.rglob("*.html"):
        site.pages += 1
        size = path.stat().st_size
        if size > site.largest:
            site.largest, site.largest_path = size, path.relative_to(out).as_posix()
    return site


def measure(targets: int, repeat: int) -> list[Goal]:
    root = catalogue(targets)
    repeat = repeat if targets <= REPEAT_UP_TO else 1
    build, report = Runs("tracker build"), Runs("tracker report")
    print(f"site, {targets:,} targets ({load_note()}):", flush=True)
    site = Site()
    with tempfile.TemporaryDirectory(prefix="site-bench-") as tmp:
        out = Path(tmp) / "site"
        for _ in range(repeat):
            build.runs.append(measure_command(tracker_argv(["build"], root)))
            print(f"  build: {build.runs[-1]}", flush=True)
            report.runs.append(measure_command(tracker_argv(["report", "--out", str(out), "--as-of", AS_OF], root)))
            site = site_pages(out)
            print(f"  report: {report.runs[-1]}; {site.pages:,} HTML pages, the largest "
                  f"{site.largest / 1000:.0f} kB ({site.largest_path}); {load_note()}", flush=True)  # fmt: skip
    for runs in (build, report):
        print("  " + runs.line())
    if targets > REPEAT_UP_TO:
        return []
    return [Goal(f"{targets:,} targets: site build time (wall)", report.median("wall"), GOAL_SECONDS, " s"),
            Goal(f"{targets:,} targets: site peak memory, largest process", report.peak("largest_mb"), GOAL_MB, " MB"),
            Goal(f"{targets:,} targets: site peak memory, all processes (PSS)", report.peak("pss_mb"), GOAL_MB, " MB"),
            Goal(f"{targets:,} targets: largest page", site.largest / 1000, GOAL_PAGE / 1000, " kB")]  # fmt: skip


def main(argv: list[str] | None = None) -> list[Goal]:
    return main_by_size(__doc__, measure, "1000,10000", argv)


if __name__ == "__main__":
    main()
