"""The status records of ``python -m tracker status``: JSON, and a table for the terminal."""

from __future__ import annotations

import json
import math
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from tracker.assess.explain import deadline_text, deciding_figure
from tracker.assess.methods import METHODS
from tracker.formatting import format_value
from tracker.status import STATUS_LABELS

RECORD_FIELDS: tuple[str, ...] = (
    "id", "kind", "status", "method", "score", "ratio", "latest_value", "latest_period", "base_value", "base_period",
    "target_value", "comparator", "deadline", "coverage", "proxy_coverage", "projected_value", "projected_low",
    "projected_high", "flags", "explanation",
)  # fmt: skip


def _plain_column(column: pd.Series) -> list[Any]:
    """One column as plain JSON-able values: None for missing, dates as ISO text, numpy scalars as Python's."""
    if pd.api.types.is_datetime64_any_dtype(column):
        return [None if pd.isna(v) else v for v in column.dt.strftime("%Y-%m-%d").tolist()]
    values = column.to_numpy(dtype=object).tolist() if column.dtype == object else column.tolist()
    return [
        None if (isinstance(v, float) and math.isnan(v)) or v is pd.NA or v is pd.NaT
        else v.item() if isinstance(v, np.generic)
        else pd.Timestamp(v).date().isoformat() if isinstance(v, (pd.Timestamp, date))
        else v
        for v in values
    ]  # fmt: skip


def record_columns(assessed: pd.DataFrame) -> dict[str, list[Any]]:
    """The fields of the status records, column by column (no row of the frame is boxed)."""
    columns = {key: _plain_column(assessed[key]) for key in RECORD_FIELDS}
    columns["qualified_points"] = assessed["qualified_points"].tolist()
    return columns


def records(assessed: pd.DataFrame) -> list[dict[str, Any]]:
    """The status records of ``python -m tracker status``: plain JSON-able values."""
    columns = record_columns(assessed)
    keys = list(columns)
    return [dict(zip(keys, row, strict=True)) for row in zip(*columns.values(), strict=True)]


def to_json(assessed: pd.DataFrame) -> str:
    return json.dumps(records(assessed), ensure_ascii=False, indent=2, default=str)


def status_table(assessed: pd.DataFrame) -> str:
    """A plain-text table for the terminal: id, status, latest, target, projection; then the explanations."""
    rows = [("target", "status", "score", "latest", "target value", "projected")]
    for r in assessed.itertuples(index=False):
        rows.append(
            (
                r.id,
                STATUS_LABELS[r.status] + (" *" if "awaiting_final_data" in r.flags else ""),
                "" if pd.isna(r.score) else f"{r.score:+.1f}",
                deciding_figure(r),
                " ".join(
                    part
                    for part in (
                        r.comparator if isinstance(r.comparator, str) else "",
                        format_value(r.target_value, r.unit),
                        f"by {deadline_text(r)}" if not pd.isna(r.deadline) else "",
                    )
                    if part
                ),
                "" if pd.isna(r.projected_value) else format_value(r.projected_value, r.unit),
            )
        )
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append("")
    as_of = assessed["as_of"].iloc[0] if len(assessed) else ""
    lines.append(f"* deadline passed, figure for it not out yet. Assessed as of {as_of}.")
    lines += [f"{r.id}: {r.explanation}" for r in assessed.itertuples(index=False)]
    used = set(assessed["method"]) if len(assessed) else set()
    lines += ["", "Methods:"] + [f"  {m.name}: {m.title}. {m.description}" for m in METHODS.values() if m.name in used]
    return "\n".join(lines)
