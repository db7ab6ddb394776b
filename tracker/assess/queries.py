"""The assessment's two queries: the targets, and every figure they read. Their text and running them, with no
numpy: ``tracker status`` opens the database and starts both while it imports numpy and the assessment's stages
(on two cores the two overlap: on the shipped data each is about a third of what the command adds to
``import duckdb``).

Each target reads one *series*: the figures of its indicator in its own coverage (plus a declared proxy coverage),
under an integer code that both queries give it the same way (``tracker.assess.series`` indexes the figures).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import suppress
from datetime import date
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    import duckdb
    import numpy as np

    from tracker.assess.series import Series

QUALIFIER_CODES = ("=", ">", ">=", "<", "<=", "~")
KIND_CODES = ("year", "quarter", "month", "day")

# One series per indicator and set of accepted coverages (the target's own, plus a declared proxy):
# figures of other coverages never enter a target's trend. Each gets an integer code, the same in both
# queries below (the catalogue is the same in both).
SERIES_KEYS = """
series_keys AS (SELECT indicator, coverage, proxy,
                       (row_number() OVER (ORDER BY indicator, coverage, proxy) - 1)::BIGINT AS code
                FROM (SELECT DISTINCT indicator, coverage, coalesce(proxy_coverage, '') AS proxy FROM targets))
"""

_TARGETS = f"""
WITH {SERIES_KEYS},
     counts AS (SELECT indicator, coverage, count(*) AS n FROM observations
                WHERE value IS NOT NULL AND period_end <= $as_of AND coverage IS NOT NULL GROUP BY ALL),
     totals AS (SELECT indicator, sum(n) AS n FROM counts GROUP BY ALL)
SELECT g.id, g.kind, g.wording, g.indicator, g.coverage, g.proxy_coverage, g.comparator, g.value AS target_value,
       g.unit, g.deadline, g.deadline_t, k.code,
       g.baseline_period, (g.baseline_start - DATE '1970-01-01')::DOUBLE AS baseline_start_day, g.baseline_t,
       g.baseline_value, g.method AS chosen_method,
       p.issued_t, i.measure, i.frequency, i."limit" AS ind_limit, i.name AS indicator_name,
       i.name_zh AS indicator_name_zh,
       coalesce(g.deadline < $as_of, false) AS deadline_passed,
       -- figures of the indicator in neither the target's coverage nor its declared proxy (joined, not a
       -- subquery per target)
       (coalesce(tot.n, 0) - coalesce(own.n, 0) - coalesce(px.n, 0))::BIGINT AS other_coverage_figures
FROM targets g JOIN policies p ON p.id = g.policy_id JOIN indicators i ON i.id = g.indicator
JOIN series_keys k ON k.indicator = g.indicator AND k.coverage = g.coverage AND k.proxy = coalesce(g.proxy_coverage, '')
LEFT JOIN totals tot ON tot.indicator = g.indicator
LEFT JOIN counts own ON own.indicator = g.indicator AND own.coverage = g.coverage
LEFT JOIN counts px ON px.indicator = g.indicator AND px.coverage = g.proxy_coverage AND px.coverage <> g.coverage
"""  # noqa: S608 (built from constant text only; values are parameters)

# No column of the targets query holds a NULL: DuckDB's fetchnumpy gives such a column as a masked array, and
# importing numpy.ma for it was about a twentieth of ``tracker status``'s start-up on the shipped data. A number
# that may be missing comes as NaN (what a NULL became before); a text or the deadline comes with a flag column
# "<name>:null", and ``with_nulls`` puts None or NaT back where it is set.
NAN_IF_NULL = ("deadline_t", "baseline_start_day", "baseline_t", "baseline_value", "ind_limit")
FLAGGED_IF_NULL = {**dict.fromkeys(("wording", "proxy_coverage", "comparator", "baseline_period", "chosen_method",
                                    "indicator_name_zh"), "''"), "deadline": "DATE '1970-01-01'"}  # fmt: skip
_NOT_NULL = ", ".join(
    [f"coalesce({n}, 'NaN'::DOUBLE) AS {n}" for n in NAN_IF_NULL]
    + [f"coalesce({n}, {v}) AS {n}" for n, v in FLAGGED_IF_NULL.items()]
)
_NULL_FLAGS = ", ".join(f'{n} IS NULL AS "{n}:null"' for n in FLAGGED_IF_NULL)
TARGETS_SQL = f"SELECT * REPLACE ({_NOT_NULL}), {_NULL_FLAGS} FROM ({_TARGETS}) ORDER BY id"  # noqa: S608 (constant text)


# Every figure up to the as-of date, as numbers; Series sorts them by indicator and time and, within
# one period, puts the figure to use first: the target's own coverage before a proxy, then exact (=),
# then latest published, file, value. The keys are packed into two integers, then the file's rank and
# the value:
# - series code, period end (days after 1800-01-01: under 2^19 for the years tracker.periods allows)
#   and kind: the order of (code, t, kind), since t grows with the period's end day;
# - own coverage first, then '=' before other qualifiers before none, then the latest publication
#   date first and none last (2^30 days reach past any date DuckDB holds).
# DuckDB sorting a million rows on them was most of the query; numpy sorts them in a fraction of that
# (``figure_order``), since the build stores each file's rows in the order they were written, which
# is mostly by indicator and period already. The series code, the kind and whether a figure is in the
# target's own coverage are read back from the keys (``Series``), not fetched again: a series holds
# figures of two coverages at most (its own and a declared proxy), so "own or not" tells when the
# coverage changes; and t is the period end's (tracker.periods.date_to_t), so a period key is one t.
PERIOD_BITS = 21
"""The bits of a period key below the series code: day and kind (see PERIOD_KEY)."""
PERIOD_KEY = """c.code * 2097152 + (o.period_end - DATE '1800-01-01') * 4
       + CASE o.period_kind WHEN 'year' THEN 0 WHEN 'quarter' THEN 1 WHEN 'month' THEN 2 ELSE 3 END"""
OTHER_COVERAGE_BIT = 33
"""The bit of a choice key that is set for a figure of the proxy coverage (see CHOICE_KEY)."""
CHOICE_KEY = """(NOT c.own)::BIGINT * 8589934592
       + CASE WHEN o.qualifier = '=' THEN 0 WHEN o.qualifier IS NULL THEN 2 ELSE 1 END * 2147483648
       + coalesce(DATE '294000-01-01' - o.published, 1073741824)"""
SERIES_SQL = f"""
WITH {SERIES_KEYS},
     codes AS (SELECT code, indicator, coverage, true AS own FROM series_keys
               UNION ALL
               SELECT k.code, k.indicator, k.proxy AS coverage, k.proxy = k.coverage AS own FROM series_keys k
               WHERE k.proxy <> ''),
     files AS (SELECT source_file, (row_number() OVER (ORDER BY source_file))::INTEGER AS file
               FROM (SELECT DISTINCT source_file FROM observations))
SELECT {PERIOD_KEY} AS period_key, {CHOICE_KEY} AS choice_key, f.file, o.t, o.value,
       CASE o.qualifier WHEN '=' THEN 0 WHEN '>' THEN 1 WHEN '>=' THEN 2 WHEN '<' THEN 3 WHEN '<=' THEN 4
                        ELSE 5 END::TINYINT AS q,
       (o.period_start - DATE '1970-01-01')::INTEGER AS start,
       coalesce(o.digits, 3)::TINYINT AS digits
FROM observations o JOIN codes c ON c.indicator = o.indicator AND c.coverage = o.coverage
JOIN files f ON f.source_file IS NOT DISTINCT FROM o.source_file
WHERE o.value IS NOT NULL AND o.period_end <= $as_of
"""  # noqa: S608 (built from constant text only; values are parameters)
SORT_KEYS = ("period_key", "choice_key", "file", "value")
"""The order of the figures: ORDER BY these columns of SERIES_SQL (``figure_order`` gives it)."""

Result = TypeVar("Result")


class Background(Generic[Result]):
    """A call run on a thread of its own; ``result()`` waits for it and returns its value or raises its error on
    the thread that asks (not in a thread's log)."""

    def __init__(self, call: Callable[..., Result], *args: Any) -> None:
        self._out: list[Any] = []
        self._thread = threading.Thread(target=self._run, args=(call, args), name="tracker-background")
        self._thread.start()

    def _run(self, call: Callable[..., Result], args: tuple[Any, ...]) -> None:
        try:
            self._out.append(call(*args))
        except BaseException as exc:  # noqa: BLE001 (raised again on the thread that asks)
            self._out.append(exc)

    def wait(self) -> None:
        """Wait for the call to end, whatever its outcome."""
        self._thread.join()

    def result(self) -> Result:
        self._thread.join()
        if isinstance(self._out[0], BaseException):
            raise self._out[0]
        return self._out[0]


class Fetch:
    """Both queries, started on a connection: the figures on a thread of their own, where they are fetched, sorted
    and indexed (``Series``), and the targets on the thread that starts them, fetched when asked for. DuckDB and
    numpy's sorts let go of the GIL while they work, so on two cores the two overlap (at 100,000 targets each is
    about a quarter of a second). Each query runs on its own cursor, closed once its rows are read."""

    def __init__(self, con: duckdb.DuckDBPyConnection, as_of: date) -> None:
        self._cursor = con.cursor()
        self._figures = Background(_series, self._cursor, as_of)
        self._targets = con.cursor()
        try:
            self._targets.execute(TARGETS_SQL, {"as_of": as_of})
        except BaseException:
            self._targets.close()
            self.stop()
            raise

    def wait(self) -> None:
        """Wait for the figures' thread to end, whatever its outcome."""
        self._figures.wait()

    def stop(self) -> None:
        """End the figures' query now and wait for its thread: before the connection is closed when the command
        stops early or fails (DuckDB refuses to close a connection while a cursor of it runs, and that refusal
        would be reported instead of the error; waiting for the whole query made Ctrl-C wait as long)."""
        with suppress(Exception):  # the thread's own outcome is what counts, and it is waited for
            self._cursor.interrupt()  # a query that has ended, or not begun, is left as it is
        self._figures.wait()

    def targets(self) -> dict[str, np.ndarray]:
        """The targets query's columns, as DuckDB's ``fetchnumpy`` gives them."""
        try:
            return self._targets.fetchnumpy()
        finally:
            self._targets.close()

    def series(self) -> Series:
        """Every figure the targets read, indexed."""
        return self._figures.result()


def _series(cursor: duckdb.DuckDBPyConnection, as_of: date) -> Series:
    from tracker.assess.series import Series  # numpy: imported here, not by ``tracker status`` before it starts

    try:
        return Series(cursor.execute(SERIES_SQL, {"as_of": as_of}).fetchnumpy())
    finally:
        cursor.close()
