"""`python -m tracker validate`: the shipped catalogue, and one broken fixture per message."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CATALOG_FIXTURES, ROOT
from tracker.catalog import load_catalogue

BAD = CATALOG_FIXTURES / "bad"
FIXTURE_DATA = CATALOG_FIXTURES / "data"

# fixture file -> (line, col, severity, the message as printed after "severity: ")
EXPECTED = {
    "alias.yaml": (2, 4, "error", "YAML: aliases (*name) are not allowed in tracker files"),
    "bad-baseline.yaml": (
        29,
        15,
        "error",
        "period must be written as YYYY, YYYY-MM, YYYY-Qn or YYYY-MM-DD; got 'July 2024'",
    ),
    "bad-comparator.yaml": (14, 17, "error", "comparator must be one of >, >=, <, <=, ==; got '=>'"),
    "bad-id.yaml": (10, 9, "error", "id must be kebab-case"),
    "bad-method.yaml": (19, 13, "error", "method must be one of cagr_ratio, linear; got 'cagr'"),
    "bad-url.yaml": (
        7,
        8,
        "error",
        "url must be a web address starting with http:// or https://; got 'javascript:alert(1)'",
    ),
    "chinese-reading-without-english.yaml": (
        20,
        24,
        "error",
        "'interpretation_zh' translates 'interpretation', which is missing",
    ),
    "english-in-chinese-field.yaml": (
        20,
        16,
        "error",
        "source_zh must be in Chinese, as the Chinese version of the English key beside it; got 'The clause in",
    ),
    "deadline-before-issue.yaml": (27, 15, "error", "deadline 2020-06-30 is before the policy was issued (2024-09-20)"),
    "duplicate-key.yaml": (19, 5, "error", "duplicate key 'value' (first given on line 15)"),
    "duplicate-target-id.yaml": (20, 9, "error", "duplicate target id 'cnc-above-85' (also on line 10)"),
    "empty-file.yaml": (1, 1, "error", "the file is empty; it should hold a mapping of keys to values"),
    "file-name-mismatch.yaml": (3, 7, "warning", "the file name should match the policy id: good-policy.yaml"),
    "gbk-encoded.yaml": (4, 10, "error", "the file is not valid UTF-8 (byte 0xd5)"),
    "missing-key.yaml": (20, 5, "error", "missing required key 'source' in this target"),
    "nan-value.yaml": (15, 12, "error", "value must be a finite number; got nan"),
    "no-schema-line.yaml": (1, 1, "warning", "first line should be '# yaml-language-server: $schema=schema.json'"),
    "not-a-date.yaml": (27, 15, "error", "deadline: '2023-02-30' is not a real date"),
    "not-a-mapping.yaml": (2, 1, "error", "the file holds a list; it should hold a mapping of keys to values"),
    "percent-out-of-range.yaml": (15, 12, "error", "a percentage target must lie between 0 and 100; got 185"),
    "python-tag.yaml": (
        15,
        12,
        "error",
        "YAML tags such as !!python/object/apply:os.system are not allowed",
    ),
    "tab-indent.yaml": (11, 1, "error", "YAML syntax: a tab character cannot indent YAML; indent with spaces"),
    "unknown-indicator.yaml": (
        23,
        16,
        "error",
        "unknown indicator 'iot-conections'; add it to data/indicators.yaml; did you mean 'iot-connections'?",
    ),
    "unknown-key.yaml": (17, 5, "error", "unknown key 'deadlien'; did you mean 'deadline'?"),
    "wrong-type-tags.yaml": (30, 11, "error", "tags must be a list of words"),
    "wrong-type-value.yaml": (15, 12, "error", "value must be a number such as 85 or 3.6e9; got 'eighty-five'"),
    "wrong-unit.yaml": (26, 11, "error", "unit must be the indicator's unit 'connections'; got '亿户'"),
    "yaml-syntax.yaml": (14, 19, "error", "YAML syntax: did not find expected comment or line break"),
    "no-targets.yaml": (2, 1, "error", "missing required key 'targets'"),
}

LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): (?P<msg>.*)$")


def test_every_bad_fixture_has_an_expected_message():
    assert sorted(p.name for p in BAD.glob("*.yaml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_file_gives_a_located_message(name, run_cli, targets_with):
    folder = targets_with(BAD / name)
    code, out, err = run_cli("validate", "--targets", folder, "--data", FIXTURE_DATA)
    line, col, severity, message = EXPECTED[name]
    parsed = [LINE.match(x) for x in out.splitlines()]
    assert all(parsed), f"every output line must be path:line:col: severity: message\n{out}"
    hits = [m for m in parsed if (int(m["line"]), int(m["col"]), m["sev"]) == (line, col, severity)]
    assert hits, out
    assert any(m["msg"].startswith(message) for m in hits), out
    assert all(m["path"].endswith(name) for m in parsed)
    assert code == (1 if severity == "error" else 0)
    assert "Traceback" not in out + err


def test_a_broken_folder_reports_every_problem_in_one_run(run_cli):
    code, out, err = run_cli("validate", "--targets", BAD, "--data", FIXTURE_DATA)
    assert code == 1
    lines = out.splitlines()
    assert all(LINE.match(x) for x in lines)
    # every broken file is reported, not just the first one
    reported = {Path(LINE.match(x)["path"]).name for x in lines}
    assert reported == set(EXPECTED) - {"file-name-mismatch.yaml"} | {"file-name-mismatch.yaml"}
    assert "left out:" in err


def test_several_problems_in_one_file_are_all_reported(run_cli, tmp_path):
    folder = tmp_path / "t"
    folder.mkdir()
    text = (CATALOG_FIXTURES / "good" / "good-policy.yaml").read_text(encoding="utf-8")
    text = text.replace('comparator: ">"\n    value: 85', 'comparator: "=>"\n    value: 85')
    text = text.replace("indicator: iot-connections", "indicator: nowhere")
    text = text.replace("deadline: 2027-12-31", "deadline: 2020-01-01")
    (folder / "good-policy.yaml").write_text(text, encoding="utf-8")
    code, out, _ = run_cli("validate", "--targets", folder, "--data", FIXTURE_DATA)
    assert code == 1
    assert "comparator must be one of" in out
    assert "unknown indicator 'nowhere'" in out
    assert "deadline 2020-01-01 is before the policy was issued" in out
    assert "baseline period 2024-07 starts after the deadline 2020-01-01" in out
    assert len(out.splitlines()) == 4


def test_duplicate_target_id_across_files(run_cli, tmp_path):
    folder = tmp_path / "t"
    folder.mkdir()
    good = (CATALOG_FIXTURES / "good" / "good-policy.yaml").read_text(encoding="utf-8")
    (folder / "good-policy.yaml").write_text(good, encoding="utf-8")
    (folder / "other-policy.yaml").write_text(good.replace("id: good-policy", "id: other-policy"), encoding="utf-8")
    code, out, _ = run_cli("validate", "--targets", folder, "--data", FIXTURE_DATA)
    assert code == 1
    assert "other-policy.yaml:10:9: error: duplicate target id 'cnc-above-85' (also on " in out
    assert "good-policy.yaml" in out.split("also on ", 1)[1]


def test_python_tag_never_runs(tmp_path, run_cli):
    marker = tmp_path / "ran"
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "evil.yaml").write_text(
        f'policy: !!python/object/apply:os.system ["touch {marker}"]\ntargets: []\n', encoding="utf-8"
    )
    code, out, _ = run_cli("validate", "--targets", folder, "--data", FIXTURE_DATA)
    assert code == 1
    assert "are not allowed" in out
    assert not marker.exists()


def test_broken_indicator_catalogue_is_reported(run_cli, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "indicators.yaml").write_text(
        "# yaml-language-server: $schema=indicators.schema.json\nindicators:\n"
        "  - id: x\n    name: X\n    unit: '%'\n    frequency: weekly\n    definition: d\n    direction: up\n    measure: rate\n",
        encoding="utf-8",
    )
    code, out, _ = run_cli("validate", "--targets", CATALOG_FIXTURES / "good", "--data", data)
    assert code == 1
    assert (
        "indicators.yaml:6:16: error: frequency must be one of annual, quarterly, monthly, irregular; got 'weekly'"
        in out
    )
    assert "indicators.yaml:8:16: error: direction must be one of higher, lower; got 'up'" in out


def test_missing_indicator_catalogue(run_cli, tmp_path):
    code, out, _ = run_cli("validate", "--targets", CATALOG_FIXTURES / "good", "--data", tmp_path)
    assert code == 1
    assert "indicators.yaml: error: the indicator catalogue is missing" in out


def test_good_fixture_is_valid(run_cli):
    code, out, err = run_cli("validate", "--targets", CATALOG_FIXTURES / "good", "--data", FIXTURE_DATA)
    assert (code, out) == (0, "")
    assert err.strip() == "ok: 2 targets in 1 policy file, 2 indicators, 0 observations in 0 files"


def test_bad_usage_exits_2(run_cli, tmp_path):
    assert run_cli()[0] == 2
    assert run_cli("frobnicate")[0] == 2
    code, _, err = run_cli("validate", "--targets", tmp_path / "nowhere")
    assert code == 2
    assert "is not a folder" in err


def test_module_entry_point_runs_as_a_user_would():
    done = subprocess.run(
        [sys.executable, "-m", "tracker", "validate"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stderr.startswith("ok: ")


class TestShippedCatalogue:
    catalogue = load_catalogue(ROOT / "targets", ROOT / "data")

    def test_it_is_valid(self):
        assert self.catalogue.problems == []

    def test_it_is_large_enough(self):
        assert len(self.catalogue.targets) >= 18
        assert len(self.catalogue.policies) >= 6

    def test_every_file_names_the_schema(self):
        for path in (ROOT / "targets").glob("*.yaml"):
            assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=schema.json\n")

    def test_comparators_follow_the_documents_own_words(self):
        t = self.catalogue.targets
        # 5个以上 and 10个以上: 以上 includes the number itself.
        assert (t["mobile-iot-clusters-by-2027"].comparator, t["mobile-iot-clusters-by-2027"].value) == (">=", 5)
        assert (t["mobile-iot-demo-bases-by-2027"].comparator, t["mobile-iot-demo-bases-by-2027"].value) == (">=", 10)
        # 超过 (exceed) and 突破 (break through) are strict.
        assert t["petrochem-cnc-rate-85-by-2027"].comparator == ">"
        assert t["cnc-rate-75-by-2027"].comparator == ">" and t["digital-rd-tools-90-by-2027"].comparator == ">"
        assert t["mobile-iot-3-6bn-connections-by-2027"].comparator == ">"

    def test_every_target_has_a_kind_and_counts_and_forecasts_are_not_commitments(self):
        t = self.catalogue.targets
        assert all(target.kind for target in t.values())
        assert t["champions-hold-1557"].kind == "reference" and t["champions-hold-1557"].deadline is None
        assert t["ets-coverage-60pct-by-2024"].kind == "reference"
        assert t["edwc-eight-hubs"].kind == "reference" and t["edwc-eight-hubs"].deadline is None
        assert t["edwc-3-trillion-investment-by-2025"].kind == "expectation"
        for words in ("redcap-county-city-coverage-by-2027", "mobile-iot-fields-100m-by-2027"):
            assert t[words].kind == "interpreted" and t[words].wording and t[words].interpretation

    def test_targets_name_the_coverage_of_their_figures(self):
        t = self.catalogue.targets
        assert t["cnc-rate-75-by-2027"].coverage == "above-size-industrial-firms"
        assert t["edwc-3-trillion-investment-by-2025"].coverage == "all-investment-driven"

    def test_headline_targets_from_the_brief(self):
        t = self.catalogue.targets
        assert (t["petrochem-cnc-rate-85-by-2027"].value, t["petrochem-cnc-rate-85-by-2027"].deadline.year) == (
            85,
            2027,
        )
        assert t["champions-hold-1557"].value == 1557
        assert t["mobile-iot-3-6bn-connections-by-2027"].value == 3.6e9
        assert t["industrial-os-800k-sets-by-2027"].value == 800_000

    def test_bare_year_deadline_means_end_of_year(self):
        assert self.catalogue.targets["cnc-rate-75-by-2027"].deadline.isoformat() == "2027-12-31"


def test_every_five_year_plan_target_states_kind_coverage_comparator_and_deadline():
    catalogue = load_catalogue(ROOT / "targets", ROOT / "data")
    plans = [t for t in catalogue.targets.values() if t.policy_id.startswith("fyp")]
    assert len(plans) >= 40
    assert len({t.policy_id for t in plans}) >= 6
    for t in plans:
        indicator = catalogue.indicators[t.indicator]
        assert t.kind in ("commitment", "expectation", "interpreted", "reference"), t.id
        assert indicator.coverage(t.coverage) is not None, t.id
        assert t.comparator is not None and t.deadline is not None, t.id
        assert t.deadline.year in (2025, 2030), t.id
    sub_plans = [p for p in catalogue.policies.values() if p.id.startswith("fyp14-") and p.id != "fyp14-outline"]
    assert sub_plans and all(p.parent == "fyp14-outline" for p in sub_plans)


def test_same_goal_matches_indicator_coverage_comparator_value_unit_and_deadline():
    import pandas as pd

    from tracker.target_card import same_goal

    base = {"indicator": "x", "coverage": None, "comparator": ">=", "value": 17.0, "unit": "CNY",
            "deadline": pd.Timestamp("2025-12-31"), "kind": "commitment", "issued": "2021-12"}  # fmt: skip
    rows = [
        {**base, "id": "a", "issued": "2021-12-12"},
        {**base, "id": "b"},  # the same goal in an older document
        {**base, "id": "c", "comparator": ">"},  # above, not at least
        {**base, "id": "d", "deadline": pd.Timestamp("2027-12-31")},
        {**base, "id": "e", "coverage": "key-firms"},
        {**base, "id": "f", "value": 17.5},
        {**base, "id": "g", "kind": "reference"},  # a level to watch: no document sets it
        {**base, "id": "h", "kind": "expectation", "issued": "2022-01"},
        {**base, "id": "i", "unit": "USD"},
    ]
    targets = pd.DataFrame(rows)
    assert list(same_goal(targets, "a")["id"]) == ["b", "h"]
    assert list(same_goal(targets, "b")["id"]) == ["a", "h"]
    assert same_goal(targets, "g").empty  # a reference level is no goal
    assert same_goal(targets, "c").empty and same_goal(targets, "missing").empty
