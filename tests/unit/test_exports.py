"""The Excel file the dashboard sends (tracker.exports.to_excel), read back by openpyxl and by pandas: the same
cells as openpyxl's own writer gives for the same table (the writer it replaced), text never a formula."""

from __future__ import annotations

import datetime
import io

import numpy as np
import openpyxl
import pandas as pd

from tracker.escape import whole_end as _whole_end
from tracker.exports import _plain, to_csv, to_excel


def _table() -> pd.DataFrame:
    return pd.DataFrame({
        "Title": ["CNC rate & <key> firms", "=HYPERLINK(\"x\")", None, "  padded  ", "数控化率", "a\r\nb"],
        "Score": [0.8125, 1.0, float("nan"), -2.5, 4000000000.0, 2021.5397260273974],
        "Count": pd.array([1, 2, None, 4, 5, 6], dtype="Int64"),
        "Met": [True, False, None, True, np.True_, False],
        "Published": [datetime.date(2025, 1, 20), None, datetime.date(2024, 2, 29), datetime.date(1900, 2, 1),
                      datetime.date(2027, 12, 31), datetime.date(2000, 1, 1)],
        "Checked": pd.to_datetime(["2025-01-20 12:30:00", None, "2024-02-29 00:00:00", "2000-01-01 23:59:59",
                                   "2026-11-30 10:55:00", "2021-07-16 08:00:00"]).tz_localize("Asia/Shanghai"),
        "Tags": [["a", "b"], "x", 3, None, [], "y"],
    })  # fmt: skip


def _cells(data: bytes) -> list[tuple]:
    return [tuple(row) for row in openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]


def test_the_cells_are_those_openpyxl_writes_for_the_same_table():
    table = _table()
    reference = _plain(table)
    reference["Checked"] = reference["Checked"].dt.tz_localize(None)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        reference.to_excel(writer, index=False, sheet_name="data")
    assert _cells(to_excel(table)) == _cells(buffer.getvalue())


def test_what_a_reader_sees_in_the_sheet():
    sheet = openpyxl.load_workbook(io.BytesIO(to_excel(_table(), "cnc/rate: [2027]?"))).active
    assert sheet.title == "cnc_rate_ _2027__"  # Excel's forbidden characters in a sheet's name
    assert [c.value for c in sheet[1]] == ["Title", "Score", "Count", "Met", "Published", "Checked", "Tags"]
    assert all(c.font.b for c in sheet[1])
    assert sheet["A2"].value == "CNC rate & <key> firms" and sheet["A3"].value == '\'=HYPERLINK("x")'
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert sheet["A5"].value == "  padded  " and sheet["A6"].value == "数控化率" and sheet["A7"].value == "a\nb"
    assert sheet["B2"].value == 0.8125 and sheet["B4"].value is None and sheet["C5"].value == 4
    assert sheet["D2"].value is True and sheet["D3"].value is False and sheet["D4"].value is None
    assert sheet["E2"].value == datetime.datetime(2025, 1, 20) and sheet["E2"].number_format == "yyyy-mm-dd"
    assert sheet["E5"].value == datetime.datetime(1900, 2, 1)  # before Excel's 29 February 1900
    assert sheet["F2"].value == datetime.datetime(2025, 1, 20, 12, 30)  # the time as written, its zone dropped
    assert sheet["F2"].number_format == "yyyy-mm-dd hh:mm:ss"
    assert sheet["G2"].value == "a; b" and sheet["G4"].value == 3 and sheet["G6"].value is None  # [] is empty
    read = pd.read_excel(io.BytesIO(to_excel(_table())))
    assert list(read["Title"].iloc[[0, 4]]) == ["CNC rate & <key> firms", "数控化率"]
    assert read["Published"].iloc[0] == pd.Timestamp("2025-01-20")


def test_a_sheet_name_is_one_excel_accepts():
    for asked, name in (("'quoted \"name\" & more'", 'quoted "name" & more'), ("x" * 40, "x" * 31), ("[]", "__")):
        assert openpyxl.load_workbook(io.BytesIO(to_excel(_table(), asked))).active.title == name


def test_a_table_with_no_rows_is_its_header():
    assert _cells(to_excel(pd.DataFrame({"id": pd.Series([], dtype=object), "n": []}))) == [("id", "n")]


def test_a_text_longer_than_an_excel_cell_holds_is_cut_to_fit_with_an_ellipsis():
    """Excel holds at most 32,767 UTF-16 code units in a cell and reports a file with a longer one as damaged: a
    longer text (here a pasted document, or emoji, each two units) is cut to fit and ends in "…"; a text of exactly
    that length, and every short one, stay whole (the CSV keeps every text whole)."""
    exact = "x" * 32_767
    table = pd.DataFrame({"Source": ["=cmd " + "a" * 40_000, "b" + "🙂" * 20_000, exact, "short"]})
    cells = [row[0] for row in _cells(to_excel(table))[1:]]
    units = [len(c.encode("utf-16-le")) // 2 for c in cells]
    assert units[0] == 32_767 and units[1] == 32_766 and cells[0].endswith("…") and cells[1].endswith("…")
    assert cells[0].startswith("'=cmd aaa")  # still text, not a formula
    assert cells[1][0] == "b" and set(cells[1][1:-1]) == {"🙂"}  # the cut fell inside an emoji: all of it went
    assert cells[2] == exact and cells[3] == "short"
    assert to_csv(table).decode("utf-8-sig").count("a") >= 40_000


def test_a_cut_inside_an_emoji_sequence_or_a_flag_leaves_no_half_of_it():
    """A cell cut where a joined emoji (woman, joiner, laptop) or a flag (🇨🇳: two regional letters) is split
    keeps no joiner pointing at nothing and no lone regional letter, which a spreadsheet draws as a stray box."""
    worker, flag = "\U0001f469\u200d\U0001f4bb", "\U0001f1e8\U0001f1f3"
    for head, unit in (("ab", worker), ("a", worker), ("abc", flag), ("ab", flag)):
        # the cut falls after 32,766 units, wherever the prefix puts it inside the repeated sequence
        cell = _cells(to_excel(pd.DataFrame({"Source": [head + unit * 10_000]})))[1][0]
        body = cell.removesuffix("…")
        assert cell.endswith("…") and len(cell.encode("utf-16-le")) // 2 <= 32_767
        assert not body.endswith("\u200d")
        letters = len(body) - len(body.rstrip("\U0001f1e8\U0001f1f3"))
        assert letters % 2 == 0, (head, letters)
        assert body.startswith(head + unit)  # only the split end went
    # whole ends are kept as they are, also a base that lost its modifier
    assert _whole_end("x" + flag) == "x" + flag and _whole_end("x\U0001f469") == "x\U0001f469"
    assert _whole_end("x\U0001f469\u200d") == "x\U0001f469" and _whole_end("x" + flag + "\U0001f1e8") == "x" + flag
