"""The assessment as plain columns: a dict of numpy arrays, one entry per field, one element per target.

``tracker status`` reads the assessment this way and never imports pandas (about two thirds of its
start-up otherwise); ``tracker.assess.assess`` turns the same columns into the DataFrame the app and the
site read. The output and explanation functions take either, through ``column``.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from typing import Any

import numpy as np

Columns = dict[str, np.ndarray]


def column(data: Mapping[str, Any], name: str, dtype: Any = None) -> np.ndarray:
    """One column as a numpy array, from the columns or from a DataFrame (missing floats as NaN)."""
    values = data[name]
    if hasattr(values, "to_numpy"):  # a pandas column
        return values.to_numpy(dtype=dtype, na_value=np.nan) if dtype is float else values.to_numpy(dtype=dtype)
    return np.asarray(values, dtype=dtype)


def row_count(data: Mapping[str, Any]) -> int:
    return len(data["id"])


def rows(data: Mapping[str, Any], names: tuple[str, ...]) -> Iterator[Any]:
    """The rows as named tuples of plain Python values (None or NaN where missing), for per-target text."""
    Row = namedtuple("Row", names)  # noqa: PYI024
    return (Row(*values) for values in zip(*(column(data, name).tolist() for name in names), strict=True))


def filled(values: np.ndarray) -> np.ndarray:
    """A column as DuckDB's ``fetchnumpy`` gives it, with NULLs as NaN (numbers), NaT (dates) or None (text)."""
    if type(values) is np.ndarray:  # not masked (asking np.ma would import numpy.ma: a twentieth of the start-up)
        return values
    if not isinstance(values, np.ma.MaskedArray):
        return values
    kind = values.dtype.kind
    if kind in "iu":
        return values.astype(float).filled(np.nan)
    if kind in "fMb":
        return values.filled({"f": np.nan, "M": np.datetime64("NaT"), "b": False}[kind])
    out = np.ma.getdata(values).astype(object)
    out[np.ma.getmaskarray(values)] = None
    return out


def is_missing(value: Any) -> bool:
    """One value: None or NaN (a missing text or number in a row)."""
    return value is None or (isinstance(value, float) and value != value)


def missing(values: Any) -> np.ndarray:
    """Elementwise: None, NaN or NaT."""
    values = np.asarray(values)
    if values.dtype.kind == "f":
        return np.isnan(values)
    if values.dtype.kind in "mM":
        return np.isnat(values)
    if values.dtype.kind == "O":
        return np.fromiter((v is None or v != v for v in values.tolist()), dtype=bool, count=len(values))
    return np.zeros(values.shape, dtype=bool)


def as_date(value: Any) -> date | None:
    """A date from what a date column holds: a date, a datetime or Timestamp, a numpy datetime64 (None if missing)."""
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else value.astype("datetime64[D]").item()
    if value is None or value != value:  # None, NaN or NaT
        return None
    return value.date() if isinstance(value, datetime) else value
