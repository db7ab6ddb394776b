"""Indicator freshness and own trend: stale by frequency, and a trend never read across two coverages."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from tracker.freshness import indicator_summary


def indicators(**overrides) -> pd.DataFrame:
    row = dict(id="x", frequency="annual", last_period_end=pd.Timestamp("2024-12-31"), direction="higher",
               limit=np.nan, first_value=10.0, first_t=2021.0, last_value=20.0, last_t=2025.0, figures=3)  # fmt: skip
    row.update(overrides)
    return pd.DataFrame([row])


def figures(rows: list[tuple[float, float, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["t", "value", "coverage"])


def test_stale_after_the_frequency_allows():
    assert not indicator_summary(indicators(), date(2026, 6, 1))["stale"].iloc[0]  # 517 days after end-2024
    assert indicator_summary(indicators(), date(2026, 7, 15))["stale"].iloc[0]  # 561 days


def test_an_irregular_series_is_stale_by_the_annual_limit_as_the_statuses_resting_on_it_are():
    """The indicators page and the assessment read one limit: a series published now and then, last in 2021, is
    stale on the page as the targets resting on it say "latest figure out of date"."""
    from tracker.assess.frame import _out_of_date
    from tracker.periods import date_to_t

    irregular = indicators(frequency="irregular", last_period_end=pd.Timestamp("2021-10-31"))
    assert not indicator_summary(irregular, date(2023, 4, 1))["stale"].iloc[0]  # 517 days: not yet
    assert indicator_summary(irregular, date(2023, 5, 15))["stale"].iloc[0]  # 561 days
    cases = {"irregular": True, "annual": True, "quarterly": True, "monthly": True}
    latest = date_to_t(date(2021, 10, 31))
    flagged = _out_of_date({"frequency": list(cases)}, {"status": np.array(["on_track"] * 4),
                                                        "latest_t": np.full(4, latest)}, date(2023, 5, 15))  # fmt: skip
    assert flagged.tolist() == list(cases.values())
    early = _out_of_date(
        {"frequency": ["irregular", "annual", "quarterly"]},
        {"status": np.array(["on_track"] * 3), "latest_t": np.full(3, latest)},
        date(2023, 4, 1),
    )
    assert early.tolist() == [False, False, True]  # 517 days: within the annual limit, past the quarterly one


def test_trend_reads_only_the_coverage_of_the_latest_figure():
    # Across coverages the series looks like strong growth (10 -> 20); within "b" it fell (25 -> 20).
    series = {"x": figures([(2021.0, 10.0, "a"), (2023.0, 25.0, "b"), (2025.0, 20.0, "b")])}
    out = indicator_summary(indicators(), date(2025, 6, 1), series)
    assert out["trend"].iloc[0] == "deteriorating"
    assert out["trend_coverage"].iloc[0] == "b"
    # the table names that coverage under the latest period: two coverages, the latest figure's is "b"
    assert out["coverage_count"].iloc[0] == 2 and out["latest_coverage_name"].iloc[0] == "b"
    named = series["x"].assign(coverage_name=["A firms", "B firms", "B firms"], coverage_name_zh=["甲", "乙", "乙"])
    out = indicator_summary(indicators(), date(2025, 6, 1), {"x": named})
    assert out[["latest_coverage_name", "latest_coverage_name_zh"]].iloc[0].tolist() == ["B firms", "乙"]
    assert indicator_summary(indicators(), date(2025, 6, 1), {"x": named.iloc[1:]})["coverage_count"].iloc[0] == 1


def test_no_trend_from_a_single_figure_of_its_coverage():
    series = {"x": figures([(2021.0, 10.0, "a"), (2025.0, 20.0, "b")])}
    out = indicator_summary(indicators(), date(2025, 6, 1), series)
    assert out["trend"].iloc[0] == "" and out["trend_coverage"].iloc[0] == ""


def test_without_figures_the_aggregates_give_the_trend():
    assert indicator_summary(indicators(), date(2025, 6, 1))["trend"].iloc[0] == "on_track"
