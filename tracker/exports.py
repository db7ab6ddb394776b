"""Tables as downloadable CSV and Excel files.

Text cells are passed through :func:`tracker.escape.spreadsheet_cell`, so that a title
such as ``=HYPERLINK(...)`` opens as text in Excel, LibreOffice or Google Sheets,
never as a live formula.
"""

from __future__ import annotations

import io

import pandas as pd

from tracker.escape import spreadsheet_column


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype != object and not isinstance(out[column].dtype, pd.StringDtype):
            continue
        if out.empty:
            continue
        # A column at a time: each cell looked at only when the column holds text a spreadsheet would run or
        # cannot store (cell by cell it was about 40% of writing the scorecard's CSV at 10,000 targets).
        joined = [("; ".join(map(str, v)) if isinstance(v, (list, tuple)) else v) for v in out[column].tolist()]
        out[column] = pd.Series(spreadsheet_column(joined), index=out.index)
    return out


def to_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel shows Chinese text correctly.

    Rows end in CRLF (RFC 4180), which also makes the writer quote a cell holding a lone
    carriage return instead of letting it end the row."""
    return _plain(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def to_excel(frame: pd.DataFrame, sheet: str = "data") -> bytes:
    buffer = io.BytesIO()
    plain = _plain(frame)
    for column in plain.columns:
        if isinstance(plain[column].dtype, pd.DatetimeTZDtype):
            plain[column] = plain[column].dt.tz_localize(None)
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        plain.to_excel(writer, index=False, sheet_name=sheet[:31])
        # openpyxl stores any text starting with "=" as a formula; the apostrophe added above
        # already prevents that, and text cells are marked as text for good measure.
        for row in writer.sheets[sheet[:31]].iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
    return buffer.getvalue()
