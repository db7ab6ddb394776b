"""Indicators: definitions, series, coverage, last update and sources; stale series flagged (tracker.freshness)."""

import streamlit as st

from tracker.charts import series_chart
from tracker.freshness import STALE_AFTER_DAYS
from tracker.i18n.numbers import unit_name
from tracker.target_card import evidence_rows
from views import cached
from views.widgets import (
    download_buttons,
    esc,
    facts_table,
    file_text,
    html_block,
    lang,
    name,
    page_header,
    plain,
    tr,
    unless_empty,
    url_choice,
    web_link,
)

page_header(tr("indicators.title"), tr("page.indicators"))
indicators = unless_empty(cached.indicators(), "indicators.empty")

names = {i: name(n, z) for i, n, z in zip(indicators["id"], indicators["name"], indicators["name_zh"], strict=True)}
with_data = [i for i, n in zip(indicators["id"], indicators["figures"], strict=True) if n > 0]
chosen = url_choice(tr("indicators.pick"), list(indicators["id"]), "indicator", names.get,
                    default=with_data[0] if with_data else None)  # fmt: skip
row = indicators.set_index("id").loc[chosen]
st.subheader(plain(names[chosen]))
html_block(f'<p class="definition">{file_text(row["definition"], row.get("definition_zh"))}</p>')
direction = tr("indicators.higher" if row["direction"] == "higher" else "indicators.lower")
colon = tr("value.colon")
st.caption(f"{tr('ind.unit')}{colon}{plain(unit_name(row['unit'], lang()))} · {tr('ind.frequency')}{colon}"
           f"{tr('frequency.' + row['frequency'])} · {direction}" + (f" · {tr('indicators.stale')}" if row["stale"] else ""))  # fmt: skip
series = cached.observations(chosen)
if series.empty:
    st.info(tr("indicators.no_data"))
else:
    st.plotly_chart(series_chart(series, row["unit"], lang()), width="stretch", key="indicator_chart")
    figures = evidence_rows(series, row["unit"], lang())
    html_block(facts_table([tr(f"ev.{k}") for k in ("period", "value", "coverage", "source", "publisher")],
                           [[esc(f["period"]), esc(f["value"]), esc(f["coverage"]), web_link(f["url"], f["source"]),
                             esc(f["publisher"])] for f in figures], whole=(0, 1)))  # fmt: skip
    download_buttons(st.columns([1, 1, 4])[:2], (tr("download.series_csv"), tr("download.series_excel")),
                     ("indicators", cached.version(), chosen), series, chosen, ("ind_csv", "ind_xlsx"))  # fmt: skip

# Every indicator after the chosen one: on a phone the list is long, and the reader came for one series.
rows = []
for r in indicators.itertuples(index=False):
    span = "" if r.figures == 0 else f"{str(r.first_period_start)[:10]} – {str(r.last_period_end)[:10]}"
    rows.append([
        esc(names[r.id]), esc(unit_name(r.unit, lang())), esc(tr(f"frequency.{r.frequency}")), esc(r.figures),
        esc(span or tr("indicators.no_data_short")), esc(r.last_period or ""),
        esc(tr(f"trend.{r.trend}") if r.trend else ""), esc(tr("indicators.stale") if r.stale else ""),
    ])  # fmt: skip
st.subheader(tr("indicators.all"))
html_block(facts_table([tr(f"ind.{k}") for k in ("name", "unit", "frequency", "figures", "span", "latest", "trend",
                                                  "stale")], rows))  # fmt: skip
st.caption(tr("indicators.caption", monthly=STALE_AFTER_DAYS["monthly"], quarterly=STALE_AFTER_DAYS["quarterly"],
              annual=STALE_AFTER_DAYS["annual"]))  # fmt: skip
