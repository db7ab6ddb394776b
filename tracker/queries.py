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
        """SELECT g.*, p.title AS policy_title, p.title_zh AS policy_title_zh, p.issuer, p.issued, p.url AS policy_url,
                  i.name AS indicator_name, i.name_zh AS indicator_name_zh
           FROM targets g JOIN policies p ON p.id = g.policy_id JOIN indicators i ON i.id = g.indicator
           ORDER BY g.id""",
    )


def policies(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return query(con, "SELECT * FROM policies ORDER BY issued_date, id")


def indicators(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return query(
        con,
        """SELECT i.*, count(o.value) AS figures, min(o.period_start) AS first_period_start,
                  max(o.period_end) AS last_period_end, arg_max(o.period, o.period_end) AS last_period,
                  max(o.published) AS last_published, count(DISTINCT o.source_title) AS sources,
                  arg_min(o.value, o.t) AS first_value, min(o.t) AS first_t,
                  arg_max(o.value, o.t) AS last_value, max(o.t) AS last_t
           FROM indicators i LEFT JOIN observations o ON o.indicator = i.id
           GROUP BY ALL ORDER BY i.id""",
    )


def observations(con: duckdb.DuckDBPyConnection, indicator: str) -> pd.DataFrame:
    """Every figure of one indicator, with its citation, oldest first."""
    return query(
        con,
        """SELECT period, period_kind, period_start, period_end, t, value, qualifier, published_value, published_unit,
                  scope, source_title, publisher, source_url, published, note, source_file
           FROM observations WHERE indicator = $indicator ORDER BY period_end, period, source_file""",
        {"indicator": indicator},
    )


def problems(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return query(con, "SELECT path, line, col, severity, message FROM problems ORDER BY severity, path, line, col")


def files(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return query(con, "SELECT * FROM files ORDER BY status DESC, path")


def conflicts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Periods with more than one figure for the same indicator, figure by figure."""
    return query(
        con,
        """SELECT o.indicator, o.period, o.value, o.qualifier, o.published_value, o.published_unit, o.scope,
                  o.source_title, o.publisher, o.source_url
           FROM observations o
           JOIN (SELECT indicator, period FROM observations GROUP BY ALL HAVING count(*) > 1) d
             USING (indicator, period)
           ORDER BY o.indicator, o.period, o.value""",
    )
