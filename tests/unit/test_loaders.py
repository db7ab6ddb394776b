"""Loaders: each format's happy path, each rejection, encodings and unit conversion."""

from __future__ import annotations

import shutil

import pytest

from loaders import load_file
from tests.conftest import CATALOG_FIXTURES, FIXTURES
from tracker.catalog import Catalogue, load_indicators
from tracker.units import conversion_factor

OBS = FIXTURES / "observations"


@pytest.fixture(scope="module")
def indicators():
    catalogue = Catalogue()
    load_indicators(CATALOG_FIXTURES / "data", catalogue)
    assert not catalogue.problems
    return catalogue.indicators


def rows(result):
    assert result.ok, [str(p) for p in result.problems]
    return result.rows.to_pylist()


def messages(result):
    return [str(p).split(":", 1)[1] for p in result.problems]


def test_csv_rows_become_canonical(indicators):
    result = load_file(OBS / "good.csv", indicators)
    first, second, third = rows(result)
    assert first["indicator"] == "iot-connections"
    assert first["value"] == 2_547_000_000  # 25.47 亿 converted exactly
    assert (first["published_value"], first["published_unit"]) == (25.47, "亿户")
    assert first["period_kind"] == "month"
    assert first["t"] == pytest.approx(2024 + 213 / 366)
    assert str(first["published"]) == "2024-08-20"
    assert first["source_file"].endswith("good.csv")
    assert second["qualifier"] == ">" and second["note"] == 'said "more than" 26'
    assert third["coverage"] == "key-industrial-firms" and third["value"] == 62.9
    assert str(third["period_start"]) == "2023-01-01" and str(third["period_end"]) == "2023-12-31"
    assert result.problems == []


@pytest.mark.parametrize("name", ["bom.csv", "gbk.csv"])
def test_bom_and_gbk_files_read_like_utf8(name, indicators):
    expected = rows(load_file(OBS / "good.csv", indicators))
    got = rows(load_file(OBS / name, indicators))
    for row in expected + got:
        row.pop("source_file")
    assert got == expected


def test_gbk_file_is_flagged_for_saving_as_utf8(indicators):
    result = load_file(OBS / "gbk.csv", indicators)
    assert any("read as GB18030/GBK; save files for data/observations as UTF-8" in m for m in messages(result))


def test_every_bad_row_is_reported_with_its_row_number(indicators):
    result = load_file(OBS / "bad-rows.csv", indicators)
    assert not result.ok
    got = messages(result)
    assert got == [
        "2: error: value must be a number such as 25.47 or 1.2e3; got 'abc'",
        "3: error: unknown indicator 'iot-conections'; add it to data/indicators.yaml",
        "4: error: period '2023-02-30' does not exist",
        "5: error: period '2024-13' does not exist",
        "6: error: unknown unit 'furlongs' for indicator 'iot-connections'; use connections, 户, "
        "optionally after 万, 亿, thousand, million or billion",
        "7: error: value must be a finite number; got 'NaN'",
        "8: error: value must be a finite number; got 'inf'",
        "9: error: qualifier must be one of =, >, >=, <, <=, ~; got 'about'",
        "10: error: source_title is empty; every figure needs its source; "
        "source_url must start with http:// or https://; got 'javascript:alert(1)'; "
        "published must be a real date written YYYY-MM-DD; got '2024-02-30'",
        "12: error: exact duplicate of row 11",
    ]


def test_value_with_its_unit_gets_a_hint(indicators):
    result = load_file(OBS / "value-with-unit.csv", indicators)
    assert (
        "2: error: value must be a number such as 25.47 or 1.2e3; got '62.9%' (put the unit in the unit column); unit is empty"
        in messages(result)
    )


def test_ragged_row(indicators):
    result = load_file(OBS / "ragged.csv", indicators)
    assert not result.ok
    assert messages(result) == [
        "3: error: this row has 13 fields but the header has 12; a comma inside a value needs the value in double quotes"
    ]


def test_missing_and_unknown_columns(indicators):
    assert messages(load_file(OBS / "missing-column.csv", indicators)) == [
        "1: error: the header is missing column(s) unit; expected columns: indicator, period, value, unit, "
        "qualifier, coverage, source_title, publisher, publisher_zh, source_url, published, note"
    ]
    assert messages(load_file(OBS / "unknown-column.csv", indicators))[0].startswith(
        "1: error: unknown column(s) colour; allowed columns:"
    )


def test_mixed_line_endings_thousands_separator_and_quarters(indicators):
    result = load_file(OBS / "mixed-endings.csv", indicators)
    first, second = rows(result)
    assert first["value"] == 12_340_000 and first["published_value"] == 1234
    assert second["period"] == "2024-Q2" and str(second["period_end"]) == "2024-06-30"
    assert second["t"] == pytest.approx(2024 + 182 / 366)
    assert messages(result) == [
        "2: warning: 1 value(s) written with thousands separators (e.g. 1,234) were read as plain numbers"
    ]


def test_scientific_notation_and_english_scale_words(indicators):
    first, second = rows(load_file(OBS / "units.csv", indicators))
    assert first["value"] == 12_000_000
    assert second["value"] == 2_500_000_000


def test_indicator_option_fills_a_missing_column(indicators):
    assert not load_file(OBS / "no-indicator-column.csv", indicators).ok
    (row,) = rows(load_file(OBS / "no-indicator-column.csv", indicators, indicator="iot-connections"))
    assert row["indicator"] == "iot-connections"


def test_empty_file_loads_nothing_and_says_so(indicators):
    result = load_file(OBS / "empty.csv", indicators)
    assert result.ok and result.rows.num_rows == 0
    assert messages(result) == ["1: warning: the file holds no observations"]


def test_excel_happy_path(indicators):
    first, second = rows(load_file(OBS / "good.xlsx", indicators))
    assert (first["period"], first["value"], str(first["published"])) == ("2023", 62.9, "2024-07-05")
    assert (second["period"], second["value"], second["qualifier"]) == ("2024-07", 2_547_000_000, "=")


def test_excel_formula_without_a_saved_result(indicators):
    result = load_file(OBS / "formula.xlsx", indicators)
    assert not result.ok
    assert messages(result) == [
        "2: error: value holds a formula whose result was never saved; open the file in Excel and save it, "
        "or type the value"
    ]


def test_json_happy_path_and_not_a_list(indicators):
    first, second = rows(load_file(OBS / "good.json", indicators))
    assert first["value"] == 62.9
    assert (second["period"], second["value"], second["qualifier"]) == ("2024", 2_600_000_000, ">")
    assert messages(load_file(OBS / "not-a-list.json", indicators)) == [
        "1:1: error: the JSON holds an object; it must be a list of objects, one per observation"
    ]


def test_unsupported_extension(indicators, tmp_path):
    path = tmp_path / "figures.txt"
    shutil.copy(OBS / "good.csv", path)
    assert messages(load_file(path, indicators)) == ["1: error: unsupported file type '.txt'; use .csv, .json, .xlsx"]


@pytest.mark.parametrize(
    ("unit", "factor"),
    [("亿户", 1e8), ("万", 1e4), ("亿", 1e8), ("billion connections", 1e9), ("million", 1e6), ("户", 1.0),
     ("Connections", 1.0), ("万亿", 1e12), ("furlongs", None), ("%", None)],
)  # fmt: skip
def test_unit_conversion_for_counts(unit, factor, indicators):
    assert conversion_factor(unit, indicators["iot-connections"]) == factor


@pytest.mark.parametrize(("unit", "factor"), [("%", 1.0), ("percent", 1.0), ("万", None), ("亿%", None)])
def test_percentages_convert_only_from_percent(unit, factor, indicators):
    assert conversion_factor(unit, indicators["cnc-rate"]) == factor


@pytest.mark.parametrize("unit", ["% change", "% a year"])
def test_a_change_in_per_cent_takes_its_own_names_and_no_scale_word(unit):
    """A growth rate keyed with a scale word (万, "million %", bn) is refused with the units it does take, not read as
    ten thousand or a million per cent: before, 3万 of "% change" was stored as 30,000%."""
    from tracker.model import Indicator
    from tracker.units import describe_units

    rate = Indicator(id="growth", name="Growth", unit=unit, unit_aliases=["%", "percent"], frequency="annual",
                     direction="higher", measure="rate", definition="A rate.",
                     coverages=[{"id": "national", "name": "Nationwide"}])  # fmt: skip
    assert [conversion_factor(u, rate) for u in (unit, "%", "Percent", " % ")] == [1.0, 1.0, 1.0, 1.0]
    scaled = ("万", "million %", "bn", "万%", "亿", "thousand percent")
    assert [conversion_factor(u, rate) for u in scaled] == [None] * len(scaled)
    assert describe_units(rate) == f"{unit}, %, percent"


def test_a_growth_rate_keyed_in_wan_is_refused_by_the_loader_with_the_units_it_takes(tmp_path):
    """What a contributor sees: the row with 万 is refused and named, the row in per cent loads as written."""
    from tracker.model import Indicator

    rate = Indicator(id="growth", name="Growth", unit="% change", unit_aliases=["%"], frequency="annual",
                     direction="higher", measure="rate", definition="A rate.",
                     coverages=[{"id": "national", "name": "Nationwide"}])  # fmt: skip
    path = tmp_path / "growth.csv"
    path.write_text("indicator,period,value,unit,source_title,publisher\ngrowth,2024,3,万,A,P\ngrowth,2025,8.3,%,B,P\n",
                    encoding="utf-8")  # fmt: skip
    result = load_file(path, {"growth": rate})
    assert messages(result) == [
        "2: error: unknown unit '万' for indicator 'growth'; use % change, %",
    ], messages(result)


def _canonical(indicators, cells: list[tuple[str, str]]) -> list[dict]:
    """Rows of (value, source_title) for iot-connections in 亿户 through the one set of row rules."""
    import duckdb

    from loaders.rows import canonical_select, register_lookups

    con = duckdb.connect()
    register_lookups(con, indicators)
    con.execute(
        "CREATE TABLE raw AS SELECT i AS line, 'iot-connections' AS indicator, '2024' AS period, v AS value, "
        "'亿户' AS unit, NULL AS qualifier, NULL AS coverage, s AS source_title, 'P' AS publisher, NULL AS publisher_zh, "
        "NULL AS source_url, NULL AS published, NULL AS note "
        "FROM (SELECT unnest(range(len($v))) AS i, unnest($v) AS v, unnest($s) AS s)",
        {"v": [c[0] for c in cells], "s": [c[1] for c in cells]},
    )
    got = con.execute(
        f"SELECT digits, published_value, source_title FROM "
        f"({canonical_select('(SELECT *, $source_file AS source_file FROM raw)')}) ORDER BY line",
        {"default_indicator": None, "strict_numbers": False, "source_file": "x.csv"},
    ).fetchall()
    return [{"digits": d, "value": v, "title": t} for d, v, t in got]


# Every number form DuckDB reads, with the significant digits the published text gives.
DIGITS = {
    "25.47": 4, "26": 2, "10": 2, "5.": 1, ".5": 1, "+3": 1, "-0": 1, "0": 1, "0.05": 1, "007": 1,
    "-12.50": 4, "+1.50": 3, "1_000": 4, "1e5": 1, "1.2E3": 2, "-.5e-3": 1, "1.50e+2": 3, "1,234.5": 5,
    " 7 ": 1, "9" * 17: 17, "100.000": 6,
}  # fmt: skip


def test_significant_digits_of_every_number_form(indicators):
    got = _canonical(indicators, [(text, "T") for text in DIGITS])
    assert [g["digits"] for g in got] == list(DIGITS.values())
    assert [g["value"] for g in got][:4] == [25.47, 26.0, 10.0, 5.0]


def test_text_is_trimmed_of_spaces_including_ideographic_ones(indicators):
    titles = ["Title", " Title ", "\u3000标题\u3000", "标题", "a b", "\u00a0x"]
    got = _canonical(indicators, [("1", title) for title in titles])
    assert [g["title"] for g in got] == ["Title", "Title", "标题", "标题", "a b", "x"]


# Every space separator (Unicode class Zs, what DuckDB's trim removes), and characters it keeps.
SPACES = [" ", "\u00a0", "\u1680", *map(chr, range(0x2000, 0x200B)), "\u202f", "\u205f", "\u3000"]
KEPT = ["\t", "\n", "\x1f", "\u200b", "\u2028", "\u0085", "é", "标"]


def test_only_space_separators_are_trimmed_from_either_end(indicators):
    """The row rules skip trim() for text that cannot need it; every other text is trimmed as trim() would."""
    titles = [f"{s}T" for s in SPACES] + [f"T{s}" for s in SPACES] + [f"{c}T{c}" for c in KEPT]
    titles += ["T", "T T", "é T ", " 标题", "T\u3000\u3000", "\u3000 T \u3000"]
    got = _canonical(indicators, [("1", title) for title in titles])
    want = [title.strip("".join(SPACES)) for title in titles]
    assert [g["title"] for g in got] == want
    assert want[: 2 * len(SPACES)] == ["T"] * 2 * len(SPACES) and want[2 * len(SPACES)] == "\tT\t"
