"""The string catalogues: the same keys in every language, every key the code asks for present."""

from __future__ import annotations

import re

import pytest

from tests.conftest import ROOT
from tracker.catalog import load_catalogue
from tracker.i18n import LANGUAGES, catalogue, t
from tracker.i18n.numbers import axis_title, choose_scale, format_change, format_goal, format_value

CALL = re.compile(r"""\b(?:t|tr)\(\s*f?["']([a-z_]+(?:\.[^"'{}]+)+)["']""")
DYNAMIC = re.compile(r"""\b(?:t|tr)\(\s*f["']([a-z_]+)\.\{""")


def used_keys() -> tuple[set[str], set[str]]:
    """Literal keys passed to t(...) anywhere in the app, and the prefixes of keys built at run time."""
    literal, prefixes = set(), set()
    for path in [*ROOT.glob("tracker/**/*.py"), *ROOT.glob("views/*.py"), ROOT / "dashboard.py"]:
        text = path.read_text(encoding="utf-8")
        literal |= {k for k in CALL.findall(text) if "{" not in k}
        prefixes |= set(DYNAMIC.findall(text))
    return literal, prefixes


def test_every_language_has_the_same_keys():
    keys = {lang: set(catalogue(lang)) for lang in LANGUAGES}
    for lang, own in keys.items():
        assert not keys["en"] - own, f"missing in {lang}.toml: {sorted(keys['en'] - own)}"
        assert not own - keys["en"], f"missing in en.toml: {sorted(own - keys['en'])}"


def test_every_key_the_code_asks_for_is_in_every_catalogue():
    literal, prefixes = used_keys()
    assert len(literal) > 30 and {"status", "qualifier"} <= prefixes
    for lang in LANGUAGES:
        missing = sorted(k for k in literal if k not in catalogue(lang))
        assert not missing, f"{lang}.toml lacks {missing}"


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_placeholders_match_across_languages(lang):
    for key, text in catalogue("en").items():
        assert set(re.findall(r"{(\w+)}", catalogue(lang)[key])) == set(re.findall(r"{(\w+)}", text)), key


def test_every_status_kind_and_shipped_unit_has_a_name_in_every_language():
    from tracker.scorecard import KINDS, URGENCY

    units = {i.unit for i in load_catalogue(ROOT / "targets", ROOT / "data").indicators.values()}
    for lang in LANGUAGES:
        for key in [*(f"status.{s}" for s in URGENCY), *(f"kind.{k}" for k in KINDS), *(f"unit.{u}" for u in units)]:
            assert key in catalogue(lang), f"{lang}: {key}"


def test_chinese_reads_large_numbers_in_wan_and_yi():
    assert format_value(2.89e9, "connections", "zh") == "28.9亿户"
    assert format_value(2e11, "CNY", "zh") == "2,000亿元"
    assert format_value(8e5, "sets", "zh") == "80万套"
    assert format_value(1557, "enterprises", "zh") == "1,557家"
    assert format_goal(">=", 3e12, "CNY", "zh") == "不低于3万亿元"
    assert format_goal(">", 3.6e9, "connections", "zh") == "超过36亿户"
    # A change in the goal's own direction reads as the plans write it (单位GDP二氧化碳排放降低17%), not
    # "不超过-17%（变化）"; one against it keeps its sign.
    assert format_goal("<=", -17, "% change", "zh") == "下降不少于17%"
    assert format_goal(">", 0.5, "% change", "zh") == "增长超过0.5%"
    assert format_goal("<=", 3, "% change", "zh") == "不超过3%（变化）"
    assert format_change(3.14, "%", "zh") == "+3.1个百分点"
    assert axis_title(choose_scale([1.4e8, 1.1e9], "connections", "zh"), "connections", "zh") == "单位：亿户"


def test_english_reads_large_numbers_in_millions_and_billions():
    assert format_value(2.89e9, "connections", "en") == "2.89 billion connections"
    assert format_goal(">", 3e12, "CNY", "en") == "> 3 trillion CNY"
    assert format_goal("<=", -13.5, "% change", "en") == "a fall of at least 13.5%"
    assert format_goal(">=", -1, "% change", "en") == "≥ -1% change"
    assert format_change(-3.14, "%", "en") == "-3.1 points"
    assert axis_title(choose_scale([66.2, 75], "%", "en"), "%", "en") == "%"


def test_fields_are_filled_and_unknown_keys_fall_back_to_english_then_the_key():
    assert t("time.left", "zh", span="3个月") == "还剩3个月"
    assert t("status.on_track", "fr") == "On track"
    assert t("no.such.key", "zh") == "no.such.key"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_column_names_differ_so_that_no_table_or_download_has_two_columns_of_one_name(lang):
    """The scorecard's table and its CSV and Excel downloads head their columns with [col]: the target's title and
    its target value were both "Target" in English, two columns of one name in every download."""
    names = {key: text for key, text in catalogue(lang).items() if key.startswith("col.")}
    assert len(names) > 10 and len(set(names.values())) == len(names), names
