"""The assessment as plain columns: a dict of numpy arrays, one entry per field, one element per target.

``tracker status`` reads the assessment this way and never imports pandas (about two thirds of its
start-up otherwise); ``tracker.assess.assess`` turns the same columns into the DataFrame the app and the
site read. The output and explanation functions take either, through ``column``.
"""

from __future__ import annotations

import os
import pickle
from collections import namedtuple
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime
from typing import Any

import numpy as np

Columns = dict[str, np.ndarray]


def column(data: Mapping[str, Any], name: str, dtype: Any = None) -> np.ndarray:
    """One column as a numpy array, from the columns or from a DataFrame (missing floats as NaN)."""
    values = data[name]
    if isinstance(values, Later):
        values = values()
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


class Later:
    """A column written when first read: by another process (``alongside``), or here (one that only some outputs
    read, or one written for some rows at a time: ``lazily``); ``column`` reads it as any other."""

    def __init__(self, read: Callable[[], np.ndarray], of_rows: Callable[[slice], Later] | None = None) -> None:
        self._read = read
        self._of_rows = of_rows
        self._values: np.ndarray | None = None

    def __call__(self) -> np.ndarray:
        if self._values is None:
            self._values = self._read()
        return self._values

    def rows(self, rows: slice) -> Later:
        """The column at ``rows``, itself written when first read (and only for those rows, if it can be)."""
        if self._of_rows is not None and self._values is None:
            return self._of_rows(rows)
        return Later(lambda: self()[rows])


def lazily(fn: Callable[..., list[Any]], data: Mapping[str, Any], *args: Any) -> Later:
    """The column ``fn(data, *args)`` (one value per row of ``data``) written when first read; the column at some
    rows (``part``) is ``fn`` of the columns at those rows, so that each part of the output writes only its own."""
    return Later(lambda: object_column(fn(data, *args)), lambda rows: lazily(fn, _Part(data, rows), *args))


class _Part(Mapping[str, Any]):
    """The columns at some rows, each taken when first asked for (``lazily`` reads only the columns it needs)."""

    def __init__(self, data: Mapping[str, Any], rows: slice) -> None:
        self._data, self._rows = data, rows

    def __getitem__(self, name: str) -> Any:
        values = self._data[name]
        return values.rows(self._rows) if isinstance(values, Later) else values[self._rows]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


def part(data: Mapping[str, Any], rows: slice) -> Mapping[str, Any]:
    """The columns at ``rows`` (a slice: numpy views, no copy)."""
    return _Part(data, rows)


def alongside(fn: Callable[..., list[Any]], *args: Any) -> Later:
    """The column ``fn(*args)`` written by a forked copy of this process while this one goes on (two cores: half
    the rows of the CSV of 100,000 targets while this process writes the other half), sent back through a pipe.
    Where a process cannot fork (Windows) it is written here, when first read. A copy that fails leaves the work
    to this process, where the error is then raised as any other."""
    if not hasattr(os, "fork"):
        return Later(lambda: object_column(fn(*args)))
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the copy: write the column, send it, and leave without running this process's exit handlers
        code = 1
        try:
            os.close(read)
            with os.fdopen(write, "wb") as pipe:
                pipe.write(_sent(fn(*args)))
            code = 0
        finally:
            os._exit(code)
    os.close(write)

    def received() -> np.ndarray:
        with os.fdopen(read, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        return object_column(_received(data) if status == 0 and data else fn(*args))

    return Later(received)


SEPARATOR = "\x00"


def _sent(values: list[Any]) -> bytes:
    """A column as bytes for the pipe: texts that hold no NUL joined by one, as UTF-8 (a fifth of the time of
    pickling 100,000 sentences); anything else pickled."""
    if all(isinstance(v, str) for v in values):
        text = SEPARATOR.join(values)
        if text.count(SEPARATOR) == len(values) - 1 and values:
            return b"T" + text.encode("utf-8", "surrogatepass")
    return b"P" + pickle.dumps(values, protocol=pickle.HIGHEST_PROTOCOL)


def _received(data: bytes) -> list[Any]:
    if data[:1] == b"T":
        return data[1:].decode("utf-8", "surrogatepass").split(SEPARATOR)
    # The pickle comes from this process's own fork, through a pipe nothing else holds.
    return pickle.loads(data[1:])  # noqa: S301


def object_column(values: list[Any]) -> np.ndarray:
    """A list as a one-dimensional object array (numpy would make a text array of texts, and a two-dimensional one of
    lists of equal lengths)."""
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out
