"""What the charts show, read back from the Plotly figures: numbers in the axis's unit, positions in time.

The scale is read from the axis title with this test's own table of words, as a reader would:
a point at 2.89 under "billion connections" stands for 2.89e9 connections.
"""

from __future__ import annotations

import html
from datetime import date
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from tracker.charts import target_chart
from tracker.i18n import t
from tracker.overview_charts import dodge, pace_chart, timeline_chart
from tracker.periods import date_to_t, parse_period
from tracker.target_card import with_citation

WORDS = {"en": {"trillion": 1e12, "billion": 1e9, "million": 1e6}, "zh": {"万亿": 1e12, "亿": 1e8, "万": 1e4}}
AS_OF = date(2026, 11, 29)


def divisor_of(title: str, lang: str) -> float:
    """The number one unit of the axis stands for, from the scale word the axis title starts with
    (a unit such as 个/万人 holds 万 without being scaled by it); a Chinese title starts with 单位：."""
    if lang == "zh":
        assert title.startswith("单位："), title
        title = title.removeprefix("单位：")
    for word, value in WORDS[lang].items():  # longest first: 万亿 before 亿
        if title.startswith(word):
            return value
    return 1.0


def figures(rows: list[tuple[str, float, str]], unit_as_published: str = "x") -> pd.DataFrame:
    """Observations as tracker.queries.observations returns them, from (period, value, coverage)."""
    periods = [parse_period(p) for p, _, _ in rows]
    return pd.DataFrame(
        {
            "period": [p.text for p in periods],
            "period_kind": [p.kind for p in periods],
            "period_start": [pd.Timestamp(p.start) for p in periods],
            "period_end": [pd.Timestamp(p.end) for p in periods],
            "t": [p.t for p in periods],
            "value": [v for _, v, _ in rows],
            "qualifier": ["="] * len(rows),
            "published_value": [v for _, v, _ in rows],
            "published_unit": [unit_as_published] * len(rows),
            "coverage": [c for _, _, c in rows],
            "coverage_name": [f"coverage {c}" for _, _, c in rows],
            "coverage_name_zh": [f"范围{c}" for _, _, c in rows],
            "source_title": ["A <b>report</b>"] * len(rows),
            "publisher": ["An office"] * len(rows),
            "source_url": ["https://example.org/r"] * len(rows),
            "published": [pd.Timestamp("2026-01-05")] * len(rows),
            "note": [None] * len(rows),
        }
    )


def target_row(
    series: pd.DataFrame,
    target: float,
    deadline: date,
    comparator: str = ">=",
    unit: str = "x",
    status: str = "on_track",
    projected: tuple[float, float, float] | None = None,
    **extra,
):
    """An assessed record: base is the first figure, latest the last."""
    base, latest = series.iloc[0], series.iloc[-1]
    p, lo, hi = projected or (np.nan, np.nan, np.nan)
    fields = dict(unit=unit, target_value=target, comparator=comparator, deadline=pd.Timestamp(deadline),
                  status=status, kind="commitment", base_value=base["value"], base_t=base["t"],
                  base_period=base["period"], latest_value=latest["value"], latest_t=latest["t"],
                  latest_period=latest["period"], projected_value=p, projected_low=lo, projected_high=hi,
                  coverages_used=["a"], deadline_t=date_to_t(deadline))  # fmt: skip
    fields.update(extra)
    return SimpleNamespace(**fields)


def traces(fig, role: str):
    return [tr for tr in fig.data if (tr.meta or {}).get("role") == role]


def plotted(fig, lang: str) -> dict[str, list[float]]:
    """Every number drawn, by role, converted back with the axis title's words."""
    scale = divisor_of(fig.layout.yaxis.title.text, lang)
    out: dict[str, list[float]] = {}
    for tr in fig.data:
        role = (tr.meta or {}).get("role")
        if role and role != "legend":
            out.setdefault(role, []).extend(float(y) * scale for y in tr.y if y is not None)
    return out


# (unit, values of the figures, target, comparator, expected axis title in en and zh (after 单位：))
SCALES = [
    ("%", [62.9, 66.2], 75.0, ">=", "%", "%"),
    ("enterprises", [800.0, 1557.0], 1000.0, ">=", "enterprises", "家"),
    ("enterprises", [9000.0, 17633.0], 10000.0, ">=", "enterprises", "万家"),
    ("connections", [2.3e9, 2.89e9], 3.6e9, ">", "billion connections", "亿户"),
    ("connections", [1.4e8, 5.35e8], 1.1e9, ">=", "billion connections", "亿户"),
    ("connections", [1.4e8, 5.35e8], 3e8, ">=", "million connections", "亿户"),
    ("CNY", [1.9e11, 2.0e11], 3e12, ">", "trillion CNY", "万亿元"),
    ("CNY", [4.3e10, 4.35e10], 5e10, ">", "billion CNY", "亿元"),
    ("sets", [300000.0, 500000.0], 800000.0, ">=", "sets", "万套"),
    ("t CO2", [5.1e9, 4.5e9], 4.0e9, "<=", "billion t CO2", "亿吨二氧化碳"),  # falling towards a ceiling
]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(("unit", "values", "target", "comparator", "title_en", "title_zh"), SCALES)
def test_every_number_drawn_is_in_the_axis_unit(lang, unit, values, target, comparator, title_en, title_zh):
    series = figures([("2023", values[0], "a"), ("2025-03", values[1], "a")])
    row = target_row(series, target, date(2027, 12, 31), comparator, unit,
                     projected=(values[1] * 1.1, values[1] * 0.9, values[1] * 1.3))  # fmt: skip
    fig = target_chart(row, series, AS_OF, lang)
    assert fig.layout.yaxis.title.text == (title_en if lang == "en" else f"单位：{title_zh}")
    drawn = plotted(fig, lang)
    assert drawn["figures"] == pytest.approx(values)
    assert drawn["target"] == pytest.approx([target])
    assert drawn["path"] == pytest.approx([values[0], target])
    assert drawn["projection"] == pytest.approx([values[1], values[1] * 1.1])
    assert sorted(drawn["band"]) == pytest.approx(sorted([values[1], values[1] * 1.3, values[1] * 0.9, values[1]]))


def test_the_shipped_bug_three_trillion_axis_with_billions():
    """Points of 190, 400 and 200 billion on a trillion axis read 0.19, 0.4 and 0.2, next to the target at 3."""
    series = figures([("2022-04-15", 1.9e11, "a"), ("2023-03", 4.0e11, "b"), ("2024-06", 2.0e11, "c")])
    row = target_row(series, 3e12, date(2025, 12, 31), ">", "CNY", status="limited_progress",
                     projected=(2.0e11, 0.0, 1.14e12), coverages_used=["a"])  # fmt: skip
    fig = target_chart(row, series, AS_OF, "en")
    assert fig.layout.yaxis.title.text == "trillion CNY"
    ys = sorted(y for tr in traces(fig, "figures") for y in tr.y)
    assert ys == pytest.approx([0.19, 0.2, 0.4])
    assert list(traces(fig, "target")[0].y) == [3.0]


def test_coverages_are_coloured_apart_never_joined_and_the_unused_drawn_hollow():
    series = figures([("2022", 50.0, "a"), ("2023", 55.0, "b"), ("2024", 60.0, "a")])
    row = target_row(series, 75.0, date(2027, 12, 31), unit="%", coverages_used=["a"])
    fig = target_chart(row, series, AS_OF, "en")
    groups = traces(fig, "figures")
    assert [tr.meta["coverage"] for tr in groups] == ["a", "b"]
    assert [tr.name for tr in groups] == ["coverage a", "coverage b"]
    assert groups[0].marker.color != groups[1].marker.color
    assert list(groups[1].y) == [55.0]  # the other coverage's line joins nothing but its own figure
    assert [s.endswith("-open") for s in groups[0].marker.symbol] == [False, False]
    assert [s.endswith("-open") for s in groups[1].marker.symbol] == [True]
    assert "another coverage" in groups[1].hovertext[0]
    assert any(tr.name == "not used for the status" for tr in fig.data)


def test_hover_text_from_files_is_escaped():
    series = figures([("2023", 1.0, "a"), ("2024", 2.0, "a")])
    fig = target_chart(target_row(series, 3.0, date(2027, 12, 31)), series, AS_OF, "en")
    hover = traces(fig, "figures")[0].hovertext[0]
    assert "A &lt;b&gt;report&lt;/b&gt;" in hover and "<b>report" not in hover


def test_hover_names_the_publisher_in_the_readers_language_and_falls_back_to_the_file_text():
    """A Chinese chart's hover reads the file's publisher_zh, escaped; a figure whose file gives none keeps the
    publisher as written; English always reads the publisher column."""
    series = figures([("2022", 1.0, "a"), ("2023", 2.0, "a"), ("2024", 3.0, "a")])
    series["publisher_zh"] = ["国家统计局；<i>镜像站</i> x.cn", None, "工业和信息化部"]
    row = target_row(series, 4.0, date(2027, 12, 31))
    zh = traces(target_chart(row, series, AS_OF, "zh"), "figures")[0].hovertext
    assert [
        "发布者：国家统计局；&lt;i&gt;镜像站&lt;/i&gt; x.cn" in zh[0],
        "发布者：An office" in zh[1],
        "发布者：工业和信息化部" in zh[2],
    ] == [True, True, True]
    en = traces(target_chart(row, series, AS_OF, "en"), "figures")[0].hovertext
    assert all("publisher: An office" in h for h in en) and not any("国家统计局" in h for h in en)


@pytest.mark.parametrize(("unit", "lang", "shown"), [("%", "en", "as published: 74.7%"),
                                                    ("trillion yuan", "en", "as published: 74.7 trillion yuan"),
                                                    ("万个", "zh", "原文：74.7万个"), ("%", "zh", "原文：74.7%")])  # fmt: skip
def test_a_figure_as_published_is_written_as_its_unit_is_written(unit, lang, shown):
    """The hover's "as published" puts no space before % or a unit in Chinese characters, one before a word."""
    series = figures([("2023", 70.0, "a"), ("2024", 74.7, "a")], unit_as_published=unit)
    series["published_value"] = series["value"]
    fig = target_chart(target_row(series, 80.0, date(2027, 12, 31), unit="%"), series, AS_OF, lang)
    assert shown in traces(fig, "figures")[0].hovertext[1]


def test_annual_figure_and_end_of_year_deadline_sit_on_their_years_tick():
    series = figures([("2021", 10.0, "a"), ("2024-06", 20.0, "a")])
    fig = target_chart(target_row(series, 40.0, date(2027, 12, 31)), series, AS_OF, "en")
    xs = [pd.Timestamp(x) for x in traces(fig, "figures")[0].x]
    assert xs == [pd.Timestamp("2021-12-31"), pd.Timestamp("2024-06-30")]
    assert pd.Timestamp(traces(fig, "target")[0].x[0]) == pd.Timestamp("2027-12-31")
    ticks = dict(zip([pd.Timestamp(v) for v in fig.layout.xaxis.tickvals], fig.layout.xaxis.ticktext, strict=True))
    assert ticks[pd.Timestamp("2021-12-31")] == "end-2021"
    assert ticks[pd.Timestamp("2027-12-31")] == "end-2027"
    assert "end of a year" in fig.layout.xaxis.title.text
    low, high = (pd.Timestamp(v) for v in fig.layout.xaxis.range)
    assert low < pd.Timestamp("2021-12-31") and high > pd.Timestamp("2027-12-31")  # nothing drawn at the edge


@pytest.mark.parametrize("first", ["2010", "2016", "2019", "2023", "2025-06"])
def test_the_target_star_is_drawn_whole_inside_a_phones_plot(first):
    """On a plot about 300 px wide (a phone), the deadline's star (17 px) sits at least 12 px from the right edge,
    however long the series: with a fixed 160 days it touched the edge of a chart of figures since 2019."""
    series = figures([(first, 1.0, "a"), ("2025-09", 2.0, "a")])
    fig = target_chart(target_row(series, 3.0, date(2027, 12, 31)), series, AS_OF, "en")
    x0, x1 = (pd.Timestamp(v) for v in fig.layout.xaxis.range)
    star = pd.Timestamp(traces(fig, "target")[0].x[0])
    assert (x1 - star) / (x1 - x0) * 300 >= 12
    assert (pd.Timestamp(series["period"].iloc[0][:4] + "-12-31") - x0) / (x1 - x0) * 300 >= 8  # nor the first


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_legend_names_each_shape_a_qualified_figure_is_drawn_with(lang):
    """A "more than 340" figure is a triangle and an "about 60" a diamond: the legend says what each shape means
    (it named only the hollow circle), and names no shape the chart does not draw."""
    series = figures([("2021", 80.0, "a"), ("2023", 200.0, "a"), ("2025", 340.0, "a")])
    series["qualifier"] = ["=", "~", ">"]
    fig = target_chart(target_row(series, 120.0, date(2025, 12, 31)), series, AS_OF, lang)
    drawn = {sym.replace("-open", "") for tr in traces(fig, "figures") for sym in tr.marker.symbol}
    assert drawn == {"circle", "diamond", "triangle-up"}
    legend = {tr.marker.symbol: tr.name for tr in traces(fig, "legend")}
    assert legend == {"triangle-up": t("chart.shape_above", lang), "diamond": t("chart.shape_about", lang)}
    assert "“more than”" in legend["triangle-up"] or "“超过”" in legend["triangle-up"]


def test_path_starts_at_the_base_figure_and_ends_at_the_target():
    series = figures([("2023", 62.9, "a"), ("2025-03", 66.2, "a")])
    fig = target_chart(target_row(series, 75.0, date(2027, 12, 31), unit="%"), series, AS_OF, "en")
    path = traces(fig, "path")[0]
    assert [pd.Timestamp(x) for x in path.x] == [pd.Timestamp("2023-12-31"), pd.Timestamp("2027-12-31")]
    assert list(path.y) == [62.9, 75.0]


def test_a_base_that_already_met_the_target_has_no_required_path_pace_or_ratio():
    """4.83 billion at the base against a floor of 4.6 billion: the "required" line ran down to the floor and the
    working-out read "-2.41% a year required" and R 1.27 beside Achieved. Nothing was required: it says so."""
    from tracker.target_card import working_out

    series = figures([("2023", 4.83e9, "a"), ("2025", 5.13e9, "a")])
    row = target_row(series, 4.6e9, date(2025, 12, 31), unit="tce", status="achieved")
    row.growth_required_from_base, row.pace_required_from_base, row.ratio = -0.0241, -1.15e8, 1.27
    row.points = 2
    assert traces(target_chart(row, series, AS_OF, "en"), "path") == []
    for lang, none in (("en", "None: the base figure already met the target"), ("zh", "无：基期数据已达到目标")):
        work = dict(working_out(row, "tce", lang))
        assert work[t("work.growth_required_from_base", lang)] == none
        assert work[t("work.pace_required_from_base", lang)] == none
        assert t("work.ratio", lang) not in work
        assert t("work.points", lang) not in work  # no projection: no count of the figures it drew on
    # A base short of the target keeps its path, its required pace and R.
    row.target_value = 6e9
    assert len(traces(target_chart(row, series, AS_OF, "en"), "path")) == 1
    work = dict(working_out(row, "tce", "en"))
    assert work["Ratio of observed to required (R)"] == "1.27"
    assert work["Change a year required, from the base"] == "-115 million tce"
    row.projected_value = 5.5e9
    assert dict(working_out(row, "tce", "en"))["Figures in the projection"] == "2"


def test_a_reference_level_is_a_line_without_a_deadline_or_a_star():
    series = figures([("2024-09", 1557.0, "a")])
    row = target_row(series, 1557.0, date(2024, 12, 31), None, "enterprises", status="not_assessed", kind="reference")
    row.deadline = None
    fig = target_chart(row, series, AS_OF, "en")
    assert traces(fig, "target") == [] and traces(fig, "path") == []
    lines = [s for s in fig.layout.shapes if s.y0 == s.y1]
    assert [s.y0 for s in lines] == [1557.0]
    assert "end-2024" in fig.layout.xaxis.ticktext  # the time axis keeps its ticks without a deadline
    assert [s.endswith("-open") for s in traces(fig, "figures")[0].marker.symbol] == [False]
    assert any("reference level: 1,557 enterprises" in (a.text or "") for a in fig.layout.annotations)


def test_other_reference_levels_on_the_indicator_widen_the_scale():
    series = figures([("2024", 9e5, "a")])
    refs = pd.DataFrame({"target_value": [2e6]})
    fig = target_chart(target_row(series, 8e5, date(2027, 12, 31), unit="sets"), series, AS_OF, "en", refs)
    assert fig.layout.yaxis.title.text == "million sets"
    assert [s.y0 for s in fig.layout.shapes if s.y0 == s.y1] == [2.0]


def test_an_interpreted_target_is_drawn_as_a_reading():
    series = figures([("2025-04", 5.0, "a")])
    row = target_row(series, 3.0, date(2027, 12, 31), status="not_assessed", kind="interpreted", unit="fields")
    fig = target_chart(row, series, AS_OF, "en")
    assert traces(fig, "path") == [] and traces(fig, "projection") == []  # a reading is not judged
    star = traces(fig, "target")[0]
    assert star.marker.symbol == "star-open"
    assert html.unescape(star.name) == "reading of the words, ≥ 3 fields, end-2027"


def no_figure_row(target: float, comparator: str, deadline: str) -> SimpleNamespace:
    """An assessed record of a target with no figure at all (status no_data)."""
    return SimpleNamespace(unit="%", target_value=target, comparator=comparator, deadline=pd.Timestamp(deadline),
                           status="no_data", kind="commitment", base_value=np.nan, base_t=np.nan, latest_value=np.nan,
                           latest_t=np.nan, projected_value=np.nan, projected_low=np.nan, projected_high=np.nan)  # fmt: skip


def test_no_figure_says_so_on_the_chart():
    empty = figures([]).iloc[0:0]
    fig = target_chart(no_figure_row(85.0, ">", "2027-12-31"), empty, AS_OF, "zh")
    assert any(a.text == "尚未在可引用的来源中找到数据" for a in fig.layout.annotations)
    assert list(traces(fig, "target")[0].y) == [85.0]
    # In English, in lines a phone's plot holds (it ran past the plot and over the axis title at 390 px), on white
    # (the today line struck through it).
    fig = target_chart(no_figure_row(85.0, ">", "2027-12-31"), empty, AS_OF, "en")
    (note,) = [a for a in fig.layout.annotations if "citable" in a.text]
    lines = note.text.split("<br>")
    assert " ".join(lines) == "No figure has been found in a citable source yet" and len(lines) == 2
    assert all(len(line) <= 28 for line in lines) and note.bgcolor.startswith("rgba(255, 255, 255")


def test_export_carries_title_source_line_and_address():
    series = figures([("2023", 1.0, "a"), ("2024", 2.0, "a")])
    fig = target_chart(target_row(series, 3.0, date(2027, 12, 31)), series, AS_OF, "en")
    out = with_citation(fig, "A <title>", "Source: MIIT, 2025-03. Target: a notice.", "https://x.example/target?t=1")
    assert out.layout.title.text == "A &lt;title&gt;"
    note = out.layout.annotations[-1].text
    assert "Source: MIIT, 2025-03. Target: a notice." in note and "https://x.example/target?t=1" in note
    assert len(fig.layout.annotations) < len(out.layout.annotations)  # the page's figure is left as it was


def test_pace_chart_plots_what_it_is_given_on_a_labelled_axis():
    points = pd.DataFrame({"status": ["on_track", "acceleration_needed"], "time_used": [0.31, 0.37],
                           "progress": [0.34, 0.27], "title": ["A", "B"], "latest_period": ["2025-03", "2025-10"]})  # fmt: skip
    fig = pace_chart(points, "en")
    drawn = {tr.name: (list(tr.x), list(tr.y)) for tr in fig.data[1:]}
    assert drawn == {"On track": ([0.31], [0.34]), "Acceleration needed": ([0.37], [0.27])}
    assert fig.layout.xaxis.title.text == "share of time to deadline used"
    assert fig.layout.yaxis.title.text == "share of the way to the target covered"
    # The axis titles are short enough for a phone; when both shares are taken is said above the chart.
    for lang in ("en", "zh"):
        assert len(t("chart.pace_y", lang)) <= 40 and len(t("chart.pace_x", lang)) <= 40
    assert "latest figure" in t("overview.pace_caption") and "growth terms" in t("overview.pace_caption")
    assert "最新数据" in t("overview.pace_caption", "zh") and "增长率" in t("overview.pace_caption", "zh")
    assert fig.layout.xaxis.range[1] <= 1.05  # no pile of passed deadlines at 120%


def test_dodge_sets_close_marks_side_by_side_and_leaves_lone_marks_on_their_row():
    offsets = dodge([0, 0, 0, 1], [2027.99, 2027.99, 2025.0, 2027.99], near=0.2)
    assert offsets == [-0.5, 0.5, 0.0, 0.0]


def test_timeline_marks_never_hide_each_other():
    card = pd.DataFrame({
        "id": ["a", "b", "c", "d"], "title": ["A", "B", "C", "D"], "status": ["on_track", "missed", "no_data", "on_track"],
        "policy_label": ["P", "P", "P", "Q"],
        "deadline": pd.to_datetime(["2027-12-31", "2027-12-31", "2027-12-31", "2027-12-31"]),
    })  # fmt: skip
    fig = timeline_chart(card, AS_OF, "en")
    assert_marks_apart(fig, 4)


def test_timeline_and_pace_marks_differ_by_shape_not_colour_alone():
    """Achieved and on track share a green, insufficient data and no data a grey: each status has its own marker
    shape on the overview's charts (the legend shows it), as on the scorecard."""
    from tracker.status import STATUS_MARKERS, STATUSES

    assert set(STATUS_MARKERS) == set(STATUSES) and len(set(STATUS_MARKERS.values())) == len(STATUSES)
    card = pd.DataFrame({
        "id": list("abcde"), "title": list("ABCDE"), "policy_label": ["P"] * 5,
        "status": ["achieved", "on_track", "insufficient_data", "no_data", "missed"],
        "deadline": pd.to_datetime(["2025-12-31", "2027-12-31", "2028-12-31", "2029-12-31", "2024-12-31"]),
    })  # fmt: skip
    fig = timeline_chart(card, AS_OF, "en")
    shapes = {tr.name: tr.marker.symbol for tr in fig.data if tr.meta}
    assert shapes == {t(f"status.{s}", "en"): STATUS_MARKERS[s] for s in card["status"]}
    from tracker.status import STATUS_COLORS

    open_mark = next(tr.marker for tr in fig.data if tr.name == "No data")  # an open circle: its outline is the mark
    assert (open_mark.line.color, open_mark.line.width) == (STATUS_COLORS["no_data"], 2)
    points = pd.DataFrame({"status": ["achieved", "on_track"], "time_used": [0.5, 0.6], "progress": [1.0, 0.7],
                           "title": ["A", "B"], "latest_period": ["2025", "2025"]})  # fmt: skip
    pace = pace_chart(points, "en")
    assert {tr.name: tr.marker.symbol for tr in pace.data[1:]} == {"Achieved": "hexagon", "On track": "triangle-up"}
    # A star is a target's own mark on its chart (tracker.charts): no status is drawn as one on any other chart.
    assert not {m.split("-")[0] for m in STATUS_MARKERS.values()} & {"star"}


def assert_marks_apart(fig, count: int) -> None:
    """No two marks of the timeline within one mark's size of each other, in pixels of the plot area."""
    plot_px = fig.layout.height - fig.layout.margin.t - fig.layout.margin.b
    units = abs(fig.layout.yaxis.range[0] - fig.layout.yaxis.range[1])
    x0, x1 = (pd.Timestamp(v) for v in fig.layout.xaxis.range)
    x_px = 300 / (x1 - x0).days  # a phone's plot is about 300 px wide
    marks = [(pd.Timestamp(x), float(y) * plot_px / units) for tr in fig.data for x, y in zip(tr.x, tr.y, strict=True)]
    assert len(marks) == count
    for i, (xa, ya) in enumerate(marks):
        for xb, yb in marks[i + 1 :]:
            apart = max(abs((xa - xb).days) * x_px, abs(ya - yb))
            assert apart >= 13, f"two 13 px marks {apart:.1f} px apart: {xa.date()} and {xb.date()}"


def contrast_on_white(color: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(color[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 1.05 / (0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b) + 0.05)


def test_every_status_colour_passes_wcag_aa_as_text_and_every_status_has_its_own_shape():
    from tracker.scorecard import STATUS_SHAPES, URGENCY
    from tracker.status import STATUS_COLORS
    from views.widgets import status_icon

    assert set(STATUS_COLORS) == set(URGENCY)
    for status, color in STATUS_COLORS.items():
        assert contrast_on_white(color) >= 4.5, status
    shapes = {status_icon(s).replace(STATUS_COLORS[s], "") for s in STATUS_COLORS}
    assert len(shapes) == len(STATUS_COLORS), "two statuses drawn with the same shape"
    assert len(set(STATUS_SHAPES.values())) == len(STATUS_SHAPES)


@pytest.mark.parametrize(
    "name",
    [
        'Notice on promoting the development of mobile IoT for the "intelligent connection of everything"',
        "关于推进移动物联网“万物智联”发展的通知" * 3,
        "Short name",
        "Averyveryverylongwordwithoutanyspacesatallthatrunsonandonandonforeverandever",
    ],
)
def test_a_policy_name_on_the_timeline_fits_a_phone_and_stays_above_its_marks(name):
    from tracker.formatting import text_columns
    from tracker.overview_charts import LABEL_COLUMNS, MARK_PX, SLOT_PX, wrap_label

    lines = wrap_label(name)
    assert 1 <= len(lines) <= 2
    assert all(text_columns(line) <= LABEL_COLUMNS for line in lines)
    joined = "".join(lines).replace(" ", "")
    if joined.endswith("…"):
        assert name.replace(" ", "").startswith(joined[:-1])
    else:
        assert joined == name.replace(" ", "")
    card = pd.DataFrame({
        "id": ["a", "b", "c"], "title": ["A", "B", "C"], "status": ["on_track", "missed", "on_track"],
        "policy_label": [name, name, "Q"], "deadline": pd.to_datetime(["2027-12-31", "2027-12-31", "2030-12-31"]),
    })  # fmt: skip
    fig = timeline_chart(card, AS_OF, "en")
    label = next(a for a in fig.layout.annotations if a.name == "policy")
    from tests.unit.test_escape import _plotly_shows

    assert _plotly_shows(label.text).split("<br>") == lines
    # Plotly sets lines 1.3 font sizes apart inside a box padded by ``borderpad``; drawn, a gap of 2 px
    # by this count read as the text touching the first mark (seen at 390 px), so 3 px at least.
    bottom_px = label.y * SLOT_PX + len(lines) * 1.3 * label.font.size + 2 * (label.borderpad or 1)
    first_px = min(float(y) for tr in fig.data for y in tr.y) * SLOT_PX - MARK_PX / 2
    assert first_px - bottom_px >= 3
    assert_marks_apart(fig, 3)
