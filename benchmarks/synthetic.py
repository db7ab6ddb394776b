"""Realistic synthetic catalogues for benchmarks, in the project's own formats (never shipped as data).

``python -m benchmarks.synthetic DIR --targets 10000 --rows 1000000`` writes
DIR/targets/*.yaml and DIR/data/{indicators.yaml,observations/*.csv} with what the real files have:
annual, quarterly, monthly and daily series; figures published in other units (亿户, 亿元); qualified
figures (>, >=, ~); revised vintages (the same period published again later with another value);
indicators with several coverages whose series switch coverage part-way, with overlapping years;
targets of every kind (commitment, expectation, interpreted, reference), every comparator including
``==``, explicit baselines (by period and by value), chosen methods, declared proxies, deadlines
passed and to come. The numbers are random walks; they exist only to measure speed.
"""

from __future__ import annotations

import argparse
import csv
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

# (canonical unit, aliases, unit the figures are published in, factor to the canonical unit, measure)
UNITS = [
    ("connections", ["户"], "亿户", 1e8, "level"),
    ("%", [], "%", 1.0, "rate"),
    ("enterprises", ["家"], "家", 1.0, "cumulative"),
    ("CNY", ["元"], "亿元", 1e8, "level"),
    ("projects", [], "projects", 1.0, "count"),
]
# (frequency in indicators.yaml, period kind, periods) for the non-daily series.
FREQUENCIES = [("annual", "year", 40), ("quarterly", "quarter", 120), ("monthly", "month", 360)]
LAST_DAY = date(2026, 10, 31)
COVERAGES = [
    ("all-firms", "All firms", "全部企业"),
    ("above-size-firms", "Firms above designated size", "规模以上企业"),
    ("key-firms", "Key firms", "重点企业"),
]
HEADER = ["indicator", "period", "value", "unit", "qualifier", "coverage", "source_title", "publisher",
          "source_url", "published", "note"]  # fmt: skip


@dataclass
class Spec:
    """One generated indicator: its unit, frequency, coverages and where each coverage's walk ended."""

    id: str
    unit: str
    published_unit: str
    factor: float
    measure: str
    frequency: str
    kind: str
    coverages: list[str]
    last: dict[str, float] = field(default_factory=dict)
    first: dict[str, float] = field(default_factory=dict)
    periods: list[str] = field(default_factory=list)


def _indicator_yaml(s: Spec, n: int, aliases: list[str]) -> list[str]:
    lines = [
        f"  - id: {s.id}",
        f"    name: Synthetic indicator {n}",
        f"    name_zh: 合成指标{n}",
        f"    unit: '{s.unit}'",
        f"    unit_aliases: [{', '.join(aliases)}]",
        f"    frequency: {s.frequency}",
        "    definition: Random walk for benchmarking.",
        f"    direction: {'lower' if n % 7 == 3 else 'higher'}",
        f"    measure: {s.measure}",
    ]
    if s.unit == "%":
        lines.append("    limit: 100")
    lines.append("    coverages:")
    for cid in s.coverages:
        name, name_zh = next((c[1], c[2]) for c in COVERAGES if c[0] == cid)
        lines += [f"      - id: {cid}", f"        name: {name}", f"        name_zh: {name_zh}"]
    return lines


def _specs(indicators: int) -> tuple[list[Spec], list[str]]:
    specs, lines = [], ["# yaml-language-server: $schema=indicators.schema.json", "indicators:"]
    for n in range(indicators):
        unit, aliases, published_unit, factor, measure = UNITS[n % len(UNITS)]
        # Every fourth indicator daily (irregular); the others annual, quarterly or monthly.
        frequency, kind = ("irregular", "day") if n % 4 == 3 else FREQUENCIES[n % 4][:2]
        # A third of the indicators have two coverages (the series switches), a tenth three.
        ncov = 3 if n % 10 == 1 else 2 if n % 3 == 0 else 1
        spec = Spec(f"ind-{n:05d}", unit, published_unit, factor, measure, frequency, kind,
                    [c[0] for c in COVERAGES[:ncov]])  # fmt: skip
        specs.append(spec)
        lines += _indicator_yaml(spec, n, aliases)
    return specs, lines


def _periods(kind: str, count: int) -> list[tuple[str, date]]:
    """The last ``count`` periods of this kind up to LAST_DAY, oldest first, with each period's end."""
    out = []
    if kind == "day":
        return [((d := LAST_DAY - timedelta(days=k)).isoformat(), d) for k in range(count)][::-1]
    for k in range(count):
        if kind == "year":
            y = 2025 - k
            out.append((f"{y}", date(y, 12, 31)))
        elif kind == "quarter":
            y, q = 2026 - (k + 2) // 4, 4 - (k + 2) % 4
            out.append((f"{y}-Q{q}", date(y, 3 * q, 30 if q in (2, 3) else 31)))
        else:
            y, m = 2026 - (k + 3) // 12, 12 - (k + 3) % 12
            out.append((f"{y}-{m:02d}", date(y, m, 28)))
    return out[::-1]


STEP_SCALE = {"year": 1.0, "quarter": 0.5, "month": 0.3, "day": 0.05}


def _step(rng: random.Random, spec: Spec, level: float) -> float:
    change = STEP_SCALE[spec.kind] * rng.uniform(-0.02, 0.03)
    level *= 1 + (abs(change) if spec.measure == "cumulative" else change)
    return min(level, 99.9) if spec.unit == "%" else level


def _rows_for(rng: random.Random, spec: Spec, periods: list[tuple[str, date]]) -> list[list[str]]:
    """The figures of one indicator: a walk per coverage, switching coverage part-way, with revisions."""
    rows = []
    switch = len(periods) // 2
    for c, cov in enumerate(spec.coverages):
        # Coverage 0 is published from the switch on; coverage 1 up to the switch (with a year of
        # overlap); coverage 2 only for a short stretch in the middle.
        lo, hi = [(switch, len(periods)), (0, min(switch + 4, len(periods))), (switch // 2, switch)][c]
        if len(spec.coverages) == 1:
            lo, hi = 0, len(periods)
        level = rng.uniform(20, 60) if spec.unit == "%" else rng.uniform(5, 50)
        spec.first[cov] = level * spec.factor
        for period, end in periods[lo:hi]:
            level = _step(rng, spec, level)
            q = "=" if rng.random() > 0.03 else rng.choice([">", ">=", "~"])
            released = end + timedelta(days=20)
            vintages = 1 + (rng.random() < 0.3) + (rng.random() < 0.1)
            for v in range(vintages):
                value = level * (1 + 0.004 * v * rng.uniform(-1, 1))
                value = min(value, 99.99) if spec.unit == "%" else value
                published = released + timedelta(days=365 * v) if v or rng.random() < 0.9 else None
                rows.append([spec.id, period, f"{value:.4f}", spec.published_unit, q, cov,
                             f"Synthetic release {period}" + (f" (revision {v})" if v else ""),
                             "Benchmark generator", "https://example.org/release",
                             published.isoformat() if published else "", ""])  # fmt: skip
        spec.last[cov] = level * spec.factor
    spec.periods = [p for p, _ in periods]
    return rows


def _write_observations(rng: random.Random, specs: list[Spec], obs_dir: Path, rows: int, files: int) -> int:
    """Annual, quarterly and monthly series first; the daily ones share what is left of ``rows``."""
    fixed = {kind: count for _, kind, count in FREQUENCIES}
    handles = [(obs_dir / f"synthetic-{f:03d}.csv").open("w", newline="", encoding="utf-8") for f in range(files)]
    writers = [csv.writer(fh, lineterminator="\n") for fh in handles]
    for w in writers:
        w.writerow(HEADER)
    written = periods_written = 0
    daily = [(n, s) for n, s in enumerate(specs) if s.kind == "day"]
    for n, spec in enumerate(specs):
        if spec.kind != "day":
            periods = _periods(spec.kind, fixed[spec.kind])
            batch = _rows_for(rng, spec, periods)
            writers[n % files].writerows(batch)
            written, periods_written = written + len(batch), periods_written + len(periods)
    per_period = written / periods_written if periods_written else 1.9
    for k, (n, spec) in enumerate(daily):
        left = (rows - written) / (len(daily) - k)
        batch = _rows_for(rng, spec, _periods("day", max(int(left / per_period), 30)))
        writers[n % files].writerows(batch)
        written += len(batch)
    for fh in handles:
        fh.close()
    return written


def _target_yaml(rng: random.Random, t: int, spec: Spec, issued_year: int) -> list[str]:
    """One target: kind, coverage (and proxy), comparator, value, deadline, baseline and method vary."""
    kind = ["commitment"] * 14 + ["expectation"] * 3 + ["interpreted"] * 2 + ["reference"]
    kind = kind[t % len(kind)]
    own = spec.coverages[t % len(spec.coverages)]
    lines = [f"  - id: target-{t:06d}", f"    title: Synthetic target {t}", f"    title_zh: 合成目标{t}",
             f"    kind: {kind}", f"    indicator: {spec.id}"]  # fmt: skip
    if len(spec.coverages) > 1:
        lines.append(f"    coverage: {own}")
        if own == "all-firms" and t % 2:
            lines += ["    proxy:", "      coverage: above-size-firms",
                      "      why: The wider coverage was only published from the switch on."]  # fmt: skip
    level = spec.last.get(own, spec.first.get(own, 10.0))
    comparator = [">=", ">", "<=", "<", "=="][t % 5] if t % 3 else ">="
    value = level * rng.uniform(0.7, 1.6)
    if spec.unit == "%":
        value = min(value, 99.0)
    if comparator == "==" and t % 2:
        value = level
    lines.append(f"    value: {value:.6g}")
    lines.append(f"    unit: '{spec.unit}'")
    year = None
    if kind != "reference":
        lines.append(f"    comparator: '{comparator}'")
        year = issued_year + 1 + t % 12
        lines.append(f"    deadline: {year}" if t % 4 else f"    deadline: {year}-06-30")
    if kind == "interpreted":
        lines += ["    wording: 一批", "    interpretation: Read as the figure given, for benchmarking."]
    # A baseline starts before the deadline (the catalogue refuses one after it).
    bases = [p for p in spec.periods if year is None or int(p[:4]) < year]
    if t % 5 == 2 and bases:
        base = bases[rng.randrange(len(bases))]
        lines += ["    baseline:", f"      period: '{base}'"]
        if t % 10 == 7:
            lines.append(f"      value: {spec.first.get(own, 1.0):.6g}")
    if t % 11 == 5:
        lines.append("    method: linear")
    lines.append("    source: Synthetic clause for benchmarking.")
    return lines


def _write_targets(rng: random.Random, specs: list[Spec], targets_dir: Path, targets: int) -> None:
    per_policy = 50
    for p in range(0, targets, per_policy):
        issued = ["2015-03-05", "2018-07", "2021", "2023-11-20"][(p // per_policy) % 4]
        out = ["# yaml-language-server: $schema=schema.json", "policy:", f"  id: policy-{p // per_policy:05d}",
               f"  title: Synthetic policy {p // per_policy}", "  issuer: Benchmark", f"  issued: {issued}",
               "  url: https://example.org/policy", "  summary: Synthetic policy for benchmarks.",
               "targets:"]  # fmt: skip
        for t in range(p, min(p + per_policy, targets)):
            out += _target_yaml(rng, t, specs[(t * 7919) % len(specs)], int(issued[:4]))
        (targets_dir / f"policy-{p // per_policy:05d}.yaml").write_text("\n".join(out) + "\n", encoding="utf-8")


def generate(
    root: Path, indicators: int = 1000, targets: int = 1000, rows: int = 1_000_000, files: int = 10, seed: int = 7
) -> Path:
    """Write a catalogue under ``root`` (targets/ and data/) and return ``root``."""
    rng = random.Random(seed)
    data, targets_dir = root / "data", root / "targets"
    (data / "observations").mkdir(parents=True, exist_ok=True)
    targets_dir.mkdir(parents=True, exist_ok=True)
    specs, lines = _specs(indicators)
    (data / "indicators.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    _write_observations(rng, specs, data / "observations", rows, files)
    _write_targets(rng, specs, targets_dir, targets)
    return root


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--indicators", type=int, default=1000)
    parser.add_argument("--targets", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--files", type=int, default=10)
    args = parser.parse_args()
    generate(args.root, args.indicators, args.targets, args.rows, args.files)
    print(f"wrote synthetic targets and data under {args.root}")
