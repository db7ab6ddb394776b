"""Assessment benchmark: all targets in one pass vs a per-target pandas loop of the same method.

10,000 targets over 1,000,000 observations (synthetic, built into a temporary
database). The baseline groups the observations by indicator once, then, target
by target, picks the base, latest and final figures with pandas and applies the
same formulas; the vectorised path is ``tracker.assess.assess``. The goal
(assessment issue) is a speed-up of at least 20. Both must agree on every status.
Run: ``.venv/bin/python -m benchmarks.assess [--targets N] [--rows N]``.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.synthetic import generate
from tracker import store
from tracker.assess import METHOD_BY_MEASURE, assess, satisfies, score_from_ratio, status_from_ratio

GOAL = 20.0
AS_OF = date(2026, 11, 29)


def per_target_pandas(con, as_of: date) -> pd.DataFrame:
    """The same method, written the straightforward way: one target at a time."""
    targets = store.query(
        con,
        "SELECT g.*, p.issued_t, i.measure FROM targets g JOIN policies p ON p.id = g.policy_id "
        "JOIN indicators i ON i.id = g.indicator",
    )
    obs = store.query(
        con,
        "SELECT indicator, period, period_start, period_end, t, value, qualifier, scope, published, source_file "
        "FROM observations",
    )
    obs = obs[obs["period_end"] <= pd.Timestamp(as_of)]
    by_indicator = {k: g for k, g in obs.groupby("indicator")}
    rows = []
    for t in targets.itertuples(index=False):
        series = by_indicator.get(t.indicator)
        if series is None or series.empty:
            rows.append((t.id, "no_data"))
            continue
        series = series.assign(no_scope=series["scope"].isna(), exact=series["qualifier"] == "=")
        series = series.sort_values(["no_scope", "exact", "published", "source_file", "value"],
                                    ascending=[False, False, False, True, True])  # fmt: skip
        series = series.drop_duplicates("period").sort_values("t")
        deadline = pd.Timestamp(t.deadline)
        passed = deadline < pd.Timestamp(as_of)
        window = series[series["period_end"] <= deadline] if passed else series
        final = series[series["period_end"] >= deadline] if passed else series.iloc[0:0]
        comparator = np.array([t.comparator])
        if passed and not final.empty:
            f = final.iloc[0]
            ok = satisfies(comparator, np.array([t.value]), np.array([f.value]), np.array([f.qualifier]))[0]
            rows.append((t.id, "achieved" if ok else "missed"))
            continue
        if window.empty:
            rows.append((t.id, "no_data"))
            continue
        latest = window.iloc[-1]
        if satisfies(comparator, np.array([t.value]), np.array([latest.value]), np.array([latest.qualifier]))[0]:
            rows.append((t.id, "achieved"))
            continue
        before = window[window["t"] <= t.issued_t]
        base = before.iloc[-1] if not before.empty else window.iloc[0]
        years_done, years_total = latest.t - base.t, t.deadline_t - base.t
        if years_done <= 0:
            rows.append((t.id, "insufficient_data"))
            continue
        method = t.method if isinstance(t.method, str) else METHOD_BY_MEASURE[t.measure]
        d = 1.0 if t.comparator in (">", ">=") else -1.0
        if method == "cagr_ratio" and base.value > 0 and latest.value > 0 and t.value > 0:
            observed = (latest.value / base.value) ** (1 / years_done) - 1
            required = (t.value / base.value) ** (1 / years_total) - 1
        else:
            observed = (latest.value - base.value) / years_done
            required = (t.value - base.value) / years_total
        ratio = d * observed / abs(required) if required else np.inf * np.sign(d * observed)
        score_from_ratio(np.array([ratio]))
        rows.append((t.id, str(status_from_ratio(np.array([ratio]))[0])))
    return pd.DataFrame(rows, columns=["id", "status"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", type=int, default=10_000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--indicators", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = generate(Path(tmp) / "synthetic", indicators=args.indicators, targets=args.targets, rows=args.rows)
        db = Path(tmp) / "bench.duckdb"
        report = store.build(root / "targets", root / "data", db)
        assert report.ok, [str(p) for p in report.problems[:5]]
        con = store.connect(db)
        try:
            assess(con, AS_OF)  # warm-up: file cache and DuckDB's first query
            start = time.perf_counter()
            fast = assess(con, AS_OF)
            fast_s = time.perf_counter() - start
            start = time.perf_counter()
            slow = per_target_pandas(con, AS_OF)
            slow_s = time.perf_counter() - start
        finally:
            con.close()
        merged = fast[["id", "status"]].merge(slow, on="id", suffixes=("_fast", "_slow"))
        disagree = merged[merged["status_fast"] != merged["status_slow"]]
        print(
            f"targets: {len(fast):,}; observations: {report.counts['observations']:,}; indicators: {args.indicators:,}"
        )
        print(f"vectorised (one query + numpy, with explanations): {fast_s:.2f} s")
        print(f"per-target pandas loop (statuses only): {slow_s:.2f} s")
        print(f"statuses that differ: {len(disagree)}")
        print(f"speed-up: {slow_s / fast_s:.1f}x (goal: >= {GOAL:.0f}x)")


if __name__ == "__main__":
    main()
