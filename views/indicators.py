"""Indicators: definitions, series, coverage, last update and sources; stale series flagged (tracker.freshness)."""

import streamlit as st

from tracker.charts import series_chart
from tracker.i18n.numbers import unit_name
from tracker.target_card import evidence_rows
from tracker.vocabulary import STALE_AFTER_DAYS
from views import cached
from views import widgets as ui

ui.page_header(ui.tr("indicators.title"), ui.tr("page.indicators"))
indicators = ui.unless_empty(cached.indicators(), "indicators.empty")

names = {i: ui.name(n, z) for i, n, z in zip(indicators["id"], indicators["name"], indicators["name_zh"], strict=True)}
with_data = [i for i, n in zip(indicators["id"], indicators["figures"], strict=True) if n > 0]
chosen = ui.url_choice(ui.tr("indicators.pick"), list(indicators["id"]), "indicator", names.get,
                    default=with_data[0] if with_data else None)  # fmt: skip
row = indicators.set_index("id").loc[chosen]
st.subheader(ui.plain(names[chosen]))
ui.html_block(f'<p class="definition">{ui.file_text(row["definition"], row.get("definition_zh"))}</p>')
direction = ui.tr("indicators.higher" if row["direction"] == "higher" else "indicators.lower")
colon = ui.tr("value.colon")
st.caption(f"{ui.tr('ind.unit')}{colon}{ui.plain(unit_name(row['unit'], ui.lang()))} · {ui.tr('ind.frequency')}{colon}"
           f"{ui.tr('frequency.' + row['frequency'])} · {direction}" + (f" · {ui.tr('indicators.stale')}" if row["stale"] else ""))  # fmt: skip
series = cached.observations(chosen)
if series.empty:
    st.info(ui.tr("indicators.no_data"))
else:
    st.plotly_chart(series_chart(series, row["unit"], ui.lang()), width="stretch", key="indicator_chart")
    figures = evidence_rows(series, row["unit"], ui.lang())
    ui.html_block(ui.facts_table([ui.tr(f"ev.{k}") for k in ("period", "value", "coverage", "source", "publisher")],
                           [[ui.esc(f["period"]), ui.esc(f["value"]), ui.esc(f["coverage"]), ui.web_link(f["url"], f["source"]),
                             ui.esc(f["publisher"])] for f in figures], whole=(0, 1), roomy=(2,)))  # fmt: skip
    ui.download_buttons(st.columns([1, 1, 4])[:2], (ui.tr("download.series_csv"), ui.tr("download.series_excel")),
                     ("indicators", cached.version(), chosen), series, chosen, ("ind_csv", "ind_xlsx"))  # fmt: skip


def _latest(r) -> str:
    """The latest period, and under it, for an indicator whose figures are of several coverages, the coverage of
    that figure: the latest period and the trend are of it, while a target is judged only in its own."""
    period = f'<span class="whole">{ui.esc(r.last_period or "")}</span>'
    if getattr(r, "coverage_count", 0) > 1:
        return (
            period
            + f'<br><small class="muted">{ui.esc(ui.name(r.latest_coverage_name, r.latest_coverage_name_zh))}</small>'
        )
    return period


# Every indicator after the chosen one: on a phone the list is long, and the reader came for one series.
rows = []
for r in indicators.itertuples(index=False):
    span = "" if r.figures == 0 else f"{str(r.first_period_start)[:10]} – {str(r.last_period_end)[:10]}"
    rows.append([
        ui.esc(names[r.id]), ui.esc(unit_name(r.unit, ui.lang())), ui.esc(ui.tr(f"frequency.{r.frequency}")), ui.esc(r.figures),
        ui.esc(span or ui.tr("indicators.no_data_short")), _latest(r),
        ui.esc(ui.tr(f"trend.{r.trend}") if r.trend else ""), ui.esc(ui.tr("indicators.stale_cell") if r.stale else ""),
    ])  # fmt: skip
st.subheader(ui.tr("indicators.all"))
# Every column but the name holds a short value, never broken across lines (a Chinese table broke 不定期 and 过时
# after their first character and the span's dates at their hyphens, while the name column had room to spare).
ui.html_block(ui.facts_table([ui.tr(f"ind.{k}") for k in ("name", "unit", "frequency", "figures", "span", "latest", "trend",
                                                  "stale")], rows, whole=(1, 2, 3, 4, 6, 7)))  # fmt: skip
st.caption(ui.tr("indicators.caption", monthly=STALE_AFTER_DAYS["monthly"], quarterly=STALE_AFTER_DAYS["quarterly"],
              annual=STALE_AFTER_DAYS["annual"]))  # fmt: skip
