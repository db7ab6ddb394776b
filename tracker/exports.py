"""Tables as downloadable CSV and Excel files.

Text cells are passed through :func:`tracker.escape.spreadsheet_cell`, so that a title
such as ``=HYPERLINK(...)`` opens as text in Excel, LibreOffice or Google Sheets,
never as a live formula.
"""

from __future__ import annotations

import datetime
import io
import math
import re
import zipfile

import numpy as np
import pandas as pd

from tracker.escape import spreadsheet_column, whole_end


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
    return csv_text(frame, "\r\n").encode("utf-8-sig")


def csv_text(frame: pd.DataFrame, lineterminator: str = "\n") -> str:
    """The CSV text of ``frame``, its text cells passed through ``spreadsheet_cell`` as in every CSV written here
    (the static site's series files: rows ending in ``lineterminator``, no byte-order mark)."""
    return _plain(frame).to_csv(index=False, lineterminator=lineterminator)


def to_excel(frame: pd.DataFrame, sheet: str = "data") -> bytes:
    """One sheet, its first row the column names in bold: text as text (never a formula, see the module's note),
    numbers and booleans as such, dates and times as dates in ISO order, empty and missing values as empty cells.

    Written here as the few XML parts of an .xlsx package (ECMA-376: inline strings, one style sheet) rather than
    by openpyxl, which took 3 s for the overview's 10,000 rows: now a tenth of that, so the dashboard can send
    the file with the page, as it does the CSV (a file written on click can be lost, docs/reliability.md)."""
    plain = _plain(frame)
    header = "".join(
        _cell(f"{_column_letter(i)}1", _within_cell(str(c)), bold=True) for i, c in enumerate(plain.columns)
    )
    cells = [_column(_column_letter(i), _within_cells(plain[c].tolist())) for i, c in enumerate(plain.columns)]
    rows = [f"<row>{header}</row>", *(f"<row>{''.join(row)}</row>" for row in zip(*cells, strict=True))]
    # Excel refuses a sheet name with any of \/?*:[] or an apostrophe at either end, or longer than 31 characters.
    name = _escape_xml(_SHEET_FORBIDDEN.sub("_", sheet)[:31].strip("'") or "data").replace('"', "&quot;")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        for part, xml in _PARTS.items():
            package.writestr(part, _XML + xml.replace("SHEET", name))
        body = "".join(rows)
        package.writestr("xl/worksheets/sheet1.xml", (_XML + _SHEET.replace("ROWS", body)).encode("utf-8", "replace"))
    return buffer.getvalue()


_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_PARTS = {
    "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_TYPE}.worksheet+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_TYPE}.styles+xml"/></Types>',
    "_rels/.rels": f'<Relationships xmlns="{_RELS}"><Relationship Id="rId1" Type="{_DOC}/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": f'<workbook xmlns="{_MAIN}" xmlns:r="{_DOC}"><sheets><sheet name="SHEET" sheetId="1" '
    'r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{_RELS}"><Relationship Id="rId1" Type="{_DOC}/worksheet" '
    f'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{_DOC}/styles" Target="styles.xml"/>'
    "</Relationships>",
    # Cell styles: 0 plain, 1 bold (the header), 2 a date, 3 a date and time.
    "xl/styles.xml": f'<styleSheet xmlns="{_MAIN}"><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts><fonts count="2"><font><sz val="11"/>'
    '<name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2">'
    '<fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>',
}
_SHEET = f'<worksheet xmlns="{_MAIN}"><sheetData>ROWS</sheetData></worksheet>'
_SHEET_FORBIDDEN = re.compile(r"[\\/?*:\[\]]")
_EPOCH = datetime.datetime(1899, 12, 30)


def _escape_xml(text: str) -> str:
    # U+FFFE and U+FFFF are not XML characters; the control characters were removed by _plain.
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\ufffe", "").replace("\uffff", "")
    )


EXCEL_CELL_CHARACTERS = 32_767
"""The most text an Excel cell holds, counted in UTF-16 code units (a character outside the Basic Multilingual
Plane, such as an emoji, counts two). A longer cell makes Excel report the file as damaged and offer to repair it."""
CUT = "…"


def _within_cell(text: str) -> str:
    """``text`` as it is when a cell can hold it, else cut to what one holds with "…" at its end (the CSV keeps the
    whole text)."""
    if len(text) <= EXCEL_CELL_CHARACTERS // 2:  # at most two units a character: no need to count them
        return text
    units = text.encode("utf-16-le", "surrogatepass")
    if len(units) // 2 <= EXCEL_CELL_CHARACTERS:
        return text
    kept = units[: 2 * (EXCEL_CELL_CHARACTERS - len(CUT))].decode("utf-16-le", "ignore")  # a half pair: dropped
    return whole_end(kept) + CUT


def _within_cells(values: list) -> list:
    """``_within_cell`` over a column, each cell looked at only when the column holds a text that long."""
    longest = max((len(v) for v in values if type(v) is str), default=0)
    if longest <= EXCEL_CELL_CHARACTERS // 2:
        return values
    return [_within_cell(v) if type(v) is str else v for v in values]


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column(letter: str, values: list) -> list[str]:
    """The XML of one column's cells below the header. A column of text (or missing values) is escaped in one
    piece, joined by a character that _plain has removed from every cell; a column of numbers is written in one
    pass; any other column cell by cell."""
    kinds = set(map(type, values))
    if kinds <= {str, type(None), float} and all(v != v for v in values if type(v) is float):  # text, or missing
        joined = "\x00".join([v if type(v) is str else "" for v in values])
        if joined.count("\x00") == len(values) - 1:  # (a column _plain did not clean could hold one)
            return [f'<c r="{letter}{n}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>' if text else ""
                    for n, text in enumerate(_escape_xml(joined).split("\x00"), start=2)]  # fmt: skip
    if kinds <= {float, int}:
        return [f'<c r="{letter}{n}"><v>{v:.16g}</v></c>' if math.isfinite(v) else ""
                for n, v in enumerate(values, start=2)]  # fmt: skip
    return [_cell(f"{letter}{n}", v) for n, v in enumerate(values, start=2)]


def _cell(ref: str, value: object, bold: bool = False) -> str:
    """One cell's XML; an empty string for a missing or empty value (the cell is left out)."""
    if isinstance(value, str):
        if not value:
            return ""
        style = ' s="1"' if bold else ""
        return f'<c r="{ref}" t="inlineStr"{style}><is><t xml:space="preserve">{_escape_xml(value)}</t></is></c>'
    if isinstance(value, (bool, np.bool_)):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float, np.integer, np.floating)):
        return f'<c r="{ref}"><v>{value:.16g}</v></c>' if math.isfinite(value) else ""  # as openpyxl
    if value is None or value is pd.NaT or value is pd.NA:
        return ""
    if isinstance(value, datetime.datetime):  # pandas' Timestamp too; a time zone is dropped (Excel has none)
        return f'<c r="{ref}" s="3"><v>{_serial(value.replace(tzinfo=None)):.16g}</v></c>'
    if isinstance(value, datetime.date):
        return f'<c r="{ref}" s="2"><v>{_serial(datetime.datetime.combine(value, datetime.time())):.16g}</v></c>'
    return _cell(ref, str(value))


def _serial(moment: datetime.datetime) -> float:
    """Days since Excel's day 0, as openpyxl counts them (Excel's 1900 has a 29 February: one day less before March)."""
    since = moment - _EPOCH
    days = since.days - (1 if 0 < since.days <= 60 else 0)
    return days + since.seconds / 86400 + since.microseconds / 86400e6
