"""Python records into DuckDB tables, one list per column: no pandas on the build's path.

Importing pandas costs about a second and 100 MB of memory, which is more than the build
otherwise needs besides DuckDB itself; DuckDB reads Python lists as parameters directly.
One statement per table: ``executemany`` runs its statement once per row (more than a millisecond
a row, measured on the build's 210 rows of files), where one list per column is one statement.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb


def insert_columns(con: duckdb.DuckDBPyConnection, table: str, columns: dict[str, list[Any]]) -> None:
    """Append the rows whose values ``columns`` lists, column by column, to ``table``.

    Only the table's and the columns' names (from the code, never from a file) reach the SQL; every
    value is a parameter. Each column is one list parameter, unnested beside the others."""
    if not columns or not next(iter(columns.values())):
        return
    select = ", ".join(f'unnest(?) AS "{name}"' for name in columns)
    con.execute(f"INSERT INTO {table} BY NAME SELECT {select}", list(columns.values()))  # noqa: S608 - names from the code


def insert_records(con: duckdb.DuckDBPyConnection, table: str, records: Sequence[dict[str, Any]]) -> None:
    """Append ``records`` (dicts with the same keys, which name columns of ``table``) to ``table``."""
    if records:
        insert_columns(con, table, {name: [record[name] for record in records] for name in records[0]})


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, names: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Append ``rows`` (tuples of values in the order of ``names``, columns of ``table``) to ``table``."""
    if rows:
        insert_columns(con, table, {name: list(values) for name, values in zip(names, zip(*rows), strict=True)})
