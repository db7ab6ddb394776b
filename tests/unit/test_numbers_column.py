"""The column-wise number formatting (``tracker.i18n.numbers.*_column``, ``format_values``, ...) writes, value
for value, exactly what the scalar functions write: the sentences of 100,000 targets use the first, a page the
second, and a reader comparing them must find the same text."""

from __future__ import annotations

import math
from unittest import mock

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker import escape, formatting
from tracker.assess.explain import figure_text, figure_texts
from tracker.i18n import numbers
from tracker.i18n.numbers import (
    format_change,
    format_changes,
    format_goal,
    format_goals,
    format_value,
    format_values,
    significant,
    significant_column,
)

LANGS = ("en", "zh")
UNITS = ("%", "% change", "% a year", "connections", "CNY", "enterprises", "a unit no catalogue names", None)
POWERS = 10.0 ** np.arange(-12, 17)
EDGES = [
    0.0, -0.0, 9.995, -9.995, 99.95, 999.95, 999.5, 9_999.5, 99_995.0, 999_950.0, 999_950_000.0, 999.95e9,
    999.95e12, 1e4, 1e8, 1e12, 1.5e16, 1e300, -1e300, 5e-324, 1e-300, 2.675, 1.005, 0.125, 0.5, -0.5, 1557.0,
    0.099999999999999999, 9.999999999999998, 999.9999999999999, 123_456_789.123, math.nan, math.inf, -math.inf,
]  # fmt: skip
VALUES = np.concatenate([
    EDGES, POWERS, -POWERS, np.nextafter(POWERS, 0), np.nextafter(POWERS, np.inf), POWERS * 9.995, POWERS * 0.9995,
    np.random.default_rng(15).normal(0, 1, 3000) * 10.0 ** np.random.default_rng(16).integers(-9, 17, 3000),
])  # fmt: skip
finite_or_not = st.floats(allow_nan=True, allow_infinity=True)


@pytest.fixture(autouse=True, scope="module")
def _short_columns_too():
    """Every column here is written the column-wise way, however short (below ``COLUMN_FROM`` values the
    column functions hand each value to the scalar one, which would make the comparisons trivial)."""
    with mock.patch.object(numbers, "COLUMN_FROM", 0):
        yield


@pytest.mark.parametrize("digits", [1, 2, 3, 4, 9])
def test_significant_column_writes_what_significant_writes(digits):
    column = significant_column(VALUES, digits)
    assert column.tolist() == [significant(v, digits) for v in VALUES.tolist()]


def test_significant_column_examples():
    assert significant_column([0.0, -0.0, 9.995, 999.95, 1234.5, 0.0001234, math.nan, -2.5], 3).tolist() == [
        "0", "0", "9.99", "1,000", "1,234", "0.000123", "n/a", "-2.5",
    ]  # fmt: skip
    # One digits per value.
    assert significant_column([3.14159, 3.14159, 3.14159], [1, 3, 5]).tolist() == ["3", "3.14", "3.1416"]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("unit", UNITS)
def test_format_values_writes_what_format_value_writes(lang, unit):
    assert format_values(VALUES, unit, lang) == [format_value(v, unit, lang) for v in VALUES.tolist()]
    digits = np.random.default_rng(3).integers(1, 7, len(VALUES))
    assert format_values(VALUES, unit, lang, digits) == [
        format_value(v, unit, lang, d) for v, d in zip(VALUES.tolist(), digits.tolist(), strict=True)
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_format_values_and_changes_with_a_unit_per_value(lang):
    units = [UNITS[i % len(UNITS)] for i in range(len(VALUES))]
    values = VALUES.tolist()
    assert format_values(values, units, lang) == [format_value(v, u, lang) for v, u in zip(values, units, strict=True)]
    assert format_changes(values, units, lang) == [
        format_change(v, u, lang) for v, u in zip(values, units, strict=True)
    ]
    assert format_changes(values, units, lang, 3) == [
        format_change(v, u, lang, 3) for v, u in zip(values, units, strict=True)
    ]


@given(st.lists(finite_or_not, max_size=30), st.sampled_from(UNITS), st.sampled_from(LANGS), st.integers(1, 9))
def test_any_floats_read_the_same_either_way(values, unit, lang, digits):
    assert format_values(values, unit, lang, digits) == [format_value(v, unit, lang, digits) for v in values]
    assert format_changes(values, unit, lang, digits) == [format_change(v, unit, lang, digits) for v in values]
    assert significant_column(values, digits).tolist() == [significant(v, digits) for v in values]


@pytest.mark.parametrize("lang", LANGS)
def test_repeated_values_are_written_once_each_and_read_as_their_own(lang):
    """Most targets share a figure, a projection or a pace: a column that repeats its values is written once per
    distinct value, unit and digits, and each row still reads what the scalar function writes for it (0.0 and -0.0
    apart: English writes "-0")."""
    rng = np.random.default_rng(17)
    pool = np.concatenate([EDGES, VALUES[:40]])
    rows = rng.integers(0, len(pool), 5 * len(pool))
    values = pool[rows].tolist()
    units = [UNITS[i % 3] for i in rows.tolist()]  # a unit per distinct value, and some values in two units
    units[::7] = ["%"] * len(units[::7])
    digits = (rows % 4 + 1).tolist()
    assert format_values(values, units, lang, digits) == [
        format_value(v, u, lang, d) for v, u, d in zip(values, units, digits, strict=True)
    ]
    assert format_changes(values, units, lang, digits) == [
        format_change(v, u, lang, d) for v, u, d in zip(values, units, digits, strict=True)
    ]
    assert format_values([-0.0, 0.0] * 300, "connections", "en")[:2] == ["-0 connections", "0 connections"]


def test_what_a_reader_sees_in_each_language():
    values = [2.89e9, 999.95e6, 1557.0, 62.94, math.nan, -0.0]
    assert format_values(values, "connections", "en") == [
        "2.89 billion connections", "1,000 million connections", "1,557 connections", "62.9 connections", "n/a",
        "-0 connections",
    ]  # fmt: skip
    assert format_values(values, "connections", "zh") == [
        "28.9亿户", "10亿户", "1,557户", "62.9户", format_value(None, "connections", "zh"), "0户",
    ]  # fmt: skip
    assert format_changes([3.14, -3.14, 1.2e9], ["%", "%", "CNY"], "en") == [
        "+3.1 points", "-3.1 points", "+1.2 billion CNY",
    ]  # fmt: skip
    assert format_changes([3.14], "%", "zh") == ["+3.1个百分点"]
    # A cumulative change or a growth rate moves in points too: -9.3% to -11.6% is -2.3 points, not "-2.3 % change".
    assert format_changes([-2.3, 0.4], ["% change", "% a year"], "en") == ["-2.3 points", "+0.4 points"]
    assert format_changes([-2.3] * 300, "% change", "zh") == ["-2.3个百分点"] * 300
    # A computed pace below 万 is rounded as in English (it was written to nine digits: "+53.7372593个").
    assert format_changes([53.7372593, 1234.56], "platforms", "en") == ["+54 platforms", "+1,235 platforms"]
    assert format_changes([53.7372593, 1234.56], "platforms", "zh") == ["+54个", "+1,235个"]
    assert format_values([496.647792, 0.123456], "platforms", "zh", [3, 3]) == ["497个", "0.123个"]


def test_a_percentage_is_never_written_in_millions_or_in_wan():
    """A change of 2.5 million per cent reads 2,500,000% change: "2.5 million% change" or "250万%" put a scale word
    inside a percentage. Both ways of writing agree, and so do the English-only formatter (the diff comment's) and a
    chart's scale."""
    values = [2.5e6, -12_345.6, 1_234.5, -9.3]
    assert format_values(values, "% change", "en") == [
        "2,500,000% change", "-12,346% change", "1,234% change", "-9.3% change",
    ]  # fmt: skip
    assert format_values(values, "% change", "zh") == [
        "2,500,000%（变化）", "-12,346%（变化）", "1,234%（变化）", "-9.3%（变化）",
    ]  # fmt: skip
    assert [format_value(v, "% a year", "en") for v in values[:2]] == ["2,500,000% a year", "-12,346% a year"]
    assert formatting.format_value(2.5e6, "% change") == "2,500,000% change"
    assert numbers.choose_scale([2.5e6], "% change", "zh") == numbers.Scale(1.0, "")
    # counts keep their scale words
    assert format_values([2.5e6], "enterprises", "en") == ["2.5 million enterprises"]
    assert format_values([2.5e6], "enterprises", "zh") == ["250万家"]


@pytest.mark.parametrize("lang", LANGS)
def test_goals_and_figures_read_the_same_either_way(lang):
    comparators = [">", ">=", "<", "<=", "==", "~", None] * 3 + ["<=", "<", ">=", ">", "<=", ">="]
    values = [75.0, 3.6e9, 1557.0, 0.5, 2e11, math.nan, 85.0] * 3 + [-17.0, -2.0, 5.0, 0.5, 3.0, -1.0]
    units = ["%", "connections", "enterprises", "%", "CNY", "sets", "%"] * 3 + ["% change"] * 6
    assert format_goals(comparators, values, units, lang) == [
        format_goal(c, v, u, lang) for c, v, u in zip(comparators, values, units, strict=True)
    ]
    qualifiers = [">", ">=", "<", "<=", "~", "=", None] * 3 + [None] * 6
    digits = [1, 2, 3, 4, 5, 0, 3] * 3 + [3] * 6
    assert figure_texts(values, qualifiers, units, digits, lang) == [
        figure_text(v, q, u, d, lang) for v, q, u, d in zip(values, qualifiers, units, digits, strict=True)
    ]


def test_a_spreadsheet_column_of_non_latin_text_is_checked_byte_for_byte():
    """The column check reads the column's UTF-8 bytes: a control character next to Chinese text is found,
    Chinese text alone is left as it is, and a formula after a Chinese cell is neutralised."""
    clean = ["目标不低于75%", "超过36亿户", "\ud800 lone surrogate", None, ""]
    assert escape.spreadsheet_column(clean) is clean
    assert escape.spreadsheet_column(["目标\x07文", "ok"]) == ["目标文", "ok"]
    assert escape.spreadsheet_column(["中文", "=1+1", "-2"]) == ["中文", "'=1+1", "'-2"]


@pytest.mark.parametrize("lang", LANGS)
def test_every_sentence_template_filled_a_column_at_a_time_reads_as_format_writes_it(lang):
    """``fill`` joins each row's pieces instead of calling ``format``: the same sentence for every template of
    the [explain] catalogue, with texts, with a missing value in a column (then it formats row by row), with a
    format spec, and with braces written as {{ }}."""
    import re

    from tracker.assess.fill import fill as _fill
    from tracker.i18n import catalogue

    templates = [text for key, text in catalogue(lang).items() if key.startswith("explain.")]
    templates += ["{a:.1%} of {b}", "{{literal}} {a}", "no field at all", ""]
    assert len(templates) > 20
    for template in templates:
        names = sorted(set(re.findall(r"(?<!{){(\w+)", template)))
        spec = ":" in template
        columns = {name: [0.5, 0.25, 1.0] if spec else [f"{name} {i}, 语" for i in range(3)] for name in names}
        expected = [template.format(**{k: v[i] for k, v in columns.items()}) for i in range(3)]
        assert _fill(template, 3, **columns) == expected, template
        if names:  # one value not a text, and one field the same in every row
            columns[names[0]] = [0.5, 0.25, 1.0] if spec else [None, 0.25, "x"]
            columns[names[-1]] = 0.75 if spec else "same"
            expected = [template.format(**{k: v[i] if isinstance(v, list) else v for k, v in columns.items()})
                        for i in range(3)]  # fmt: skip
            assert _fill(template, 3, **columns) == expected, template


@pytest.mark.parametrize("lang", LANGS)
def test_every_shape_of_sentence_reads_as_its_templates_formatted_one_inside_the_other(lang):
    """A sentence is spliced from several templates once (``explain.pace`` with ``explain.pace_growth`` in its
    ``{pace_text}``, then where the trend leads, then the pace needed) and each row's pieces joined: for each of
    the shapes ``explanations`` writes, the text is what formatting the catalogue's templates one inside the other
    gives, each part's fields from the columns it is bound to."""
    from tracker.assess.explain import _SHAPES, _pieces
    from tracker.assess.fill import render
    from tracker.i18n import t

    def nested(part, row):
        key, bindings = part
        if bindings is None:
            return t(key, lang)
        fields = {k: nested(v, row) if isinstance(v, tuple) else row[v] for k, v in bindings.items()}
        return t(key, lang).format_map(fields)

    assert len(_SHAPES) == 32
    rows = [{name: f"<{name} {i}>" for name in ("goal", "deadline", "latest_figure", "latest_period", "final_figure",
             "final_period", "base_period", "wording", "indicator", "level", "pace", "growth", "series",
             "projected", "needed_pace", "needed_growth")} for i in range(2)]  # fmt: skip
    for code, (name, parts) in enumerate(_SHAPES):
        got = render(_pieces(code, lang), 2, lambda column: [row[column] for row in rows])  # noqa: B023
        assert got == ["".join(nested(part, row) for part in parts) for row in rows], name


def test_a_template_inside_a_template_keeps_the_format_spec_and_the_text_kept_as_it_is_its_braces():
    """A template bound to a field with a spec is written first and then formatted by the spec; a part marked to be
    used as it is (``explain.end`` after a sentence) is not read as a template; a field bound to nothing is empty;
    a value that is not a text is written as ``format`` writes it."""
    from tracker.assess.fill import flatten, render

    inner = ("[{a}]", {"a": "a"})
    pieces = flatten([("{x:>8}|{x}|{y!r}|{nothing}", {"x": inner, "y": "b"}), ("{{kept}}", None)])
    assert render(pieces, 2, {"a": ["1", "22"], "b": ["q", None]}.__getitem__) == [
        "     [1]|[1]|'q'|{{kept}}",
        "    [22]|[22]|None|{{kept}}",
    ]
    assert render(flatten([("{a} and {a.real}", {"a": "a"})]), 2, {"a": [1.5, 2]}.__getitem__) == [
        "1.5 and 1.5",
        "2 and 2",
    ]


def test_the_csv_writes_each_number_as_it_is_even_where_values_compare_equal():
    """0.0 and -0.0 are equal (one key of a dict), and their texts differ; a date column keeps its order."""
    from tracker.assess.output import to_csv

    columns = {
        "id": np.array(["a", "b", "c", "d"], dtype=object),
        "score": np.array([0.0, -0.0, math.nan, 1.5]),
        "deadline": np.array(["2027-12-31", "NaT", "2025-06-30", "2027-12-31"], dtype="datetime64[us]"),
    }
    assert to_csv(columns, ("id", "score", "deadline")).splitlines() == [
        "id,score,deadline", "a,0.0,2027-12-31", "b,-0.0,", "c,,2025-06-30", "d,1.5,2027-12-31",
    ]  # fmt: skip


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan, None])
@pytest.mark.parametrize("unit", ["enterprises", "%", "% change", "CNY"])
def test_a_value_that_is_not_a_number_reads_n_a_in_english_as_in_the_tables(value, unit):
    """A projection that overflowed is infinite: the English writer raised OverflowError on it for a count."""
    assert formatting.format_value(value, unit) == "n/a"
    assert format_value(value, unit, "en") == "n/a"
    if value is not None:
        assert formatting.format_number(value) == "n/a"
