"""The status records of ``python -m tracker status``: CSV, JSON, and a table for the terminal."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, datetime
from typing import Any

import numpy as np

from tracker.assess.columns import alongside, column, part, row_count, rows
from tracker.assess.columns import is_missing as _isnan
from tracker.assess.explain import deadline_text, deciding_figure
from tracker.assess.methods import METHODS
from tracker.escape import spreadsheet_column
from tracker.formatting import format_value
from tracker.i18n import t
from tracker.status import AWAITING, STATUS_LABELS

RECORD_FIELDS: tuple[str, ...] = (
    "id", "kind", "status", "trend_status", "method", "score", "ratio", "latest_value", "latest_period", "final_value",
    "final_period", "base_value", "base_period", "target_value", "comparator", "deadline", "coverage", "proxy_coverage",
    "projected_value", "projected_low", "projected_high", "flags", "explanation",
)  # fmt: skip
"""trend_status: for a target awaiting the figure for its passed deadline (status awaiting_final), the status the
figures up to the deadline point to (on_track ... insufficient_data); empty otherwise. latest_*: the latest figure up
to the deadline (what the trend reads); final_*: once the deadline has passed,
the figure for it (or the first after it) that decided achieved or missed, empty until one is found."""
JSON_FIELDS: tuple[str, ...] = (*RECORD_FIELDS, "qualified_points")
"""The fields of a JSON record: those of the CSV, and the qualified figures the trend read (a list)."""


def _plain_column(values: np.ndarray) -> list[Any]:
    """One column as plain JSON-able values: None for missing, dates as ISO text, numpy scalars as Python's."""
    if values.dtype.kind == "M":  # a few distinct dates (deadlines) over many targets: each written once
        distinct, inverse = np.unique(values.astype("datetime64[D]"), return_inverse=True)
        texts = [None if v == "NaT" else v for v in distinct.astype(str).tolist()]
        return list(map(texts.__getitem__, inverse.tolist()))
    if values.dtype.kind == "f":
        return [None if v != v else v for v in values.tolist()]
    if values.dtype.kind in "iub":
        return values.tolist()
    return [v if isinstance(v, str) else _plain_value(v) for v in values.tolist()]


def _plain_value(v: Any) -> Any:
    if _isnan(v) or type(v).__name__ in ("NAType", "NaTType"):
        return None
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, datetime):
        return v.date().isoformat()
    return v.isoformat() if isinstance(v, date) else v


def record_columns(assessed: Mapping[str, Any], fields: tuple[str, ...] = JSON_FIELDS) -> dict[str, list[Any]]:
    """The fields of the status records, column by column (no row is boxed), from the columns of
    ``assess_columns`` or the DataFrame of ``assess``."""

    def plain(key: str) -> list[Any]:
        # The qualified figures are lists of dicts made JSON-able by the assessment.
        return (
            column(assessed, key, object).tolist()
            if key == "qualified_points"
            else _plain_column(column(assessed, key))
        )

    return {key: plain(key) for key in fields}


def records(assessed: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The status records of ``python -m tracker status``: plain JSON-able values."""
    columns = record_columns(assessed)
    keys = list(columns)
    return [dict(zip(keys, row, strict=True)) for row in zip(*columns.values(), strict=True)]


def _csv_column(values: list[Any]) -> list[str]:
    """One column's CSV fields: '' for None, repr for floats, text quoted only where it holds a comma, a
    quote or a line break (a bare carriage return too, which the csv module leaves unquoted with a "\\n"
    line end, so that a reader would end the row there)."""
    if all(v is None or isinstance(v, float) for v in values):
        return ["" if v is None else repr(v) for v in values]
    cells = ["" if v is None else v if isinstance(v, str) else str(v) for v in values]
    text = "".join([v for v in values if isinstance(v, str)])
    if "," in text or '"' in text or "\n" in text or "\r" in text:  # four searches in C: most columns need none
        return [_csv_text(v) if isinstance(v, str) else cell for v, cell in zip(values, cells, strict=True)]
    return cells


def _csv_text(v: str) -> str:
    if "," in v or '"' in v or "\n" in v or "\r" in v:
        return '"' + v.replace('"', '""') + '"'
    return v


def _csv_fields(values: np.ndarray) -> list[str]:
    """One column's CSV fields (``_csv_column``): numbers one by one (NaN as ''); anything else written once
    per distinct value, since most text columns (kind, status, periods, coverage, deadline) repeat."""
    if values.dtype.kind == "f":
        return _float_fields(values)
    plain = _plain_column(values)
    sample = plain[:DISTINCT_SAMPLE]
    if 2 * len(set(sample)) > len(sample):  # mostly distinct (ids, sentences): look-ups would cost more than they save
        return _csv_column(spreadsheet_column(plain))
    fields = dict.fromkeys(plain)
    distinct = list(fields)
    fields.update(zip(distinct, _csv_column(spreadsheet_column(distinct)), strict=True))
    return list(map(fields.__getitem__, plain))


DISTINCT_SAMPLE = 2048
"""How many of a column's first values tell whether it repeats (hashing 100,000 sentences to find out cost more
than the look-ups save); either way each cell is the same."""


def _float_fields(values: np.ndarray) -> list[str]:
    """A float column's CSV fields (repr, NaN as ''), each written once per distinct bit pattern: many targets share
    a figure, a base or a projection, and a dict of the values would take 0.0 and -0.0 for one key."""
    bits = np.ascontiguousarray(values, dtype=np.float64).view(np.int64)
    distinct, inverse = np.unique(bits, return_inverse=True)
    texts = ["" if v != v else repr(v) for v in distinct.view(np.float64).tolist()]
    return list(map(texts.__getitem__, inverse.tolist()))


def _joined_flags(assessed: Mapping[str, Any]) -> np.ndarray:
    return np.array([";".join(f) for f in column(assessed, "flags", object).tolist()], dtype=object)


def to_csv(assessed: Mapping[str, Any], fields: tuple[str, ...] = RECORD_FIELDS, header: bool = True) -> str:
    """The status records as CSV (the ``fields`` of RECORD_FIELDS, all by default; flags joined by ';'), built
    column by column, with text that a spreadsheet would run as a formula neutralised (tracker.escape). Each row's
    cells depend on that row only, so the CSV of some rows without ``header`` follows that of the rows before."""
    cells = lambda key: _csv_fields(_joined_flags(assessed) if key == "flags" else column(assessed, key))  # noqa: E731
    rows = map(",".join, zip(*[cells(key) for key in fields], strict=True))
    # The last line's end as an empty last item: adding it to the joined text would copy the whole text again.
    return "\n".join([*([",".join(fields)] if header else []), *rows, ""])


def _json_values(values: list[Any]) -> list[str]:
    """Each value as json.dumps writes it inside a record of ``to_json`` (nested lists indented to match)."""
    import json  # only the JSON output needs it (start-up of the table and the CSV)

    encode = json.JSONEncoder(ensure_ascii=False, default=str).encode
    if all(v is None or isinstance(v, str) for v in values):
        text = json.encoder.encode_basestring  # type: ignore[attr-defined]
        return ["null" if v is None else text(v) for v in values]
    nested = lambda v: json.dumps(v, ensure_ascii=False, indent=2, default=str).replace("\n", "\n    ")  # noqa: E731
    return [nested(v) if isinstance(v, (list, dict)) and v else encode(v) for v in values]


def to_json(assessed: Mapping[str, Any], fields: tuple[str, ...] = JSON_FIELDS) -> str:
    """The status records (the ``fields`` of JSON_FIELDS, all by default) as indented JSON, exactly as
    ``json.dumps(records, indent=2)`` writes them, but built column by column (the standard library writes
    indented JSON one value at a time)."""
    return _JSON_OPEN + _json_records(assessed, fields) + _JSON_CLOSE if row_count(assessed) else "[]"


_JSON_BETWEEN = "\n  },\n  {\n"


def _json_records(assessed: Mapping[str, Any], fields: tuple[str, ...]) -> str:
    """The records of some rows (at least one) as ``to_json`` writes them, without the list's brackets."""
    columns = record_columns(assessed, fields)
    lines = [[f'    "{key}": {text}' for text in _json_values(values)] for key, values in columns.items()]
    return _JSON_BETWEEN.join(",\n".join(fields) for fields in zip(*lines, strict=True))


_JSON_OPEN, _JSON_CLOSE = "[\n  {\n", "\n  }\n]"


def texts_in_two(assessed: Mapping[str, Any], fields: tuple[str, ...], fmt: str, from_rows: int) -> Iterator[str]:
    """``to_csv`` or ``to_json`` (``fmt``) of the columns, in pieces to write one after the other: from ``from_rows``
    rows, the last rows are written by a forked copy of this process while this one writes the first ones and
    writes them out (``columns.alongside``; on two cores the sentences and cells of 100,000 targets take about half
    as long), the sentences of each part only for its own rows (``columns.lazily``). Each row's text depends on that
    row only, so the pieces read exactly as the whole."""
    n = row_count(assessed)
    if n < max(from_rows, 2):
        yield to_csv(assessed, fields) if fmt == "csv" else to_json(assessed, fields)
        return
    cut = round(n * HERE_SHARE)
    first, second = part(assessed, slice(0, cut)), part(assessed, slice(cut, n))
    if fmt == "csv":
        later = alongside(lambda: [to_csv(second, fields, header=False)])
        yield to_csv(first, fields)
    else:
        later = alongside(lambda: [_json_records(second, fields)])
        yield _JSON_OPEN + _json_records(first, fields) + _JSON_BETWEEN
    yield column({"text": later}, "text")[0]
    if fmt == "json":
        yield _JSON_CLOSE


HERE_SHARE = 0.55
"""The share of the rows ``texts_in_two`` writes in this process: a little over half, as the copy's text is then
read from the pipe and written out here."""


def status_label(status: str, trend: Any) -> str:
    """A status's English label as ``tracker status``'s table and a pull request's report write it: a target awaiting
    its deadline's figure with its trend in brackets ("Awaiting final figure (on track)")."""
    label = STATUS_LABELS.get(status, "–")
    return f"{label} ({t(f'trend_was.{trend}', 'en')})" if isinstance(trend, str) else label


TABLE_FIELDS = ("id", "status", "trend_status", "flags", "score", "comparator", "target_value", "unit", "deadline",
                "projected_value", "final_period", "final_value", "final_qualifier", "final_digits", "latest_value",
                "latest_qualifier", "latest_digits", "latest_period", "explanation")  # fmt: skip


def status_table(assessed: Mapping[str, Any]) -> str:
    """A plain-text table for the terminal: id, status, latest, target, projection; then the explanations."""
    table = [("target", "status", "score", "latest", "target value", "projected")]
    assessed_rows = list(rows(assessed, TABLE_FIELDS))
    for r in assessed_rows:
        table.append(
            (
                r.id,
                status_label(r.status, r.trend_status)
                + (" *" if "awaiting_final_data" in r.flags and r.status != AWAITING else "")
                + (" †" if "out_of_date_figure" in r.flags else ""),
                "" if _isnan(r.score) else f"{r.score:+.1f}",
                deciding_figure(r),
                " ".join(
                    part
                    for part in (
                        r.comparator if isinstance(r.comparator, str) else "",
                        format_value(r.target_value, r.unit),
                        f"by {deadline_text(r)}" if not _isnan(r.deadline) else "",
                    )
                    if part
                ),
                "" if _isnan(r.projected_value) else format_value(r.projected_value, r.unit),
            )
        )
    widths = [max(len(str(row[i])) for row in table) for i in range(len(table[0]))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append("")
    as_of = column(assessed, "as_of", object)[0] if row_count(assessed) else ""
    lines.append(
        f"(...) the trend up to a passed deadline. * met before the deadline, no figure for it found yet. "
        f"† latest figure out of date. Assessed as of {as_of}."
    )
    lines += [f"{r.id}: {r.explanation}" for r in assessed_rows]
    used = set(column(assessed, "method", object).tolist())
    lines += ["", "Methods:"] + [f"  {m.name}: {m.title}. {m.description}" for m in METHODS.values() if m.name in used]
    return "\n".join(lines)
