"""Tables as downloadable CSV and Excel files."""

from __future__ import annotations

import io

import pandas as pd


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype != object or out.empty:
            continue
        if any(isinstance(v, (list, tuple, dict)) for v in out[column]):
            out[column] = out[column].map(lambda v: "; ".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
    return out


def to_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel shows Chinese text correctly."""
    return _plain(frame).to_csv(index=False).encode("utf-8-sig")


def to_excel(frame: pd.DataFrame, sheet: str = "data") -> bytes:
    buffer = io.BytesIO()
    plain = _plain(frame)
    for column in plain.columns:
        if isinstance(plain[column].dtype, pd.DatetimeTZDtype):
            plain[column] = plain[column].dt.tz_localize(None)
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        plain.to_excel(writer, index=False, sheet_name=sheet[:31])
    return buffer.getvalue()
