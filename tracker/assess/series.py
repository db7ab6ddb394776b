"""Indexing every figure the targets need (fetched by one query, ``tracker.assess.queries``) for binary search.

Each target reads one *series*: the figures of its indicator in its own coverage (plus a declared
proxy coverage). A series gets an integer code; the figures are sorted by (code, t), and each row
gets the search key ``code * 1000 + (t - 1900)``. Because t (the period's end, in years) always lies
in [1900, 2900) (tracker.periods bounds the years), the keys of one code never reach the next code's,
so one ``np.searchsorted`` over the whole array finds a target's rows without a loop or a join.
"""

from __future__ import annotations

import numpy as np

from tracker.assess.queries import (  # noqa: F401 (SERIES_SQL and TARGETS_SQL: read from here by the tests)
    FLAGGED_IF_NULL,
    KIND_CODES,
    OTHER_COVERAGE_BIT,
    PERIOD_BITS,
    QUALIFIER_CODES,
    SERIES_SQL,
    SORT_KEYS,
    TARGETS_SQL,
)

_EPS = 1e-9
T_MIN, T_MAX = 1900.0, 2899.0
"""The time axis a key can hold: every period's t lies inside it (see the module docstring)."""


def with_nulls(columns: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The columns of TARGETS_SQL with None (texts) or NaT (the deadline) where their flag is set, flags removed."""
    out = {name: values for name, values in columns.items() if not name.endswith(":null")}
    for name in FLAGGED_IF_NULL:
        missing = columns[f"{name}:null"]
        if missing.any():
            values = out[name].astype(object) if out[name].dtype.kind in "OUS" else out[name].copy()
            values[missing] = np.datetime64("NaT") if values.dtype.kind == "M" else None
            out[name] = values
    return out


def figure_order(raw: dict[str, np.ndarray]) -> np.ndarray:
    """The order of the rows of SERIES_SQL by SORT_KEYS: a stable sort on the period key (close to free on
    rows that mostly come in that order), then each next key sorts only the rows still tied, in their groups."""
    first = raw[SORT_KEYS[0]]
    order = np.argsort(first, kind="stable")
    group = _groups(first[order])
    for name in SORT_KEYS[1:]:
        tied = np.zeros(len(order), dtype=bool)
        same = group[1:] == group[:-1]
        tied[1:] |= same
        tied[:-1] |= same
        at = np.flatnonzero(tied)
        if not len(at):
            break
        rows = order[at]
        # Sorted on the group first, each group of tied rows keeps its positions.
        order[at] = rows[_order_within(group[at], raw[name][rows])]
        group = _groups(group, raw[name][order])
    return order


def _order_within(group: np.ndarray, key: np.ndarray) -> np.ndarray:
    """The order of rows by (group, key), for ascending groups: one stable sort of both packed into one
    integer where they fit (fast on rows already in group order), else numpy's two-key sort."""
    if key.dtype.kind in "iu" and len(key) and key.min() >= 0:
        shift = int(key.max()).bit_length()
        if int(group[-1]) < 1 << (62 - shift):
            return np.argsort((group << shift) | key.astype(np.int64), kind="stable")
    return np.lexsort((key, group))


def _groups(*keys: np.ndarray) -> np.ndarray:
    """A group number for each row of sorted keys: it grows wherever any key changes."""
    change = np.zeros(len(keys[0]), dtype=np.int64)
    for key in keys:
        change[1:] |= key[1:] != key[:-1]
    return np.cumsum(change)


def _period_texts(kind: np.ndarray, start_days: np.ndarray) -> np.ndarray:
    """The period texts (2024, 2024-Q3, 2024-07, 2024-07-15) of periods by kind and first day (days after
    1970-01-01), written by numpy for each kind at once."""
    day = start_days.astype("datetime64[D]")
    out = np.empty(len(day), dtype=object)
    for code, unit in enumerate(("Y", "Y", "M", "D")):  # the order of KIND_CODES
        rows = kind == code
        if rows.any():
            out[rows] = np.datetime_as_string(day[rows], unit=unit).astype(object)
    quarter = kind == KIND_CODES.index("quarter")
    if quarter.any():
        months = day[quarter].astype("datetime64[M]").astype(np.int64) % 12
        out[quarter] = [f"{y}-Q{m // 3 + 1}" for y, m in zip(out[quarter].tolist(), months.tolist(), strict=True)]
    return out


class Series:
    """The figures of every indicator, one per period, sorted by indicator and time."""

    def __init__(self, raw: dict[str, np.ndarray]) -> None:
        """``raw``: the rows of SERIES_SQL as fetched; the first row of each period in the order of SORT_KEYS
        (``figure_order``) is the figure used, and only those rows are read further."""
        order = figure_order(raw)
        period_key = raw["period_key"][order]
        n = len(period_key)
        first = np.ones(n, dtype=bool)
        if n:  # a new series, period end or kind
            first[1:] = period_key[1:] != period_key[:-1]
        starts = np.flatnonzero(first)
        self.figures = np.diff(np.append(starts, n))
        rows = order[starts]
        key = period_key[starts]
        self.code = key >> PERIOD_BITS
        self.t = raw["t"][rows]
        self.value = raw["value"][rows]
        self.q = raw["q"][rows]
        self.digits = raw["digits"][rows].astype(np.int64)
        self.kind = (key & 3).astype(np.int8)
        self.start = raw["start"][rows].astype(np.int64)
        scope = raw["choice_key"][rows] >> OTHER_COVERAGE_BIT  # 1 for the proxy coverage, 0 for the own
        self.key = self.code * 1000.0 + (self.t - 1900.0)
        m = len(self.t)
        changed = np.zeros(m, dtype=bool)
        if m:
            changed[1:] = (self.code[1:] == self.code[:-1]) & (scope[1:] != scope[:-1])
        # Running counts (exact integers) of the rows a target's range must list or flag.
        pad = lambda a: np.concatenate([[0], np.cumsum(a)])  # noqa: E731
        self.qualified_count = pad(self.q != 0)
        self.conflict_count = pad(self.figures > 1)
        self.change_count = pad(changed)
        self.nonpositive_count = pad(self.value <= 0)
        # By series, then first day, then t (the order the rows come in): the first two packed in one integer,
        # whose stable sort is fast on rows already close to that order.
        first_day = self.start - self.start.min() if m else self.start
        order = np.argsort((self.code << 32) | first_day, kind="stable")
        self.by_start = order
        self.start_key = self.code[order] * 1_000_000.0 + self.start[order]

    def find(self, codes: np.ndarray, t: np.ndarray, side: str, order: np.ndarray | None = None) -> np.ndarray:
        """Row positions of (code, t) in the sorted keys; t is clamped into the code's own key range. ``order``:
        the targets by series (``search``)."""
        return search(self.key, codes * 1000.0 + (np.clip(t, T_MIN, T_MAX) - T_MIN), side, order)

    def published_digits(self, idx: np.ndarray) -> np.ndarray:
        """Significant digits of the figures at ``idx`` as published (3 where there is no figure)."""
        if not len(self.t):
            return np.full(len(idx), 3, dtype=np.int64)
        return np.where(idx >= 0, self.digits[np.clip(idx, 0, len(self.t) - 1)], 3)

    def period(self, idx: np.ndarray) -> np.ndarray:
        """The period texts of rows ``idx`` (None where -1); each distinct row is written once."""
        idx = np.asarray(idx, dtype=np.int64)
        out = np.full(len(idx), None, dtype=object)
        ok = idx >= 0
        if ok.any():
            rows, inverse = np.unique(idx[ok], return_inverse=True)
            out[ok] = _period_texts(self.kind[rows], self.start[rows])[inverse]
        return out

    def qualified_points(self, lo: np.ndarray, hi: np.ndarray) -> list[list[dict]]:
        """For each target, the qualified figures in rows (lo, hi]: one dict per figure, made once per row."""
        rows = np.flatnonzero(self.q != 0)
        first = np.searchsorted(rows, lo, side="right")
        last = np.searchsorted(rows, hi, side="right")
        if not (last > first).any():
            return [[] for _ in range(len(lo))]
        periods = self.period(rows)
        values, codes = self.value[rows].tolist(), self.q[rows].tolist()
        points = [{"period": p, "qualifier": QUALIFIER_CODES[q], "value": v}
                  for p, q, v in zip(periods.tolist(), codes, values, strict=True)]  # fmt: skip
        return [points[a:b] for a, b in zip(first.tolist(), last.tolist(), strict=True)]


def search(keys: np.ndarray, needles: np.ndarray, side: str, order: np.ndarray | None = None) -> np.ndarray:
    """np.searchsorted of the needles taken in ``order`` (the targets by series code): each search then starts
    near where the last one ended, instead of a random read of the whole array (ten times slower)."""
    if order is None:
        return np.searchsorted(keys, needles, side=side)
    found = np.empty(len(needles), dtype=np.int64)
    found[order] = np.searchsorted(keys, needles[order], side=side)
    return found


def pick(series: Series, idx: np.ndarray, valid: np.ndarray) -> tuple[np.ndarray, ...]:
    """t, value, qualifier and period of the rows at ``idx`` (-1 / NaN where not valid)."""
    idx = np.where(valid, idx, -1)
    safe = np.clip(idx, 0, max(len(series.t) - 1, 0))
    if len(series.t) == 0:
        nan = np.full(len(idx), np.nan)
        return idx, nan, nan, np.full(len(idx), None, dtype=object), [None] * len(idx)
    t = np.where(valid, series.t[safe], np.nan)
    value = np.where(valid, series.value[safe], np.nan)
    qualifier = np.where(valid, np.array(QUALIFIER_CODES, dtype=object)[series.q[safe]], None)
    return idx, t, value, qualifier, series.period(idx)
