"""Open data next to the pages: observations, targets and statuses as CSV and JSON, described by a
Frictionless Data Package (``data/datapackage.json``), and one JSON per target with the components
of its status (the same working-out its page shows).

Tables are written by DuckDB (``COPY ... TO``), so a million observations never sit in pandas.
CSV text cells that a spreadsheet would run as a formula get the apostrophe of
:func:`tracker.escape.spreadsheet_cell` (the same rule in SQL: the qualifier "=" and the comparator "==" stay
codes); the JSON keeps the text as written.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import duckdb
import pandas as pd

from tracker.escape import FORMULA_START, SIGN_CODES, XLSX_ILLEGAL_PATTERN
from tracker.i18n import LANGUAGES
from tracker.queries import OBSERVATIONS_EXPORT
from tracker.target_card import working_out

STATUS_COLUMNS = ["id", "kind", "indicator", "coverage", "proxy_coverage", "judged", "status", "trend_status",
                  "method", "score", "ratio", "base_period", "base_qualifier", "base_value", "latest_period",
                  "latest_qualifier",
                  "latest_value", "final_period", "final_qualifier", "final_value", "comparator", "target_value",
                  "unit", "deadline", "projected_value", "projected_low", "projected_high", "explanation",
                  "explanation_zh"]  # fmt: skip
TARGET_COLUMNS = ["id", "policy_id", "title", "title_zh", "kind", "indicator", "coverage", "proxy_coverage",
                  "proxy_why", "comparator", "value", "unit", "deadline", "baseline_period", "baseline_value",
                  "method", "source", "wording", "interpretation", "policy_title", "issuer", "issued",
                  "policy_url"]  # fmt: skip
_TYPES = {"VARCHAR": "string", "DOUBLE": "number", "FLOAT": "number", "BIGINT": "integer", "INTEGER": "integer",
          "BOOLEAN": "boolean", "DATE": "date", "HUGEINT": "integer", "SMALLINT": "integer"}  # fmt: skip
_DESCRIPTIONS = {
    "observations": "Every observed figure, in its indicator's unit and as published, with its coverage and source.",
    "targets": "Every target as its policy document sets it (or as the file reads the document's words).",
    "statuses": "The assessment of every target on the build date: status, score, figures used, projection.",
}


def _cleaned_sql(column: str) -> str:
    """The column without the characters a spreadsheet cannot store (tracker.escape.XLSX_ILLEGAL_PATTERN)."""
    return f"regexp_replace({column}, '{XLSX_ILLEGAL_PATTERN}', '', 'g') AS {column}"


def _cell_sql(column: str) -> str:
    """:func:`tracker.escape.spreadsheet_cell` in SQL, on a column already cleaned by :func:`_cleaned_sql`: an
    apostrophe before text that starts like a formula (but for the codes "=" and "==")."""
    starts, codes = (", ".join("'" + c.replace("'", "''") + "'" for c in sorted(texts)) for texts in
                     (FORMULA_START, SIGN_CODES))  # fmt: skip
    return (f"CASE WHEN left({column}, 1) IN ({starts}) AND {column} NOT IN ({codes}) THEN '''' || {column} "
            f"ELSE {column} END AS {column}")  # fmt: skip


def _quoted(path: Path) -> str:
    """A file name as an SQL string literal (COPY takes no parameters for its target)."""
    return "'" + str(path).replace("'", "''") + "'"


def _plain_frame(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    out = frame[[c for c in columns if c in frame.columns]].copy()
    for column in out.columns:
        if out[column].dtype == object:
            out[column] = out[column].map(lambda v: "; ".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.date
    return out


def _write_table(con: duckdb.DuckDBPyConnection, folder: Path, name: str, select: str) -> dict:
    """data/NAME.csv and data/NAME.json from ``select``; returns the Data Package resource for the CSV."""
    # Every SELECT and column name here is this module's own text; only the file name comes from the
    # caller, and _quoted makes it a literal (COPY takes no parameter for its target).
    described = con.execute(f"DESCRIBE {select}").fetchall()  # noqa: S608
    columns = [(c[0], str(c[1])) for c in described]
    text = [n for n, t in columns if t == "VARCHAR"]
    cleaned = ", ".join(_cleaned_sql(n) if n in text else n for n, _ in columns)
    csv_cells = ", ".join(_cell_sql(n) if n in text else n for n, _ in columns)
    csv_path, json_path = folder / f"{name}.csv", folder / f"{name}.json"
    # Each text cleaned once, then checked for a formula's start (the cleaning written out in the check ran it
    # three times a cell).
    copy = f"COPY (SELECT {csv_cells} FROM (SELECT {cleaned} FROM ({select}))) TO {_quoted(csv_path)}"  # noqa: S608
    con.execute(f"{copy} (HEADER, DELIMITER ',')")
    con.execute(f"COPY ({select}) TO {_quoted(json_path)} (FORMAT json, ARRAY true)")
    fields = [{"name": n, "type": _TYPES.get(t, "string")} for n, t in columns]
    return {"name": name, "path": f"{name}.csv", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "description": _DESCRIPTIONS[name], "schema": {"fields": fields}}  # fmt: skip


def write_tables(con: duckdb.DuckDBPyConnection, folder: Path, assessed: pd.DataFrame, targets: pd.DataFrame,
                 meta: dict) -> Path:  # fmt: skip
    """The three tables and datapackage.json in ``folder``; returns the descriptor's path."""
    folder.mkdir(parents=True, exist_ok=True)
    con.register("report_statuses", _plain_frame(assessed, STATUS_COLUMNS))
    con.register("report_targets", _plain_frame(targets, TARGET_COLUMNS))
    try:
        resources = [
            _write_table(con, folder, "observations", OBSERVATIONS_EXPORT),
            _write_table(con, folder, "targets", "SELECT * FROM report_targets ORDER BY id"),
            _write_table(con, folder, "statuses", "SELECT * FROM report_statuses ORDER BY id"),
        ]
    finally:
        con.unregister("report_statuses")
        con.unregister("report_targets")
    for r in resources:
        if r["name"] in ("targets", "statuses"):
            r["schema"]["primaryKey"] = ["id"]
    package = {
        "name": "policy-target-tracker",
        "title": "Policy target tracker: targets, observed figures and statuses",
        "version": str(meta.get("data_version", "")),
        "created": str(meta.get("built_at", "")),
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "title": "Creative Commons Attribution 4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
            }
        ],  # fmt: skip
        "resources": resources,
    }
    path = folder / "datapackage.json"
    path.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def _json_value(value: object) -> object:
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    if hasattr(value, "tolist") and not isinstance(value, str):
        return _json_value(value.tolist())
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def target_json(row: pd.Series, unit: str) -> str:
    """One target's status components: the assessed record and the working-out the page shows."""
    record = {k: _json_value(v) for k, v in row.items() if k not in ("base_t", "latest_t", "deadline_t")}
    record["working_out"] = {lang: [{"component": k, "value": v} for k, v in working_out(row, unit, lang)]
                             for lang in LANGUAGES}  # fmt: skip
    return json.dumps(record, indent=1, ensure_ascii=False) + "\n"


def statuses_by_id(path: Path) -> dict[str, dict]:
    """The statuses a previous build wrote (data/statuses.json), by target id; empty when there is none."""
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {r["id"]: r for r in rows if isinstance(r, dict) and isinstance(r.get("id"), str)}
