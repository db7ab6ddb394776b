"""Read-only queries the dashboard and the reports need; each runs on its own cursor."""

from __future__ import annotations

import duckdb
import pandas as pd

from tracker.store import query


def meta(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    frame = query(con, "SELECT key, value FROM meta")
    return dict(zip(frame["key"], frame["value"], strict=True))


def targets(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return query(
        con,
        """SELECT g.*, p.title AS policy_title, p.title_zh AS policy_title_zh, p.issuer, p.issuer_zh, p.issued,
                  p.url AS policy_url, p.parent AS policy_parent,
                  i.name AS indicator_name, i.name_zh AS indicator_name_zh,
                  c.name AS coverage_name, c.name_zh AS coverage_name_zh,
                  pc.name AS proxy_coverage_name, pc.name_zh AS proxy_coverage_name_zh
           FROM targets g JOIN policies p ON p.id = g.policy_id JOIN indicators i ON i.id = g.indicator
           JOIN coverages c ON c.indicator = g.indicator AND c.id = g.coverage
           LEFT JOIN coverages pc ON pc.indicator = g.indicator AND pc.id = g.proxy_coverage
           ORDER BY g.id""",
    )


def policies(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return query(con, "SELECT * FROM policies ORDER BY issued_date, id")


def indicators(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return query(
        con,
        # Observations are summed up by indicator before the join: grouping the joined rows by every column of
        # the indicator held a copy of those columns per observation (about 120 MB at a million rows).
        """WITH o AS (
               SELECT indicator, count(value) AS figures, min(period_start) AS first_period_start,
                      max(period_end) AS last_period_end, arg_max(period, period_end) AS last_period,
                      max(published) AS last_published, count(DISTINCT source_title) AS sources,
                      arg_min(value, t) AS first_value, min(t) AS first_t, arg_max(value, t) AS last_value,
                      max(t) AS last_t
               FROM observations GROUP BY indicator)
           SELECT i.*, coalesce(o.figures, 0) AS figures, o.first_period_start, o.last_period_end, o.last_period,
                  o.last_published, coalesce(o.sources, 0) AS sources, o.first_value, o.first_t, o.last_value,
                  o.last_t
           FROM indicators i LEFT JOIN o ON o.indicator = i.id ORDER BY i.id""",
    )


# The load is parallel, so rows keep no order: figures of one period in one file are put in a fixed
# order by everything a reader sees of them (a chart or a page built twice is then the same).
TIES = ("o.coverage NULLS FIRST, o.published NULLS FIRST, o.value, o.qualifier, o.source_title, o.publisher, "
        "o.source_url, o.note NULLS FIRST")  # fmt: skip


def observations(con: duckdb.DuckDBPyConnection, indicator: str) -> pd.DataFrame:
    """Every figure of one indicator, with its citation, oldest first."""
    return query(
        con,
        f"""SELECT o.period, o.period_kind, o.period_start, o.period_end, o.t, o.value, o.qualifier, o.published_value,
                  o.published_unit, o.digits, o.coverage, c.name AS coverage_name, c.name_zh AS coverage_name_zh,
                  o.source_title, o.publisher, o.publisher_zh, o.source_url, o.published, o.note, o.source_file
           FROM observations o LEFT JOIN coverages c ON c.indicator = o.indicator AND c.id = o.coverage
           WHERE o.indicator = $indicator ORDER BY o.period_end, o.period, o.source_file, {TIES}""",  # noqa: S608 - constants
        {"indicator": indicator},
    )


def problems(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return query(con, "SELECT path, line, col, severity, message FROM problems ORDER BY severity, path, line, col")


def files(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return query(con, "SELECT * FROM files ORDER BY status DESC, path")


def conflicts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Periods whose figures for the same indicator and coverage disagree (in value or qualifier), figure by
    figure. Two sources that give the same figure for a period agree: they are not listed."""
    return query(
        con,
        """SELECT o.indicator, o.period, o.value, o.qualifier, o.published_value, o.published_unit, o.digits,
                  o.coverage, c.name AS coverage_name, c.name_zh AS coverage_name_zh, o.source_title, o.publisher,
                  o.publisher_zh, o.source_url
           FROM observations o
           JOIN (SELECT indicator, period, coverage FROM observations GROUP BY ALL
                 HAVING min(value) <> max(value) OR count(DISTINCT coalesce(qualifier, '=')) > 1) d
             USING (indicator, period, coverage)
           LEFT JOIN coverages c ON c.indicator = o.indicator AND c.id = o.coverage
           ORDER BY o.indicator, o.period, o.value""",
    )


OBSERVATIONS_EXPORT = (
    """SELECT o.indicator, o.period, o.period_start, o.period_end, o.value, i.unit, o.qualifier,
       o.published_value, o.published_unit, o.coverage, c.name AS coverage_name, o.source_title, o.publisher,
       o.publisher_zh, o.source_url, o.published, o.note, o.source_file
FROM observations o JOIN indicators i ON i.id = o.indicator
LEFT JOIN coverages c ON c.indicator = o.indicator AND c.id = o.coverage
ORDER BY o.indicator, o.period_end, o.period, o.source_file, """
    + TIES
)
"""Every observation with its indicator's unit and coverage name, for the open data (a SELECT to COPY)."""
