"""Plans as a hierarchy, and each plan's verdicts at its deadlines, on the shipped catalogue."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from tracker import queries, store
from tracker.assess import assess
from tracker.plans import plan_of, plan_summary, plan_targets, verdict

AS_OF = date(2026, 11, 29)


@pytest.fixture(scope="module")
def shipped(shipped_database):
    con = store.connect(shipped_database)  # the shipped files, built once per test process
    try:
        assessed = assess(con, AS_OF)
        rows = plan_targets(assessed, queries.targets(con), queries.policies(con), AS_OF)
    finally:
        con.close()
    return rows


def test_a_policy_belongs_to_its_top_ancestor_and_cycles_do_not_hang():
    policies = pd.DataFrame({"id": ["plan", "sub", "notice", "alone", "a", "b"],
                             "parent": ["", "plan", "sub", None, "b", "a"]})  # fmt: skip
    roots = plan_of(policies)
    assert roots["notice"] == roots["sub"] == roots["plan"] == "plan"
    assert roots["alone"] == "alone" and roots["a"] in ("a", "b")


def test_verdicts_follow_status_deadline_and_kind():
    past, future = pd.Timestamp("2025-12-31"), pd.Timestamp("2030-12-31")
    assert verdict("achieved", [], True, past, AS_OF) == "met"
    assert verdict("achieved", ["awaiting_final_data"], True, past, AS_OF) == "met_awaiting_final"
    assert verdict("missed", [], True, past, AS_OF) == "missed"
    assert verdict("on_track", ["awaiting_final_data"], True, past, AS_OF) == "no_final_figure"
    assert verdict("on_track", [], True, future, AS_OF) == "open"
    assert verdict("not_assessed", [], False, past, AS_OF) == "not_judged"


def test_the_14th_plan_scorecard_for_2025(shipped):
    fyp14 = shipped[(shipped["plan_id"] == "fyp14-outline") & (shipped["deadline_year"] == 2025)]
    # Sub-plans roll up under the outline: the digital-economy, ICT, software and manufacturing plans.
    assert {"fyp14-digital-economy-plan", "fyp14-ict-industry-plan", "fyp14-software-it-plan"} <= set(
        fyp14["policy_id"]
    )
    summary = plan_summary(shipped).set_index(["plan_id", "deadline_year"]).loc[("fyp14-outline", 2025)]
    assert summary["judged"] == (fyp14["verdict"] != "not_judged").sum()
    assert (
        summary["met"] + summary["missed"] + summary["met_awaiting_final"] + summary["no_final_figure"]
        == (summary["judged"])
    )  # every 2025 deadline has passed: nothing is open
    assert summary["missed"] >= 2


@pytest.mark.parametrize(
    ("target", "verdict_", "figure"),
    [
        # Five verdicts from different plans, each with the figure that decides it.
        ("fyp14-basic-research-8pct", "missed", "7.08% (2025)"),
        ("fyp14-dep-online-retail-17tn", "missed", "15.9722 trillion CNY (2025)"),
        ("5g-base-stations-26-per-10k-by-2025", "met", "34.4 base stations per 10,000 people (2025)"),
        ("fyp14-dep-gigabit-users-60m", "met", "238 million users (2025-12)"),
        ("software-revenue-14tn-by-2025", "no_final_figure", "13.7276 trillion CNY (2024)"),
    ],
)
def test_pinned_verdicts_and_their_deciding_figures(shipped, target, verdict_, figure):
    row = shipped.set_index("id").loc[target]
    assert (row["verdict"], row["figure"]) == (verdict_, figure)


def test_every_2025_commitment_has_a_verdict_or_the_reason_there_is_none(shipped):
    due = shipped[(shipped["deadline_year"] == 2025) & (shipped["kind"] == "commitment")]
    assert len(due) >= 20
    reasons = {"met", "missed", "met_awaiting_final", "no_final_figure"}
    assert set(due["verdict"]) <= reasons
    # "no final figure" is itself the reason: the status says which figure is missing.
    assert (due.loc[due["verdict"] == "no_final_figure", "status"] != "achieved").all()
