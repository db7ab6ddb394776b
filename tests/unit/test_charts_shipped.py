"""Every shipped target's chart, read back: each number drawn is the figure it stands for, in the axis's unit."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

from tests.unit.test_charts import divisor_of, traces
from tracker import queries
from tracker.assess import assess
from tracker.charts import target_chart
from tracker.overview_charts import timeline_chart, wrap_label
from tracker.scorecard import build_scorecard, pace_points
from tracker.store import connect

AS_OF = date(2026, 11, 29)


@pytest.fixture(scope="module")
def shipped(shipped_database):
    con = connect(shipped_database)  # the shipped files, built once per test process
    assessed = assess(con, AS_OF)
    targets = queries.targets(con)
    series = {i: queries.observations(con, i) for i in set(targets["indicator"])}
    yield assessed, targets, series
    con.close()


def test_every_shipped_target_is_drawn_in_its_axis_unit(shipped):
    assessed, _, series = shipped
    assert len(assessed) >= 20
    for row in assessed.itertuples(index=False):
        figures = series[row.indicator]
        for lang in ("en", "zh"):
            fig = target_chart(row, figures, AS_OF, lang)
            scale = divisor_of(fig.layout.yaxis.title.text, lang)
            drawn = sorted(y * scale for tr in traces(fig, "figures") for y in tr.y)
            assert drawn == pytest.approx(sorted(figures["value"]), rel=1e-9), (row.id, lang)
            xs = sorted(pd.Timestamp(x) for tr in traces(fig, "figures") for x in tr.x)
            assert xs == sorted(pd.to_datetime(figures["period_end"])), row.id
            star = traces(fig, "target")
            if getattr(row, "kind", "commitment") != "reference":
                assert star[0].y[0] * scale == pytest.approx(row.target_value), (row.id, lang)
                assert pd.Timestamp(star[0].x[0]) == pd.Timestamp(row.deadline), row.id
            projection = traces(fig, "projection")
            if projection:
                assert projection[0].y[-1] * scale == pytest.approx(row.projected_value), row.id
                assert projection[0].y[0] * scale == pytest.approx(row.latest_value), row.id


def test_the_three_trillion_target_reads_in_trillions_with_its_points_below_one(shipped):
    assessed, _, series = shipped
    row = assessed.set_index("id").loc["edwc-3-trillion-investment-by-2025"]
    fig = target_chart(row, series[row["indicator"]], AS_OF, "en")
    assert fig.layout.yaxis.title.text == "trillion CNY"
    assert all(y < 1 for tr in traces(fig, "figures") for y in tr.y)
    assert list(traces(fig, "target")[0].y) == [3.0]
    fig = target_chart(row, series[row["indicator"]], AS_OF, "zh")
    assert fig.layout.yaxis.title.text == "单位：万亿元"


def test_ipv6_billion_target_with_figures_in_millions(shipped):
    assessed, _, series = shipped
    row = assessed.set_index("id").loc["iot-ipv6-1-1bn-by-2025"]
    fig = target_chart(row, series[row["indicator"]], AS_OF, "en")
    assert fig.layout.yaxis.title.text == "billion connections"
    assert sorted(y for tr in traces(fig, "figures") for y in tr.y)[-1] == pytest.approx(0.535)
    assert list(traces(fig, "target")[0].y) == [1.1]


def test_pace_measures_time_and_progress_at_the_latest_figure_and_leaves_passed_deadlines_out(shipped):
    assessed, targets, _ = shipped
    card = build_scorecard(assessed, targets, AS_OF)
    open_, passed = pace_points(card)
    assert not open_.empty
    assert not open_["passed"].any() and passed["passed"].all()
    for r in open_.itertuples(index=False):
        assert r.time_used == pytest.approx((r.latest_t - r.base_t) / (r.deadline_t - r.base_t))
        if r.status == "achieved":
            expected = 1.0
        elif r.method == "cagr_ratio":  # growth targets: the way is measured in growth terms
            expected = math.log(r.latest_value / r.base_value) / math.log(r.target_value / r.base_value)
        else:
            expected = (r.latest_value - r.base_value) / (r.target_value - r.base_value)
        assert r.progress == pytest.approx(expected)
        # On track sits near or above the diagonal, acceleration needed below it, as the statuses say.
        if r.status == "on_track":
            assert r.progress >= r.time_used * 0.9, r.id
        if r.status in ("acceleration_needed", "limited_progress", "deteriorating"):
            assert r.progress < r.time_used, r.id


def test_shipped_timeline_shows_every_dated_target_once_and_apart(shipped):
    assessed, targets, _ = shipped
    card = build_scorecard(assessed, targets, AS_OF)
    fig = timeline_chart(card, AS_OF, "en")
    ids = [i for tr in fig.data if tr.meta for i in tr.meta["ids"]]
    assert sorted(ids) == sorted(card.loc[card["deadline"].notna(), "id"])
    marks = [
        (pd.Timestamp(x).date(), round(float(y), 3))
        for tr in fig.data
        if tr.meta
        for x, y in zip(tr.x, tr.y, strict=True)
    ]
    assert len(set(marks)) == len(marks)
    # Each policy's name above its band reads as written: quotes too (Plotly shows "&quot;" as it stands).
    from tests.unit.test_escape import _plotly_shows

    shown = [_plotly_shows(a.text).split("<br>") for a in fig.layout.annotations if a.name == "policy"]
    dated = card.loc[card["deadline"].notna(), "policy_label"]
    assert shown == [wrap_label(p) for p in dict.fromkeys(dated)]
    assert ["Notice on promoting the development of", 'mobile IoT for the "intelligent…'] in shown
    assert not any("&quot;" in a.text for a in fig.layout.annotations)


def test_needs_attention_is_behind_pace_with_time_left(shipped_database):
    """The overview's "Needs attention": judged targets behind pace whose deadline has not passed.
    Judged mid-2025, a 2025 target behind pace is listed; judged after its deadline it is not: it awaits its final
    figure among the passed deadlines, with the trend it had kept apart from its status."""
    from tracker.status import AT_RISK

    con = connect(shipped_database)
    try:
        targets = queries.targets(con)
        for as_of in (date(2025, 6, 30), AS_OF):
            card = build_scorecard(assess(con, as_of), targets, as_of)
            behind = card["judged"] & card["status"].isin(AT_RISK)
            passed = [pd.notna(d) and pd.Timestamp(d).date() < as_of for d in card["deadline"]]
            assert not (
                behind & np.array(passed)
            ).any()  # a passed deadline is never "behind pace": it awaits or is judged
            assert list(card["attention"]) == list(behind)
            row = card.set_index("id").loc["fyp14-dep-industrial-internet-platform-45pct"]
            if as_of < date(2025, 12, 31):
                assert row["status"] == "acceleration_needed" and row["attention"] and pd.isna(row["trend_status"])
            else:
                assert row["status"] == "awaiting_final" and not row["attention"]
                assert row["trend_status"] == "acceleration_needed"
    finally:
        con.close()


def test_a_passed_deadline_without_its_figure_awaits_it_and_says_the_trend_under_its_status(shipped_database):
    """ "On track" beside a deadline eleven months ago read as a result: past its deadline, a judged target without
    the deadline's figure is "awaiting final figure", and the trend up to the deadline is said under it."""
    from tracker.i18n import t
    from tracker.status import TREND_STATUSES

    con = connect(shipped_database)
    try:
        for lang in ("en", "zh"):
            card = build_scorecard(assess(con, AS_OF), queries.targets(con), AS_OF, lang).set_index("id")
            # no judged target past its deadline has a trend's status
            assert not (card["judged"] & card["passed"] & card["status"].isin(TREND_STATUSES)).any()
            waiting = card["status"] == "awaiting_final"
            assert (waiting == card["trend_status"].notna()).all()
            assert set(card.loc[waiting, "trend_status"]) >= {"on_track", "acceleration_needed", "insufficient_data"}
            old = card["flags"].map(lambda f: "out_of_date_figure" in f)
            assert waiting.sum() >= 5 and (old & ~waiting).sum() >= 2
            dated = t("overview.out_of_date", lang)
            for target_id, row in card[waiting].iterrows():
                said = t("overview.pending", lang, trend=t(f"trend_was.{row['trend_status']}", lang))
                expected = t("overview.note_join", lang).join((said, dated)) if old[target_id] else said
                assert row["status_note"] == expected, target_id
            assert (card.loc[old & ~waiting, "status_note"] == dated).all()
            # achieved past the deadline on a figure from before it: said under the badge, as the Plans list says
            early = (card["status"] == "achieved") & card["flags"].map(lambda f: "awaiting_final_data" in f)
            assert early.sum() >= 5 and (card.loc[early, "status_note"] == t("overview.met_early", lang)).all()
            assert (card.loc[~waiting & ~old & ~early, "status_note"] == "").all()
            # among the passed ones of one deadline, the worst trend first (insufficient data after the graded ones)
            from tracker.status import URGENCY

            end_2025 = card[waiting & (card["deadline"] == pd.Timestamp("2025-12-31"))]
            ranks = [URGENCY[s] for s in end_2025["trend_status"]]
            assert len(set(ranks)) >= 3 and ranks == sorted(ranks), list(end_2025["trend_status"])
            cnc = card.loc["fyp14-2i-cnc-rate-68pct"]
            assert (cnc["status"], cnc["trend_status"]) == ("awaiting_final", "on_track")
            # its latest figure (2025-03, quarterly) ended more than 200 days before the as-of date
            assert cnc["status_note"] == {"en": "trend up to the deadline: on track; latest figure out of date",
                                          "zh": "截止前趋势：进展顺利；最新数据已过时"}[lang]  # fmt: skip
            # 2024, an irregular series held to the annual limit: 698 days old on the as-of date
            assert card.at["fyp14-co2-intensity-minus-18pct", "trend_status"] == "acceleration_needed"
            assert old["fyp14-co2-intensity-minus-18pct"]
            # no figure at all: "No data" says it, with nothing under it; achieved: met already
            assert card.at["telecom-volume-3-7tn-by-2025", "status"] == "no_data"
            assert card.at["telecom-volume-3-7tn-by-2025", "status_note"] == ""
            assert card.at["5g-base-stations-26-per-10k-by-2025", "status_note"] == ""  # on the figure for 2025
            assert (
                card.at["10g-pon-ports-12m-by-2025", "status_note"]
                == {"en": "met before the deadline's figure is out", "zh": "截止期数据发布前已达到"}[lang]
            )
    finally:
        con.close()


def test_a_verdict_stands_beside_the_figure_that_decided_it(shipped_database):
    """After the deadline the figure that decides stands beside the status, as ``tracker status`` shows it: the
    120-platform goal for 2025 was met by the figure for 2026-01, not by the 2021 one, the latest up to the
    deadline (the row read "Achieved" beside "more than 80 platforms")."""
    from tracker.assess.explain import deciding_figure

    con = connect(shipped_database)
    try:
        assessed = assess(con, AS_OF)
        for lang, shown in (("en", "more than 340 platforms (2026-01)"), ("zh", "超过340个（2026-01）")):
            card = build_scorecard(assessed, queries.targets(con), AS_OF, lang).set_index("id")
            assert card.at["influential-industrial-internet-platforms-120-by-2025", "status"] == "achieved"
            assert card.at["influential-industrial-internet-platforms-120-by-2025", "latest"] == shown
            # Every row shows what the command line shows (to its qualifier and digits), in both languages.
            for target_id, r in assessed.set_index("id").iterrows():
                assert card.at[target_id, "latest"] == deciding_figure(r, lang), (lang, target_id)
    finally:
        con.close()


def test_only_figures_that_disagree_are_listed_as_conflicts_and_each_keeps_its_digits(shipped_database):
    """R&D intensity 2020 is 2.40% in both the communique and the bulletin: they agree, so the Data quality page
    does not list it; GERD 2020 (24,393.1 and 24,426 亿元) disagrees, and shows so (both read "2.44 trillion" when
    written to three digits)."""
    from tracker.target_card import evidence_rows

    con = connect(shipped_database)
    try:
        conflicts = queries.conflicts(con)
        retail = queries.observations(con, "online-retail-sales")
    finally:
        con.close()
    periods = set(zip(conflicts["indicator"], conflicts["period"], strict=True))
    assert ("rd-intensity", "2020") not in periods and ("rd-intensity", "2021") not in periods
    assert {("rd-intensity", "2022"), ("rd-spending", "2020"), ("mobile-iot-connections", "2024-12")} <= periods
    for _, group in conflicts.groupby(["indicator", "period", "coverage"], dropna=False):
        assert group["value"].nunique() > 1 or group["qualifier"].fillna("=").nunique() > 1
    gerd = conflicts[(conflicts["indicator"] == "rd-spending") & (conflicts["period"] == "2020")]
    assert [r["value"] for r in evidence_rows(gerd.assign(published=None, note=None), "CNY", "en")] == [
        "2.43931 trillion CNY",
        "2.4426 trillion CNY",
    ]
    rows = {
        r["period"]: r["value"] for r in evidence_rows(retail[retail["coverage"] == "goods-and-services"], "CNY", "zh")
    }
    assert rows["2025"] == "15.9722万亿元"  # not a rounded 16万亿 beside the 17万亿 target
