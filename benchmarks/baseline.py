"""Independent baselines for ``tracker status``: the whole rule, written again, one series at a time.

``python -m benchmarks.baseline {pandas,loop} --db FILE --as-of DATE`` prints ``id,status,trend_status``
for every target (the trend only under ``awaiting_final``, as ``tracker status`` writes it). It reads the
built database with plain SQL and imports nothing from ``tracker``: the rule below is written from
docs/methodology.md, so that agreeing with ``tracker status`` on every status means something.

- ``pandas``: each series (an indicator in the target's coverage, plus a declared proxy) is sorted
  and cleared of duplicate periods once with pandas; each target then reads it with
  ``Series.searchsorted`` and ``.iat``.
- ``loop``: the same series as plain Python lists, read per target with ``bisect``: the tuned
  per-target loop the vectorised assessment has to beat.
"""

from __future__ import annotations

import argparse
import math
import sys
from bisect import bisect_left, bisect_right
from datetime import date

import duckdb
import numpy as np
import pandas as pd

EPS = 1e-9
JUDGED = ("commitment", "expectation")
METHOD_BY_MEASURE = {"rate": "cagr_ratio", "level": "cagr_ratio", "count": "linear", "cumulative": "linear"}

TARGETS = """
SELECT g.id, g.kind, g.indicator, g.coverage, coalesce(g.proxy_coverage, '') AS proxy, g.comparator,
       g.value AS target, g.deadline < $as_of AS passed, g.deadline_t,
       (g.baseline_start - DATE '1970-01-01')::INTEGER AS baseline_start, g.baseline_t,
       g.baseline_value, coalesce(g.method, '') AS method, p.issued_t, i.measure
FROM targets g JOIN policies p ON p.id = g.policy_id JOIN indicators i ON i.id = g.indicator
"""
QUALIFIERS = ("=", ">", ">=", "<", "<=", "~")
FIGURES = """
WITH files AS (SELECT source_file, row_number() OVER (ORDER BY source_file) AS file
               FROM (SELECT DISTINCT source_file FROM observations))
SELECT s.series, o.t, o.value, list_position($qualifiers, o.qualifier)::TINYINT - 1 AS q,
       o.published - DATE '1970-01-01' AS published, f.file AS source_file,
       (o.period_start - DATE '1970-01-01')::INTEGER AS period_start,
       CASE o.period_kind WHEN 'year' THEN 0 WHEN 'quarter' THEN 1 WHEN 'month' THEN 2 ELSE 3 END AS kind
FROM observations o JOIN series s USING (indicator, coverage) JOIN files f USING (source_file)
WHERE o.value IS NOT NULL AND o.period_end <= $as_of
"""
SERIES = "SELECT DISTINCT indicator, coverage FROM observations"
SORT = ["t", "kind", "own", "exact", "published", "source_file", "value"]  # published: days, NaN when unknown
ASCENDING = [True, True, False, False, False, True, True]


def meets(comparator: str, target: float, value: float, qualifier: str | None) -> bool:
    """Whether a figure, read with its qualifier ("> 26" is above 26), meets the target."""
    if value is None or math.isnan(value):
        return False
    exact = qualifier in ("=", "~") or not isinstance(qualifier, str)
    if comparator == ">":
        return (exact and value > target) or (qualifier == ">" and value >= target) or (
            qualifier == ">=" and value > target)  # fmt: skip
    if comparator == ">=":
        return value >= target and (exact or qualifier in (">", ">="))
    if comparator == "<":
        return (exact and value < target) or (qualifier == "<" and value <= target) or (
            qualifier == "<=" and value < target)  # fmt: skip
    if comparator == "<=":
        return value <= target and (exact or qualifier in ("<", "<="))
    return comparator == "==" and exact and abs(value - target) <= 1e-9 * abs(target)


def _div(a: float, b: float) -> float:
    if b == 0:
        return math.nan if a == 0 or math.isnan(a) else math.copysign(math.inf, a)
    return a / b


def _rate(method: str, start: float, end: float, years: float) -> float:
    if method == "cagr_ratio":
        try:
            return (end / start) ** _div(1.0, years) - 1
        except OverflowError:
            return math.inf
    return _div(end - start, years)


def status_from_ratio(ratio: float) -> str:
    if math.isnan(ratio):
        return "insufficient_data"
    return ("on_track" if ratio >= 0.95 else "acceleration_needed" if ratio >= 0.6
            else "limited_progress" if ratio >= 0 else "deteriorating")  # fmt: skip


class ListView:
    """One series as Python lists, searched with bisect; sorted and cleared of duplicates with numpy."""

    @classmethod
    def build(cls, figures: Figures, own: np.ndarray, other: np.ndarray) -> ListView:
        rows = np.concatenate([own, other])
        f = {k: v[rows] for k, v in figures.arrays.items()}
        is_own = np.arange(len(rows)) < len(own)
        # The figure to use first within a period: own coverage, exact, latest published, file, value.
        order = np.lexsort((f["value"], f["source_file"], f["published_desc"], ~f["exact"], ~is_own, f["kind"], f["t"]))
        t, kind = f["t"][order], f["kind"][order]
        first = np.ones(len(order), dtype=bool)
        first[1:] = (t[1:] != t[:-1]) | (kind[1:] != kind[:-1])
        keep = order[first]
        return cls(f["t"][keep], f["value"][keep], f["qualifier"][keep], f["period_start"][keep])

    def __init__(self, t: np.ndarray, value: np.ndarray, q: np.ndarray, start: np.ndarray) -> None:
        self.t, self.value, self.q = t.tolist(), value.tolist(), q.tolist()
        self.n = len(self.t)
        by_start = np.lexsort((t, start))
        self.starts, self.start_rows = start[by_start].tolist(), by_start.tolist()
        self.nonpositive = np.concatenate([[0], np.cumsum(value <= 0)]).tolist()

    def last_le(self, t: float) -> int:
        return bisect_right(self.t, t) - 1

    def first_ge(self, t: float) -> int:
        return bisect_left(self.t, t)

    def first_starting(self, day: int) -> int:
        pos = bisect_left(self.starts, day)
        return self.start_rows[pos] if pos < self.n else self.n

    def row(self, i: int) -> tuple[float, float, str]:
        return self.t[i], self.value[i], self.q[i]

    def any_nonpositive(self, lo: int, hi: int) -> bool:
        return self.nonpositive[hi + 1] - self.nonpositive[lo] > 0


class PandasView(ListView):
    """One series sorted and cleared of duplicates with pandas, searched with Series.searchsorted, read with .iat."""

    @classmethod
    def build(cls, figures: Figures, own: np.ndarray, other: np.ndarray) -> PandasView:
        series = figures.frame.iloc[np.concatenate([own, other])]
        series = series.assign(own=np.arange(len(series)) < len(own))
        return cls(series.sort_values(SORT, ascending=ASCENDING, na_position="last").drop_duplicates(["t", "kind"]))

    def __init__(self, s: pd.DataFrame) -> None:
        self.s = s.reset_index(drop=True)
        self.n = len(self.s)
        self.by_start = self.s.sort_values(["period_start", "t"], kind="stable")

    def last_le(self, t: float) -> int:
        return int(self.s["t"].searchsorted(t, side="right")) - 1

    def first_ge(self, t: float) -> int:
        return int(self.s["t"].searchsorted(t, side="left"))

    def first_starting(self, day: int) -> int:
        pos = int(self.by_start["period_start"].searchsorted(day, side="left"))
        return int(self.by_start.index[pos]) if pos < self.n else self.n

    def row(self, i: int) -> tuple[float, float, str]:
        return self.s["t"].iat[i], self.s["value"].iat[i], self.s["qualifier"].iat[i]

    def any_nonpositive(self, lo: int, hi: int) -> bool:
        return bool((self.s["value"].iloc[lo : hi + 1] <= 0).any())


def _base(view: ListView, g: object, hi: int) -> tuple[float, float]:
    """An explicit base value; else the figure for the baseline period or the first starting after it;
    else the last figure at or before the issue date, else the first one after it."""
    if not pd.isna(g.baseline_value):
        return g.baseline_t, g.baseline_value
    if not pd.isna(g.baseline_t):
        i = view.first_starting(g.baseline_start)
        return view.row(i)[:2] if i <= hi else (math.nan, math.nan)
    before = view.last_le(g.issued_t + EPS)
    if 0 <= before <= hi:
        return view.row(before)[:2]
    return view.row(before + 1)[:2] if before + 1 <= hi else (math.nan, math.nan)


TREND = ("on_track", "acceleration_needed", "limited_progress", "deteriorating", "insufficient_data")


def judge(view: ListView, g: object) -> tuple[str, str]:
    """The status of one target read from its series, and the trend behind it: past its deadline without the figure
    for it, a status the trend gives is no verdict, and the target awaits that figure (the trend is kept beside)."""
    status = _judge(view, g)
    return ("awaiting_final", status) if status in TREND and g.passed else (status, "")


def _judge(view: ListView, g: object) -> str:
    if g.kind not in JUDGED:
        return "not_assessed"
    if view.n == 0:
        return "no_data"
    if g.passed:
        final = view.first_ge(g.deadline_t - EPS)
        if final < view.n:
            _, value, q = view.row(final)
            return "achieved" if meets(g.comparator, g.target, value, q) else "missed"
    hi = view.last_le(g.deadline_t + EPS if g.passed else math.inf)
    if hi < 0:
        return "no_data"
    latest_t, latest, q = view.row(hi)
    if meets(g.comparator, g.target, latest, q):
        return "achieved"
    base_t, base = _base(view, g, hi)
    done, total = latest_t - base_t, g.deadline_t - base_t
    if not done > 0:
        return "insufficient_data"
    method = g.method or METHOD_BY_MEASURE[g.measure]
    if method == "cagr_ratio":
        positive = base > 0 and latest > 0 and g.target > 0
        if not positive or view.any_nonpositive(view.first_ge(base_t - EPS), hi):
            method = "linear"
    if g.comparator in (">", ">="):
        d = 1.0
    elif g.comparator in ("<", "<="):
        d = -1.0
    else:  # "==": the side of the base the target lies on
        d = 1.0 if g.target >= base else -1.0
    observed, required = _rate(method, base, latest, done), _rate(method, base, g.target, total)
    if abs(required) <= 1e-8:
        moved = d * observed
        ratio = math.nan if moved == 0 or math.isnan(moved) else math.copysign(math.inf, moved)
    else:
        ratio = _div(d * observed, abs(required))
    return status_from_ratio(ratio)


class Figures:
    """Every usable figure as numpy columns (and as a frame for pandas), sorted by series (indicator and
    coverage), with the row positions of each series."""

    def __init__(self, con: duckdb.DuckDBPyConnection, as_of: date) -> None:
        keys = con.execute(SERIES).fetchall()
        con.register("series", pd.DataFrame({"indicator": [k[0] for k in keys], "coverage": [k[1] for k in keys],
                                             "series": np.arange(len(keys))}))  # fmt: skip
        raw = con.execute(FIGURES, {"as_of": as_of, "qualifiers": list(QUALIFIERS)}).fetchnumpy()
        order = np.argsort(np.asarray(raw["series"]), kind="stable")
        a = {k: np.asarray(v)[order] for k, v in raw.items()}
        published = np.ma.getdata(raw["published"]).astype(float)[order]
        a["published_desc"] = np.where(np.ma.getmaskarray(raw["published"])[order], np.inf, -published)
        a["exact"] = a["q"] == 0
        a["qualifier"] = np.array(QUALIFIERS, dtype=object)[a["q"]]
        self.arrays = a
        self.frame = pd.DataFrame({k: v for k, v in a.items() if k not in ("published_desc", "series")})
        self.frame["published"] = -a["published_desc"]
        bounds = np.searchsorted(a["series"], np.arange(len(keys) + 1))
        self.positions = {key: np.arange(bounds[n], bounds[n + 1]) for n, key in enumerate(keys)}


def statuses(con: duckdb.DuckDBPyConnection, as_of: date, view_class: type[ListView]) -> list[tuple[str, str, str]]:
    targets = con.execute(TARGETS, {"as_of": as_of}).df().astype(object)
    groups: dict[tuple, list] = {}
    for g in targets.itertuples(index=False):
        groups.setdefault((g.indicator, g.coverage, g.proxy), []).append(g)
    figures = Figures(con, as_of)
    none = np.zeros(0, dtype=np.int64)
    out = []
    for (indicator, coverage, proxy), group in groups.items():
        own = figures.positions.get((indicator, coverage), none)
        other = figures.positions.get((indicator, proxy), none) if proxy else none
        view = view_class.build(figures, own, other)
        out += [(g.id, *judge(view, g)) for g in group]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("variant", choices=("pandas", "loop"))
    parser.add_argument("--db", required=True)
    parser.add_argument("--as-of", type=date.fromisoformat, required=True)
    args = parser.parse_args()
    con = duckdb.connect(args.db, read_only=True)
    try:
        rows = statuses(con, args.as_of, PandasView if args.variant == "pandas" else ListView)
    finally:
        con.close()
    sys.stdout.write("id,status,trend_status\n" + "".join(f"{i},{s},{t}\n" for i, s, t in sorted(rows)))


if __name__ == "__main__":
    main()
