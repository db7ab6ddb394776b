"""Python records into DuckDB tables, one list per column: no pandas on the build's path.

Importing pandas costs about a second and 100 MB of memory, which is more than the build
otherwise needs besides DuckDB itself; DuckDB reads Python lists as parameters directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb


def insert_records(con: duckdb.DuckDBPyConnection, table: str, records: Sequence[dict[str, Any]]) -> None:
    """Append ``records`` (dicts with the same keys, which name columns of ``table``) to ``table``.

    Only the table's and the keys' names (from the code, never from a file) reach the SQL; every
    value is a parameter. Each column is one list parameter, unnested beside the others."""
    if not records:
        return
    names = list(records[0])
    select = ", ".join(f'unnest(?) AS "{name}"' for name in names)
    columns = [[record[name] for record in records] for name in names]
    con.execute(f"INSERT INTO {table} BY NAME SELECT {select}", columns)  # noqa: S608 - names from the code
