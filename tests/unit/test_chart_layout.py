"""The layout of a chart where it is read: on a laptop and on a phone (the figure does not know which),
and in the PNG/SVG a reader downloads (one known width)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from tests.unit.test_charts import AS_OF, figures, no_figure_row, target_row
from tracker.charts import MAX_YEAR_LABELS, target_chart, year_ticks
from tracker.formatting import wrap_columns
from tracker.target_card import with_citation


def _labels_in_range(fig) -> list[str]:
    low, high = (pd.Timestamp(v) for v in fig.layout.xaxis.range)
    ticks = zip(fig.layout.xaxis.tickvals, fig.layout.xaxis.ticktext, strict=True)
    return [label for value, label in ticks if low <= pd.Timestamp(value) <= high]


def test_a_long_span_has_few_enough_year_labels_for_a_phone_and_keeps_the_deadline():
    series = figures([("2012", 24.6, "a"), ("2020", 52.1, "a"), ("2025-03", 66.2, "a")])
    for lang, deadline_label in (("en", "end-2027"), ("zh", "2027年底")):
        fig = target_chart(target_row(series, 75.0, date(2027, 12, 31), unit="%"), series, AS_OF, lang)
        labels = _labels_in_range(fig)
        assert 3 <= len(labels) <= MAX_YEAR_LABELS, labels
        assert labels[-1] == deadline_label
        assert fig.layout.xaxis.tickangle == 0  # labels that fit need no turning
        # every year between keeps its grid line
        minor = [pd.Timestamp(v).year for v in fig.layout.xaxis.minor.tickvals]
        assert set(range(2012, 2028)) <= set(minor)


def test_year_labels_step_over_years_only_when_they_would_not_fit():
    values, labels = year_ticks(date(2023, 6, 1), date(2027, 12, 31), 2027)
    shown = [x for v, x in zip(values, labels, strict=True) if v >= pd.Timestamp("2023-06-01")]
    assert shown == ["end-2023", "end-2025", "end-2027"]  # five years are one too many for a phone
    values, labels = year_ticks(date(2024, 6, 1), date(2027, 12, 31), 2027)
    shown = [x for v, x in zip(values, labels, strict=True) if v >= pd.Timestamp("2024-06-01")]
    assert shown == ["end-2024", "end-2025", "end-2026", "end-2027"]  # four fit: every year
    values, labels = year_ticks(date(2020, 6, 1), date(2026, 6, 30), 2025, "zh")
    shown = [x for v, x in zip(values, labels, strict=True) if v >= pd.Timestamp("2020-06-01")]
    assert shown == ["2021年底", "2023年底", "2025年底"]


def test_the_legend_sits_at_the_foot_of_the_figure_and_the_plot_gives_way_to_it():
    series = figures([("2023", 62.9, "a"), ("2025-03", 66.2, "a")])
    fig = target_chart(target_row(series, 75.0, date(2027, 12, 31), unit="%"), series, AS_OF, "en")
    legend = fig.layout.legend
    assert (legend.orientation, legend.yref, legend.y, legend.yanchor) == ("h", "container", 0, "bottom")


def test_the_citation_of_a_downloaded_chart_fits_its_width_in_either_language():
    source = ("来源：新华社（工信部部长肖亚庆）（2012、2020）；人民日报引用工信部数据，转载于xmtv.cn（2020-09）；"
              "工信部（谢少锋，新闻发布会）；21jingji.com（2021-10）。目标：工业领域大规模设备更新实施方案"
              "（工信部等七部门，2024-03-27）。")  # fmt: skip
    lines = wrap_columns(source, 70)
    assert "".join(lines) == source  # nothing lost, no space added between Chinese characters
    assert all(sum(2 if "\u4e00" <= c <= "\u9fff" or c in "（）；，。：、" else 1 for c in x) <= 70 for x in lines)
    english = wrap_columns("Source: MIIT (2025-03, 2024-09); CAICT (2023). Target: a notice (MIIT, 2024-09-12).", 30)
    assert " ".join(english) == "Source: MIIT (2025-03, 2024-09); CAICT (2023). Target: a notice (MIIT, 2024-09-12)."
    assert all(len(x) <= 30 for x in english)


def test_a_downloaded_chart_puts_its_legend_beside_the_plot_and_its_citation_under_the_axis():
    series = figures([("2023", 62.9, "a"), ("2025-03", 66.2, "a")])
    fig = target_chart(target_row(series, 75.0, date(2027, 12, 31), unit="%"), series, AS_OF, "zh")
    out = with_citation(fig, "标题", "来源：某机构（2023）。" * 20, "https://example.org/target?target=x")
    assert out.layout.legend.orientation == "v" and out.layout.legend.x > 1
    citation = out.layout.annotations[-1]
    assert citation.text.endswith("https://example.org/target?target=x")
    assert len(citation.text.split("<br>")) >= 3  # the long Chinese source line is wrapped, not run off the image


def test_a_target_without_figures_still_labels_its_star():
    empty = figures([]).iloc[0:0]
    fig = target_chart(no_figure_row(70.0, ">=", "2025-12-31"), empty, AS_OF, "zh")
    named = [tr.name for tr in fig.data if tr.name and tr.showlegend is not False]
    assert fig.layout.showlegend is True and any("不低于70%" in n for n in named), named
