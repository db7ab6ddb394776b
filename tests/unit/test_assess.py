"""Assessment: the worked examples of methodology.md §6, every status and rule, and properties."""

from __future__ import annotations

import json
import math
import re
import shutil
from datetime import date

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT, cli_in_process
from tracker import assess as A
from tracker.periods import date_to_t, parse_deadline, parse_period
from tracker.store import DDL

AS_OF = date(2026, 11, 29)
RANK = {"deteriorating": 0, "limited_progress": 1, "acceleration_needed": 2, "on_track": 3, "achieved": 4}


def make_db(targets, observations, indicators=None, con=None):
    """An in-memory database in the store's schema (``con``'s, its tables made anew, when given).

    targets: dicts with id, indicator, comparator, value, deadline and optional baseline_period,
    baseline_value, method, issued, kind, coverage, proxy_coverage; observations:
    (indicator, period, value[, qualifier[, coverage]]), coverage 'all' when left out.
    """
    if con is None:
        con = duckdb.connect()
    else:  # every table dropped and made again: nothing of the last example can remain
        for (name,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall():
            con.execute(f'DROP TABLE "{name}"')
        assert con.execute("SELECT count(*) FROM duckdb_tables()").fetchone() == (0,)
    con.execute(DDL)
    indicators = indicators or {}
    used = {t["indicator"] for t in targets} | {o[0] for o in observations}
    coverages = {(o[0], o[4]) for o in observations if len(o) > 4} | {(ind, "all") for ind in used}
    coverages |= {(t["indicator"], c) for t in targets for c in (t.get("coverage"), t.get("proxy_coverage")) if c}
    rows = []
    for ind in sorted(used):
        unit, measure, limit = indicators.get(ind, ("%", "rate", 100.0))
        rows.append([ind, f"Indicator {ind}", unit, measure, limit])
    _insert(con, "indicators", "id, name, unit, measure, \"limit\"", "?, ?, ?, ?, ?", rows,
            "'annual' AS frequency, 'd' AS definition, 'higher' AS direction")  # fmt: skip
    _insert(con, "coverages", "indicator, id, name", "?, ?, ?", [[ind, cov, cov] for ind, cov in sorted(coverages)])
    policies, target_rows = [], []
    for t in targets:
        issued = parse_period(t.get("issued", "2016-01-01"))
        policies.append([f"p-{t['id']}", issued.text, issued.start, issued.t])
        deadline = parse_deadline(t["deadline"]) if t.get("deadline") is not None else None
        bp = parse_period(t["baseline_period"]) if t.get("baseline_period") else None
        unit = indicators.get(t["indicator"], ("%",))[0]
        target_rows.append(
            [t["id"], f"p-{t['id']}", t.get("kind", "commitment"), t["indicator"], t.get("coverage", "all"),
             t.get("proxy_coverage"), t.get("comparator"), t["value"], unit, deadline,
             date_to_t(deadline) if deadline else None, bp.text if bp else None, bp.start if bp else None,
             bp.t if bp else None, t.get("baseline_value"), t.get("method"), t.get("wording")]
        )  # fmt: skip
    _insert(con, "policies", "id, issued, issued_date, issued_t", "?, ?, ?, ?", policies,
            "'P' AS title, 'MIIT' AS issuer, 'https://x.org' AS url, 's' AS summary, 'f' AS file")  # fmt: skip
    _insert(con, "targets", "id, policy_id, kind, indicator, coverage, proxy_coverage, comparator, value, unit, "
            "deadline, deadline_t, baseline_period, baseline_start, baseline_t, baseline_value, method, wording",
            ", ".join(["?"] * 17), target_rows, "'T' AS title, 's' AS source, 'f' AS file")  # fmt: skip
    figures = {name: [] for name in _FIGURE_COLUMNS}
    for o in observations:
        ind, period, value = o[:3]
        p = parse_period(period)
        row = (ind, p.text, p.kind, p.start, p.end, p.t, value, o[3] if len(o) > 3 else "=", value,
               o[4] if len(o) > 4 else "all")  # fmt: skip
        for name, cell in zip(_FIGURE_COLUMNS, row, strict=True):
            figures[name].append(cell)
    if observations:  # one Arrow table, read by name (a statement of ten parameters a figure cost twice as much)
        table = pa.table({name: pa.array(cells) for name, cells in figures.items()})  # noqa: F841 (read by the SQL)
        con.execute("INSERT INTO observations BY NAME SELECT *, 'u' AS published_unit, 'S' AS source_title, "
                    "'Pub' AS publisher, 'f.csv' AS source_file FROM \"table\"")  # fmt: skip
    return con


_FIGURE_COLUMNS = ("indicator", "period", "period_kind", "period_start", "period_end", "t", "value", "qualifier",
                   "published_value", "coverage")  # fmt: skip


def _insert(con, table: str, columns: str, slots: str, rows: list[list], constants: str = "") -> None:
    """All ``rows`` into ``table`` in one statement (one statement per row made building a property test's
    database cost more than assessing it): each row's values fill ``columns``, ``constants`` the rest."""
    if not rows:
        return
    values = ", ".join([f"({slots})"] * len(rows))
    rest = f", {constants}" if constants else ""
    con.execute(f"INSERT INTO {table} BY NAME SELECT *{rest} FROM (VALUES {values}) AS v({columns})",  # noqa: S608
                [v for row in rows for v in row])  # fmt: skip


_SHARED: list[duckdb.DuckDBPyConnection] = []


def run(targets, observations, as_of=AS_OF, indicators=None):
    """The assessment of the given targets and figures, in this process's one in-memory database, its tables
    made anew for each call: a new connection cost about 0.035 s, a quarter of a property test's example."""
    if not _SHARED:
        _SHARED.append(duckdb.connect())
    return A.assess(make_db(targets, observations, indicators, con=_SHARED[0]), as_of).set_index("id")


def one(target, observations, **kw):
    return run([{"id": "t", **target}], observations, **kw).loc["t"]


# --- methodology.md §6 worked examples -------------------------------------------------------------


def test_example_a_increasing_target():
    r = one(
        {"indicator": "x", "comparator": ">=", "value": 80, "deadline": 2030, "baseline_period": "2015"},
        [("x", "2015", 60), ("x", "2022", 66)],
    )
    assert r.method == "cagr_ratio"
    assert round(r.growth_observed * 100, 3) == 1.371
    assert round(r.growth_required_from_base * 100, 3) == 1.936
    assert round(r.ratio, 3) == 0.708
    assert round(r.score, 2) == 0.77
    assert r.status == "acceleration_needed"


def test_example_b_decreasing_target():
    r = one(
        {"indicator": "x", "comparator": "<=", "value": 431, "deadline": 2030, "baseline_period": "2019"},
        [("x", "2019", 500), ("x", "2023", 470)],
        indicators={"x": ("t CO2", "level", None)},
    )
    assert round(r.growth_observed * 100, 3) == -1.535
    assert round(r.growth_required_from_base * 100, 3) == -1.341
    assert round(r.ratio, 3) == 1.145
    assert round(r.score, 2) == 3.89
    assert r.status == "on_track"


@pytest.mark.parametrize(
    ("base", "latest", "limit", "status", "score"),
    [(92, 95, None, "limited_progress", -0.20), (92, 95, 100, "acceleration_needed", 2.46),
     (99.5, 99.8, 100, "on_track", 4.77)],
)  # fmt: skip
def test_example_c_no_target_with_a_ceiling(base, latest, limit, status, score):
    got_status, got_score = A.progress_without_target(
        np.array([base]), np.array([latest]), np.array([7.0]), np.array([1.0]), np.array([limit or np.nan])
    )
    assert got_status[0] == status
    assert round(got_score[0], 2) == score


def test_example_d_count_target_with_growth_rates():
    r = one(
        {"indicator": "c", "comparator": ">=", "value": 6, "deadline": 2027, "baseline_period": "2020",
         "method": "cagr_ratio"},
        [("c", "2020", 2), ("c", "2023", 4)],
        indicators={"c": ("clusters", "count", None)},
    )  # fmt: skip
    assert round(r.growth_observed * 100, 2) == 25.99
    assert round(r.growth_required_from_base * 100, 2) == 16.99
    assert round(r.ratio, 2) == 1.53
    assert r.score == 5.0 and r.status == "on_track"


def test_example_d_pathology_zero_base_uses_linear():
    r = one(
        {"indicator": "c", "comparator": ">", "value": 5, "deadline": 2027, "baseline_period": "2020"},
        [("c", "2020", 0), ("c", "2023", 2)],
        indicators={"c": ("clusters", "count", None)},
    )
    assert r.method == "linear"
    # observed 2 in 3 years against 5 required over the 7 years from 2020 to end-2027
    assert r.ratio == pytest.approx((2 / 3) / (5 / 7))
    assert r.status == "acceleration_needed"


# --- every status ---------------------------------------------------------------------------------


def base_target(**kw):
    return {"indicator": "x", "comparator": ">=", "value": 80, "deadline": 2030, "baseline_period": "2015", **kw}


@pytest.mark.parametrize(
    ("latest", "status"),
    [(85, "achieved"), (70, "on_track"), (66, "acceleration_needed"), (62, "limited_progress"), (55, "deteriorating")],
)
def test_statuses_by_pace(latest, status):
    r = one(base_target(), [("x", "2015", 60), ("x", "2022", latest)])
    assert r.status == status
    assert A.STATUS_LABELS[r.status]


def test_missed_after_the_deadline():
    r = one(base_target(deadline=2024), [("x", "2015", 60), ("x", "2022", 66), ("x", "2024", 70)])
    assert r.status == "missed" and r.score == -5
    assert r.explanation == "The figure for 2024, 70%, fell short of the ≥ 80% target due by end-2024."


@pytest.mark.parametrize(
    ("comparator", "value", "unit", "goal"),
    [("<=", 20, "%", "≤ 20%"), (">", 80, "%", "> 80%"), ("==", 5, "clusters", "= 5 clusters"),
     ("<=", -18, "% change", "≤ -18% change")],
)  # fmt: skip
def test_english_sentences_write_the_goal_as_the_scorecard_does(comparator, value, unit, goal):
    # The target's comparator in its printed form (≥, ≤), never as the files write it (>=); a goal of a change keeps
    # its sign, since the sentence names it "the ... target".
    indicators = {"x": (unit, "level", None)}
    r = one(base_target(comparator=comparator, value=value, deadline=2024),
            [("x", "2015", 30), ("x", "2024", 10)], indicators=indicators)  # fmt: skip
    assert f"the {goal} target due by end-2024." in r.explanation
    assert not any(ascii_form in r.explanation for ascii_form in (">=", "<=", "=="))


def test_achieved_after_the_deadline_with_final_data():
    r = one(base_target(deadline=2024), [("x", "2015", 60), ("x", "2025-03", 81)])
    assert r.status == "achieved" and r.final_period == "2025-03"
    assert "awaiting_final_data" not in r["flags"]


def test_deadline_passed_without_final_data_awaits_it_with_the_trend_up_to_the_deadline_kept_apart():
    r = one(base_target(deadline=2024), [("x", "2015", 60), ("x", "2022", 70)])
    assert "awaiting_final_data" in r["flags"]
    # No verdict, and no trend status posing as one; the trend is kept: 2.2% a year observed against 3.2% needed
    assert r.status == "awaiting_final" and r.trend_status == "acceleration_needed"
    assert math.isnan(r.score) and r.ratio == pytest.approx(0.69, abs=0.01)
    assert r.explanation.startswith("No figure for the deadline (end-2024) has been found yet; the latest, 70% (2022)")
    # One figure only: no trend to keep, and still no verdict
    single = one(base_target(deadline=2024), [("x", "2022", 70)])
    assert single.status == "awaiting_final" and single.trend_status == "insufficient_data"
    assert single.explanation == (
        "No figure for the deadline (end-2024) has been found yet, and before it only one "
        "usable figure (70% in 2022): too few to read a trend towards the ≥ 80% target."
    )
    assert "so far" not in single.explanation  # the deadline has passed: no "so far" of a trend towards it
    assert single.explanation_zh.startswith("尚未找到截止期（2024年底）的数据；截止前只有一个可用数据（2022：70%）")
    # The same figures with the deadline to come: the trend is the status, and there is no trend_status
    open_ = one(base_target(deadline=2024), [("x", "2015", 60), ("x", "2022", 70)], as_of=date(2024, 6, 1))
    assert open_.status == "acceleration_needed" and open_.trend_status is None
    # Met before the deadline passed, without the deadline's figure: achieved, flagged, no trend_status
    early = one(base_target(deadline=2024), [("x", "2015", 60), ("x", "2022", 81)])
    assert early.status == "achieved" and "awaiting_final_data" in early["flags"] and early.trend_status is None


def test_insufficient_data_and_single_point_achieved():
    assert one(base_target(), [("x", "2015", 60)]).status == "insufficient_data"
    assert one(base_target(), [("x", "2015", 90)]).status == "achieved"
    assert math.isnan(one(base_target(), [("x", "2015", 60)]).score)


def test_no_data():
    r = one(base_target(), [])
    assert r.status == "no_data" and math.isnan(r.score)
    assert r.explanation.startswith("No figure for indicator x has been found in a citable source yet")


def test_observations_after_the_as_of_date_are_ignored():
    obs = [("x", "2015", 60), ("x", "2022", 66), ("x", "2025", 90)]
    assert one(base_target(), obs, as_of=date(2024, 6, 1)).status == "acceleration_needed"
    assert one(base_target(), obs, as_of=date(2026, 6, 1)).status == "achieved"


# --- baseline rules -------------------------------------------------------------------------------


def test_explicit_baseline_value_wins():
    r = one(base_target(baseline_value=50), [("x", "2015", 60), ("x", "2022", 66)])
    assert (r.base_value, r.base_period) == (50, "2015")
    assert "base_value_from_target_file" in r["flags"]


def test_baseline_period_takes_that_period_or_the_first_after():
    r = one(base_target(baseline_period="2016"), [("x", "2015", 60), ("x", "2018", 62), ("x", "2022", 66)])
    assert (r.base_value, r.base_period) == (62, "2018")


def test_baseline_period_after_every_figure_finds_no_base():
    """No figure for the baseline period or after it: no base, whichever series comes last in key order."""
    figures = [("x", "2015", 60), ("x", "2018", 62), ("x", "2022", 66)]
    alone = one(base_target(baseline_period="2023"), figures)
    assert pd.isna(alone.base_value) and pd.isna(alone.base_period)
    assert alone.status == "insufficient_data"
    # The same target when another series sorts after its own ("y" after "x").
    both = run([{"id": "t", **base_target(baseline_period="2023")},
                {"id": "u", **base_target(indicator="y", baseline_period="2015")}],
               figures + [("y", "2015", 60), ("y", "2022", 66)])  # fmt: skip
    assert pd.isna(both.loc["t"].base_value) and pd.isna(both.loc["t"].base_period)
    assert both.loc["t"].status == alone.status == "insufficient_data"


def test_without_baseline_the_last_figure_at_or_before_issue():
    t = base_target(baseline_period=None, issued="2019-06-30")
    r = one(t, [("x", "2015", 60), ("x", "2018", 62), ("x", "2022", 66)])
    assert (r.base_value, r.base_period) == (62, "2018")


def test_without_baseline_or_earlier_figure_the_first_after_issue():
    t = base_target(baseline_period=None, issued="2014-01-01")
    r = one(t, [("x", "2015", 60), ("x", "2022", 66)])
    assert r.base_period == "2015"


# --- qualified figures, conflicts, zeros and negatives ----------------------------------------------


def test_several_figures_that_have_not_moved_towards_a_goal_at_their_level_are_not_called_one_figure():
    """A flat series against a "more than" its own level: R is 0/0, the status insufficient data, and the sentence
    says the series has not moved (it said "only one usable figure" beside an evidence table of three)."""
    figures = [("x", "2021", 50), ("x", "2022", 50), ("x", "2023", 50)]
    target = base_target(comparator=">", value=50, deadline=2025, baseline_period=None)
    passed = one(target, figures)
    assert passed.status == "awaiting_final" and passed.trend_status == "insufficient_data"
    assert passed.explanation == (
        "No figure for the deadline (end-2025) has been found yet; the latest before it, 50% (2023), is where the "
        "series stood in 2021: it had not moved, and the > 50% target asks for a move beyond that level, so there is "
        "no pace to judge."
    )
    assert "一个可用数据" not in passed.explanation_zh and "与2021持平" in passed.explanation_zh
    open_ = one(target, figures, as_of=date(2024, 6, 1))
    assert open_.status == "insufficient_data" and "only one" not in open_.explanation.lower()
    assert open_.explanation.startswith("The latest figure, 50% (2023), is where the series stood in 2021")
    # One figure only is still said as one figure.
    assert one(target, figures[:1], as_of=date(2024, 6, 1)).explanation.startswith("Only one usable figure so far")


def test_the_working_gives_the_base_figure_with_its_qualifier_and_a_files_base_without_one():
    """A base that is a "more than" figure is written as one in the working ("more than 400 billion" had read
    "400 billion" for the base beside "more than 400 billion" for the same figure as the latest)."""
    from tracker.target_card import working_out

    figures = [("n", "2021", 20, ">"), ("n", "2023", 24, "~")]
    by_period = one(base_target(indicator="n", baseline_period="2021"), figures, indicators={"n": ("%", "rate", 100)})
    assert by_period.base_qualifier == ">"
    working = dict(working_out(by_period, "%", "en"))
    assert working["Base figure"] == "more than 20% (2021)" and working["Latest figure"] == "about 24% (2023)"
    assert dict(working_out(by_period, "%", "zh"))["基期数据"].startswith("超过20%")
    given = one(base_target(indicator="n", baseline_period="2021", baseline_value=19), figures,
                indicators={"n": ("%", "rate", 100)})  # fmt: skip
    assert given.base_qualifier is None and dict(working_out(given, "%", "en"))["Base figure"] == "19% (2021)"

    # One figure, base and latest alike: what is needed from it is said once, as required from the base.
    single = dict(working_out(one(base_target(indicator="n", baseline_period="2021"), figures[:1],
                                  indicators={"n": ("%", "rate", 100)}), "%", "en"))  # fmt: skip
    assert (
        single["Change a year required, from the base"] and "Change a year needed, from the latest figure" not in single
    )
    assert "Growth a year needed, from the latest figure" not in single
    assert "Change a year needed, from the latest figure" in working  # two figures: both


def test_more_than_figure_meets_at_least_target_and_is_listed():
    r = one(
        {"indicator": "n", "comparator": ">=", "value": 26, "deadline": 2027, "baseline_period": "2020"},
        [("n", "2020", 20), ("n", "2024", 26, ">")],
        indicators={"n": ("connections", "level", None)},
    )
    assert r.status == "achieved"
    assert r.qualified_points == [{"period": "2024", "qualifier": ">", "value": 26.0}]
    assert "qualified_figures" in r["flags"]
    assert r.explanation.startswith("The latest figure, more than 26 connections (2024)")


def test_about_figure_counts_as_its_value():
    r = one(base_target(value=60), [("x", "2015", 50), ("x", "2022", 60, "~")])
    assert r.status == "achieved"


def test_satisfies_truth_table():
    cmp = np.array([">", ">", ">=", ">=", "<", "<=", "==", ">"])
    tgt = np.array([26.0, 26.0, 26.0, 27.0, 5.0, 5.0, 3.0, 26.0])
    val = np.array([26.0, 26.0, 26.0, 26.0, 5.0, 5.0, 3.0, 26.0])
    q = np.array([">", "=", ">", ">", "<", "<", "=", ">="])
    # the last: "at least 26" does not prove "more than 26"
    assert A.satisfies(cmp, tgt, val, q).tolist() == [True, False, True, False, True, True, True, False]


def test_figures_of_another_coverage_never_enter_the_status():
    r = one(base_target(), [("x", "2015", 60), ("x", "2022", 66), ("x", "2022", 90, "=", "other")])
    assert r.latest_value == 66 and r.conflicting_period_count == 0
    assert r.other_coverage_figures == 1


def test_two_figures_of_one_coverage_for_one_period_are_a_conflict():
    r = one(base_target(), [("x", "2015", 60), ("x", "2022", 66), ("x", "2022", 90)])
    assert r.latest_value == 66
    assert r.conflicting_period_count == 1
    assert "conflicting_figures" in r["flags"]


def test_too_few_comparable_figures_is_insufficient_data_and_names_the_break():
    r = one(
        base_target(coverage="above-size"),
        [
            ("x", "2015", 60, "=", "key-firms"),
            ("x", "2021", 55, "=", "above-size"),
            ("x", "2023", 63, "=", "key-firms"),
        ],
    )
    assert r.status == "insufficient_data"
    assert r.latest_value == 55
    assert "2 figures of other coverages are not comparable" in r.explanation


def test_a_declared_proxy_lets_its_figures_in_and_prefers_the_own_coverage():
    observations = [("x", "2015", 60, "=", "key-firms"), ("x", "2022", 66, "=", "above-size"),
                    ("x", "2022", 70, "=", "key-firms")]  # fmt: skip
    r = one(base_target(coverage="above-size", proxy_coverage="key-firms"), observations)
    assert r.base_value == 60 and r.latest_value == 66
    assert r.status != "insufficient_data" and r.proxy_coverage == "key-firms"


def test_a_trend_that_switches_between_the_own_and_the_proxy_coverage_is_flagged():
    proxy = base_target(coverage="above-size", proxy_coverage="key-firms")
    switched = one(proxy, [("x", "2015", 60, "=", "key-firms"), ("x", "2018", 62, "=", "key-firms"),
                           ("x", "2022", 66, "=", "above-size")])  # fmt: skip
    assert switched.base_value == 60 and switched.latest_value == 66
    assert "proxy_figures_used" in switched["flags"]
    # A proxy figure for a period the own coverage also has is not used: the trend stays in one coverage.
    own = one(proxy, [("x", "2015", 60, "=", "above-size"), ("x", "2018", 61, "=", "key-firms"),
                      ("x", "2018", 62, "=", "above-size"), ("x", "2022", 66, "=", "above-size")])  # fmt: skip
    assert own.base_value == 60 and own.latest_value == 66
    assert "proxy_figures_used" not in own["flags"]


@pytest.mark.parametrize("kind", ["reference", "interpreted"])
def test_references_and_readings_get_no_status_score_or_projection(kind):
    extra = {"wording": "一批"} if kind == "interpreted" else {}
    r = one(base_target(kind=kind, **extra), [("x", "2015", 60), ("x", "2022", 66)])
    assert r.status == "not_assessed" and not r.judged
    assert math.isnan(r.score) and math.isnan(r.projected_value)


def test_a_reference_level_needs_no_comparator_or_deadline():
    r = one({"indicator": "x", "value": 1557, "kind": "reference"}, [("x", "2024", 1557)])
    assert r.status == "not_assessed"
    assert "reference level" in r.explanation


def test_negative_series_use_linear_and_keep_direction():
    r = one(
        {"indicator": "g", "comparator": ">=", "value": 0, "deadline": 2030, "baseline_period": "2015"},
        [("g", "2015", -10), ("g", "2022", -5)],
        indicators={"g": ("%", "rate", None)},
    )
    assert r.method == "linear" and "linear_because_not_positive" in r["flags"]
    assert r.ratio == pytest.approx((5 / 7) / (10 / 15))
    assert r.status == "on_track"


def test_projection_has_an_80_percent_band_from_three_points():
    r = one(base_target(), [("x", "2015", 60), ("x", "2018", 63), ("x", "2020", 64), ("x", "2022", 66)])
    assert r.projected_low < r.projected_value < r.projected_high
    two = one(base_target(), [("x", "2015", 60), ("x", "2022", 66)])
    assert not math.isnan(two.projected_value) and math.isnan(two.projected_low)


def test_projection_of_a_percentage_stays_within_its_limit():
    r = one(base_target(value=99), [("x", "2015", 60), ("x", "2020", 90), ("x", "2022", 98)])
    assert r.projected_high <= 100


# --- properties -----------------------------------------------------------------------------------

finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)
positive = st.floats(min_value=0.01, max_value=1e6, allow_nan=False, allow_infinity=False)


# Each example assesses a whole batch of targets in one database, so that the rule meets many series
# per example without building a database for each (the example count comes from the profile).
series_case = st.fixed_dictionaries(
    {
        "values": st.lists(finite, min_size=0, max_size=6),
        "target": finite,
        "comparator": st.sampled_from([">", ">=", "<", "<=", "=="]),
        "method": st.sampled_from([None, "cagr_ratio", "linear"]),
        "deadline": st.integers(min_value=2016, max_value=2035),
    }
)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(cases=st.lists(series_case, min_size=1, max_size=25))
def test_any_finite_series_gets_a_status(cases):
    targets, observations, indicators = [], [], {}
    for i, c in enumerate(cases):
        ind = f"x{i}"
        indicators[ind] = ("u", "level", None)
        targets.append({"id": f"t{i}", "indicator": ind, "comparator": c["comparator"], "value": c["target"],
                        "deadline": c["deadline"], "method": c["method"]})  # fmt: skip
        observations += [(ind, str(2010 + k), v) for k, v in enumerate(c["values"])]
    assessed = run(targets, observations, indicators=indicators)
    assert len(assessed) == len(cases)
    for r in assessed.itertuples():
        assert r.status in A.STATUSES
        assert isinstance(r.explanation, str) and r.explanation.endswith(".")
        assert r.explanation_zh.endswith("。")
        assert math.isnan(r.score) or -5 <= r.score <= 5


monotone_case = st.fixed_dictionaries(
    {
        "base": positive,
        "latest": positive,
        "bump": st.floats(min_value=0, max_value=1e6),
        "target": positive,
        "method": st.sampled_from(["cagr_ratio", "linear"]),
    }
)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(cases=st.lists(monotone_case, min_size=1, max_size=25))
def test_raising_the_latest_value_never_lowers_the_status(cases):
    targets, observations, indicators = [], [], {}
    for i, c in enumerate(cases):
        for side, latest in (("a", c["latest"]), ("b", c["latest"] + c["bump"])):
            ind = f"x{i}{side}"
            indicators[ind] = ("u", "level", None)
            targets.append({"id": f"t{i}{side}", "indicator": ind, "comparator": ">=", "value": c["target"],
                            "deadline": 2030, "baseline_period": "2015", "method": c["method"]})  # fmt: skip
            observations += [(ind, "2015", c["base"]), (ind, "2022", latest)]
    status = run(targets, observations, indicators=indicators)["status"]
    for i in range(len(cases)):
        assert RANK[status[f"t{i}b"]] >= RANK[status[f"t{i}a"]], cases[i]


# --- the command on the shipped data -------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped_db(tmp_path_factory, shipped_database):
    """A copy of the session's build of the shipped files: ``tracker status`` finds it current and reads it.
    (test_status_table_and_csv runs the command on a missing database, which it builds.)"""
    db = tmp_path_factory.mktemp("db") / "tracker.duckdb"
    shutil.copy(shipped_database, db)
    return db


@pytest.fixture(scope="module")
def shipped_status(shipped_db):
    code, out, _ = cli_in_process("status", "--db", shipped_db, "--as-of", "2026-11-29", "--format", "json")
    assert code == 0
    return {r["id"]: r for r in json.loads(out)}


def test_status_json_has_a_record_for_every_target(shipped_status):
    from tracker.catalog import load_catalogue

    catalogue = load_catalogue(ROOT / "targets", ROOT / "data")
    assert set(shipped_status) == set(catalogue.targets)
    for record in shipped_status.values():
        assert set(A.RECORD_FIELDS) <= set(record)
        assert record["status"] in A.STATUSES


def test_status_explanations_read_correctly(shipped_status):
    # The 2027 goal is for above-size firms; the only such figure is 2021's. The key-firm and
    # all-firm figures of other years are a different coverage and must not make a trend with it.
    assert shipped_status["cnc-rate-75-by-2027"]["status"] == "insufficient_data"
    assert shipped_status["cnc-rate-75-by-2027"]["explanation"] == (
        "Only one usable figure so far (55.3% in 2021); a trend towards > 75% by end-2027 needs at least two. "
        "7 figures of other coverages are not comparable and not used."
    )
    # End-2025's 28.88亿 (below October's 28.9亿) slowed the trend: behind pace since the fifteenth session.
    assert shipped_status["mobile-iot-3-6bn-connections-by-2027"]["status"] == "acceleration_needed"
    assert shipped_status["mobile-iot-3-6bn-connections-by-2027"]["explanation"] == (
        "Since 2024-07: +240 million connections a year, growth of 9.3% a year; the trend fitted to the recent "
        "figures takes the figure to 3.46 billion connections by end-2027, short of the > 3.6 billion connections "
        "target; from the latest figure it needs growth of 11.6% a year (+356 million connections a year)."
    )
    assert shipped_status["champions-1000-by-2025"]["explanation"] == (
        "The latest figure, 1,557 enterprises (2024-09), already meets the ≥ 1,000 enterprises target due by "
        "end-2025; no figure for the deadline itself has been found yet."
    )
    assert shipped_status["petrochem-cnc-rate-85-by-2027"]["status"] == "no_data"
    # MERICS's "about 60%" is a reference level, not an MEE target that was missed.
    assert shipped_status["ets-coverage-60pct-by-2024"]["status"] == "not_assessed"
    assert shipped_status["champions-hold-1557"]["status"] == "not_assessed"


def test_status_table_and_csv(run_cli, tmp_path):
    db = tmp_path / "t.duckdb"
    code, out, _ = run_cli("status", "--db", db, "--as-of", "2026-11-29")
    assert code == 0
    assert "mobile-iot-3-6bn-connections-by-2027" in out and "Acceleration needed" in out and "3.46 billion" in out
    # the marks beside a status, and what they mean under the table
    row = next(line for line in out.splitlines() if line.startswith("fyp14-2i-cnc-rate-68pct "))
    assert "Awaiting final figure (on track) †" in row and "On track" not in row
    early = next(line for line in out.splitlines() if line.startswith("champions-1000-by-2025 "))
    assert "Achieved * " in early
    assert (
        "(...) the trend up to a passed deadline. * met before the deadline, no figure for it found yet. † latest "
        "figure out of date."
    ) in out
    code, out, _ = run_cli("status", "--db", db, "--as-of", "2026-11-29", "--format", "csv")
    frame = pd.read_csv(__import__("io").StringIO(out))
    assert list(frame.columns[:6]) == ["id", "kind", "status", "trend_status", "method", "score"]
    assert frame.set_index("id").loc["fyp14-2i-cnc-rate-68pct", ["status", "trend_status"]].tolist() == [
        "awaiting_final",
        "on_track",
    ]
    assert frame.set_index("id").loc["cnc-rate-75-by-2027", "coverage"] == "above-size-industrial-firms"
    assert run_cli("status", "--db", db, "--as-of", "2026-02-30")[0] == 2


@pytest.fixture(scope="module")
def three_assessed():
    """Three targets assessed once: the examples below only change their texts (a copy each)."""
    return run([{"id": f"t{n}", **base_target()} for n in range(3)], [("x", "2015", 60), ("x", "2022", 66)])


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(alphabet=st.sampled_from(list('ab=+-@,"\r\n\t;\x07 ')), max_size=12), min_size=3, max_size=3))
def test_status_csv_and_json_read_back_as_the_records(three_assessed, texts):
    """The CSV and JSON written column by column hold the records: every field, formulas neutralised,
    quotes and line breaks kept; the JSON is what json.dumps(records, indent=2) writes."""
    import csv
    import io

    from tracker.escape import spreadsheet_cell

    assessed = three_assessed.reset_index()  # a new frame: the shared one is left as it was
    assessed["explanation"] = texts
    assessed["wording"] = texts
    assessed.loc[0, "flags"] = ["qualified_figures", "conflicting_figures"]  # list in a cell
    records = A.records(assessed)
    rows = list(csv.reader(io.StringIO(A.to_csv(assessed), newline="")))
    assert rows[0] == list(A.RECORD_FIELDS)
    for row, record in zip(rows[1:], records, strict=True):
        for key, cell in zip(A.RECORD_FIELDS, row, strict=True):
            value = ";".join(record[key]) if key == "flags" else record[key]
            expected = "" if value is None else repr(value) if isinstance(value, float) else str(value)
            assert cell == spreadsheet_cell(expected), key
    assert A.to_json(assessed) == json.dumps(records, ensure_ascii=False, indent=2, default=str)
    assert A.to_json(assessed.iloc[:0]) == json.dumps([], indent=2)


def test_status_csv_writes_every_float_as_repr_once_per_bit_pattern():
    """Float cells are written once per distinct value, yet 0.0 and -0.0 (equal, and one key of a dict) keep
    their own texts, every NaN is an empty cell, and a repeated value reads the same in every row."""
    values = [0.0, -0.0, float("nan"), 0.1, 0.1, -0.0, 1e300, 5e-324, float("inf"), float("-nan"), 0.30000000000000004]
    columns = {"id": np.array([f"t{i}" for i in range(len(values))], dtype=object), "score": np.array(values)}
    lines = A.to_csv(columns, ("id", "score")).splitlines()
    assert lines[0] == "id,score"
    assert [line.split(",")[1] for line in lines[1:]] == [
        "0.0", "-0.0", "", "0.1", "0.1", "-0.0", "1e+300", "5e-324", "inf", "", "0.30000000000000004"
    ]  # fmt: skip


def test_a_failing_figures_query_fails_the_assessment(monkeypatch):
    """The figures are read on a second thread: an error there reaches the caller, not a thread's log."""
    from tracker.assess import queries

    con = make_db([{"id": "t", **base_target()}], [("x", "2015", 60), ("x", "2022", 66)])
    try:
        assert A.assess(con, AS_OF).loc[0, "status"] == "acceleration_needed"
        monkeypatch.setattr(queries, "SERIES_SQL", "SELECT * FROM no_such_table")
        with pytest.raises(duckdb.CatalogException, match="no_such_table"):
            A.assess(con, AS_OF)
    finally:
        con.close()


# --- the registry of methods -----------------------------------------------------------------------


def test_a_new_method_needs_only_an_entry_in_the_registry(monkeypatch):
    """A test-only method that counts the change needed from the base to half way as enough."""
    from tracker.assess import methods

    halfway = methods.Method(
        name="half-way",
        title="Half-way change",
        description="test only",
        observed=methods.METHODS["linear"].observed,
        required=lambda base, target, years: (target - base) / 2 / years,
        log_scale=False,
        needs_positive=False,
    )
    monkeypatch.setitem(methods.METHODS, "half-way", halfway)
    observations = [("x", "2015", 60), ("x", "2022", 66)]
    linear = one(base_target(method="linear"), observations)
    half = one(base_target(method="half-way"), observations)
    assert half.method == "half-way"
    assert half.ratio == pytest.approx(2 * linear.ratio)
    assert half.projected_value == pytest.approx(linear.projected_value)  # fitted on values, like linear


def test_the_catalogue_accepts_exactly_the_methods_of_the_registry():
    from pydantic import ValidationError

    from tracker.assess.methods import METHODS
    from tracker.model import Target

    base = {"id": "t", "title": "T", "kind": "commitment", "indicator": "x", "comparator": ">=", "value": 1,
            "unit": "u", "deadline": 2030, "source": "s"}  # fmt: skip
    for name in METHODS:
        assert Target.model_validate({**base, "method": name}).method == name
    with pytest.raises(ValidationError, match="method must be one of cagr_ratio, linear"):
        Target.model_validate({**base, "method": "cagr"})


def test_figures_are_written_to_the_precision_they_were_published_with(shipped_status, shipped_db, run_cli):
    # 28.88亿 is four significant digits: 2.888 billion, not 2.89 or 2.9.
    assert shipped_status["mobile-iot-3-6bn-connections-by-2027"]["latest_value"] == 2.888e9
    code, out, _ = run_cli("status", "--db", shipped_db, "--as-of", "2026-11-29")
    assert code == 0 and "2.888 billion connections (2025-12)" in out
    # 55.3% stays 55.3%, and 1.76万 "more than" stays a qualified 17,600.
    assert "55.3% in 2021" in shipped_status["cnc-rate-75-by-2027"]["explanation"]
    assert "more than 17,600 enterprises" in shipped_status["little-giants-10000-by-2025"]["explanation"]


def test_significant_digits_are_read_from_the_published_text(tmp_path):
    import duckdb

    from loaders.rows import canonical_select, register_lookups
    from tracker.catalog import load_catalogue

    catalogue = load_catalogue(ROOT / "targets", ROOT / "data")
    con = duckdb.connect()
    register_lookups(con, catalogue.indicators)
    rows = [("25.47", "亿户"), ("26", "亿户"), ("0.5", "亿户"), ("1.2e3", "万户"), ("17600", "connections")]
    con.execute(
        "CREATE TABLE raw AS SELECT * FROM (VALUES "
        + ", ".join(
            f"({i}, 'mobile-iot-connections', '2024', '{v}', '{u}', '=', NULL, 'T', 'P', NULL, NULL, NULL, NULL)"
            for i, (v, u) in enumerate(rows)
        )  # fmt: skip
        + ") t(line, indicator, period, value, unit, qualifier, coverage, source_title, publisher, publisher_zh, "
        "source_url, published, note)"
    )
    got = con.execute(
        f"SELECT digits FROM ({canonical_select('(SELECT *, $source_file AS source_file FROM raw)')}) ORDER BY line",
        {"default_indicator": None, "strict_numbers": False, "source_file": "x.csv"},
    ).fetchall()
    assert [g[0] for g in got] == [4, 2, 1, 2, 5]


def test_every_explanation_is_written_in_chinese_too(shipped_database):
    from tracker import store

    con = store.connect(shipped_database)
    try:
        assessed = A.assess(con, AS_OF).set_index("id")
    finally:
        con.close()
    ascii_words = re.compile(r"[A-Za-z]{4,}")
    for tid, row in assessed.iterrows():
        zh = row["explanation_zh"]
        assert zh.endswith("。"), (tid, zh)
        # No English prose: only ids, units and codes the files hold may stay in Latin letters.
        leftovers = set(ascii_words.findall(zh)) - {"RedCap", "Tbps"}  # a product name and a unit
        assert not leftovers, (tid, leftovers)
    mobile = assessed.loc["mobile-iot-3-6bn-connections-by-2027", "explanation_zh"]
    assert "34.6亿户" in mobile and "达不到超过36亿户的目标" in mobile and "年均增长11.6%" in mobile
    cnc = assessed.loc["cnc-rate-75-by-2027", "explanation_zh"]
    assert "2021：55.3%" in cnc and "另有7个其他统计口径的数据不可比" in cnc
    # A verdict names the figure it rests on with its period in brackets ("2025的数据为" lacked its 年).
    assert assessed.loc["fyp14-dep-online-retail-17tn", "explanation_zh"] == (
        "判定所依据的数据为15.9722万亿元（2025），未实现2025年底到期的不低于17万亿元目标。"
    )
    assert assessed.loc["influential-industrial-internet-platforms-120-by-2025", "explanation_zh"].startswith(
        "判定所依据的数据为超过340个（2026-01），实现了"
    )


def test_every_shipped_figure_names_its_publisher_in_chinese_too(shipped_database):
    """The Chinese pages read publisher_zh: every shipped figure has one, and it is Chinese (a CJK character in
    it; domain names and dates stay as written), but for two foreign publishers with no settled Chinese name."""
    from tracker import store

    con = store.connect(shipped_database)
    try:
        rows = con.execute("SELECT source_file, period, publisher, publisher_zh FROM observations").fetchall()
    finally:
        con.close()
    assert len(rows) > 200
    foreign = {"Semafor", "IGES（Institute for Global Environmental Strategies）"}
    missing = [r for r in rows if not r[3] or not (re.search(r"[\u4e00-\u9fff]", r[3]) or r[3] in foreign)]
    assert not missing, missing[:5]


def test_the_frame_the_columns_and_one_row_give_the_same_records_and_sentences(shipped_database):
    """``tracker status`` reads the columns, the app and the site the DataFrame, a page one row: each reads
    the same statuses, sentences and records."""
    from tracker import store

    con = store.connect(shipped_database)
    try:
        frame, columns = A.assess(con, AS_OF), A.assessed_columns(con, AS_OF)
    finally:
        con.close()
    assert columns["id"].tolist() == frame["id"].tolist() and len(frame) > 50
    assert columns["status"].tolist() == frame["status"].tolist()
    for lang, key in (("en", "explanation"), ("zh", "explanation_zh")):
        assert columns[key].tolist() == frame[key].tolist() == A.explanations(frame, lang)
        assert [A.explanation(r, lang) for r in frame.itertuples(index=False)] == frame[key].tolist()
    assert A.to_csv(columns) == A.to_csv(frame)
    assert A.to_json(columns) == A.to_json(frame)
    assert A.status_table(columns) == A.status_table(frame)
    assert A.records(columns) == A.records(frame)


def test_the_figures_are_sorted_as_order_by_would_sort_them_whatever_order_they_come_in(shipped_database):
    """``figure_order`` puts the rows of SERIES_SQL exactly as ``ORDER BY`` its keys would, row for row,
    from rows in any order: the stored order only makes the sort cheaper, never changes the figure used."""
    from tracker import store
    from tracker.assess.series import SERIES_SQL, SORT_KEYS, figure_order

    con = store.connect(shipped_database)
    try:
        for as_of in (AS_OF, date(2023, 6, 30)):
            expected = con.execute(f"{SERIES_SQL} ORDER BY {', '.join(SORT_KEYS)}", {"as_of": as_of}).fetchnumpy()
            raw = con.execute(SERIES_SQL, {"as_of": as_of}).fetchnumpy()
            n = len(raw["period_key"])
            assert n > 50
            for order in (np.arange(n), np.arange(n)[::-1], np.random.default_rng(7).permutation(n)):
                rows = {k: np.asarray(v)[order] for k, v in raw.items()}
                got = figure_order(rows)
                for key, values in expected.items():
                    assert np.array_equal(np.asarray(values), rows[key][got]), (as_of, key)
    finally:
        con.close()


def test_the_series_code_kind_and_coverage_read_back_from_the_keys_are_those_stored(shipped_database):
    """``Series`` reads each figure's series code, kind of period and coverage (own or proxy) back from its sort
    keys instead of fetching them: they equal the columns they stand for, figure for figure."""
    from tracker import store
    from tracker.assess.series import KIND_CODES, SERIES_SQL, SORT_KEYS, Series

    head, tail = SERIES_SQL.rsplit("\nSELECT ", 1)
    stored = (
        f"{head}\nSELECT c.code AS stored_code, o.period_kind AS stored_kind, o.coverage AS stored_coverage, {tail}"
    )
    con = store.connect(shipped_database)
    try:
        for as_of in (AS_OF, date(2023, 6, 30)):
            rows = con.execute(f"{stored} ORDER BY {', '.join(SORT_KEYS)}", {"as_of": as_of}).fetchnumpy()
            first = np.r_[True, rows["period_key"][1:] != rows["period_key"][:-1]]
            series = Series(con.execute(SERIES_SQL, {"as_of": as_of}).fetchnumpy())
            assert series.code.tolist() == rows["stored_code"][first].tolist()
            assert [KIND_CODES[k] for k in series.kind.tolist()] == rows["stored_kind"][first].tolist()
            coverage = np.asarray(rows["stored_coverage"][first], dtype=object)
            same_series = series.code[1:] == series.code[:-1]
            changed = same_series & (coverage[1:] != coverage[:-1])
            assert series.change_count.tolist() == np.r_[0, np.cumsum(np.r_[False, changed])].tolist()
    finally:
        con.close()


def test_within_a_period_the_figure_to_use_comes_first():
    """Ties on the period are broken by the choice key (own coverage, exact, latest published), then the
    file, then the value; rows of other periods stay in period order."""
    from tracker.assess.series import figure_order

    raw = {
        "period_key": np.array([20, 10, 10, 10, 10, 5]),
        "choice_key": np.array([0, 7, 3, 3, 3, 9]),
        "file": np.array([1, 1, 2, 1, 1, 1]),
        "value": np.array([0.0, 1.0, 2.0, 4.0, 3.0, 5.0]),
    }
    assert raw["value"][figure_order(raw)].tolist() == [5.0, 3.0, 4.0, 2.0, 1.0, 0.0]


def test_a_projection_that_overflows_is_read_as_none_not_as_a_level():
    """Growth from a thousandth to a thousand in a year, carried to 2100, overflows to infinity: the sentence
    then compares the latest figure with the goal, as where there is no projection, and never writes the
    projection (it read "takes the count to n/a by end-2100")."""
    r = one(
        {"indicator": "c", "comparator": ">=", "value": 1e15, "deadline": 2100, "baseline_period": "2020",
         "method": "cagr_ratio"},
        [("c", "2020", 1e-3), ("c", "2021", 1e3)],
        indicators={"c": ("clusters", "count", None)},
    )  # fmt: skip
    assert math.isnan(r.projected_value)  # infinity is given as missing (null in JSON)
    assert "the latest figure is 1,000 clusters (2021), against the ≥ 1,000 trillion clusters target" in r.explanation
    assert "n/a" not in r.explanation and "inf" not in r.explanation
    assert "最新数据为1,000个（2021）" in r.explanation_zh and "暂无" not in r.explanation_zh


@pytest.mark.parametrize(
    ("frequency", "period", "days_after_end", "flagged"),
    [("annual", "2024", 550, False), ("annual", "2024", 551, True), ("monthly", "2026-06", 120, False),
     ("monthly", "2026-06", 121, True), ("quarterly", "2026-Q1", 201, True), ("irregular", "2024", 550, False),
     ("irregular", "2024", 551, True)],
)  # fmt: skip
def test_a_trend_on_a_figure_older_than_its_frequency_allows_is_flagged_out_of_date(
    frequency, period, days_after_end, flagged
):
    """The same limits as the indicators page's stale series (tracker.vocabulary.STALE_AFTER_DAYS), counted from
    the end of the latest figure's period to the as-of date, an irregular series held to the annual one; a verdict
    (achieved) is never flagged."""
    from datetime import timedelta

    end = parse_period(period).end
    as_of = end + timedelta(days=days_after_end)
    targets = [{"id": "open", **base_target(deadline=2035)}, {"id": "met", **base_target(value=60, deadline=2035)}]
    con = make_db(targets, [("x", "2015", 60), ("x", period, 66)])
    con.execute("UPDATE indicators SET frequency = $f", {"f": frequency})
    got = A.assess(con, as_of).set_index("id")
    assert got.loc["open", "status"] in ("acceleration_needed", "limited_progress", "on_track")
    assert ("out_of_date_figure" in got.loc["open", "flags"]) is flagged
    assert got.loc["met", "status"] == "achieved" and "out_of_date_figure" not in got.loc["met", "flags"]


def test_no_number_in_the_status_output_is_infinite(shipped_db, run_cli):
    """Two shipped readings (R&D intensity above the 13th plan's, a stable manufacturing share) have a required
    change of zero: their ratio was +/-infinity, written "Infinity" in the JSON (which JSON.parse refuses) and "inf"
    in the target page's working. Infinity is missing, as NaN is: null in JSON, empty in CSV, not listed."""
    import json

    def refuse(constant):
        raise AssertionError(f"{constant} in the JSON")

    code, out, _ = run_cli("status", "--db", shipped_db, "--as-of", "2026-11-29", "--format", "json")
    assert code == 0
    records = {r["id"]: r for r in json.loads(out, parse_constant=refuse)}
    assert records["fyp14-rd-intensity-above-13th-plan"]["ratio"] is None
    assert records["fyp14-manufacturing-share-stable"]["ratio"] is None
    from tracker import store
    from tracker.target_card import working_out

    con = store.connect(shipped_db)
    try:
        row = A.assess(con, AS_OF).set_index("id").loc["fyp14-rd-intensity-above-13th-plan"]
    finally:
        con.close()
    working = working_out(row, row["unit"], "en")
    assert not any("inf" in value for _, value in working), working
