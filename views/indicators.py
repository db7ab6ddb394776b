"""Indicators: definitions, series, coverage, last update and sources; stale series flagged."""

import pandas as pd
import streamlit as st

from tracker.assess import progress_without_target
from tracker.charts import series_chart
from tracker.exports import to_csv, to_excel
from tracker.status import TREND_LABELS
from views import data

# A series is stale when its last figure is older than this for its frequency.
STALE_AFTER_DAYS = {"monthly": 120, "quarterly": 200, "annual": 550}

data.page_header("Indicators")
indicators = data.indicators()
if indicators.empty:
    st.info("No indicators yet.")
    st.stop()

today = pd.Timestamp(data.today())
last = pd.to_datetime(indicators["last_period_end"])
limit = indicators["frequency"].map(STALE_AFTER_DAYS)
indicators["stale"] = limit.notna() & last.notna() & ((today - last).dt.days > limit)
# The trend of each series on its own (Open SDG's method without a target), first to last figure.
years = (indicators["last_t"] - indicators["first_t"]).to_numpy(dtype=float, na_value=float("nan"))
trend, _ = progress_without_target(
    indicators["first_value"].to_numpy(dtype=float, na_value=float("nan")),
    indicators["last_value"].to_numpy(dtype=float, na_value=float("nan")),
    years,
    indicators["direction"].map({"higher": 1.0, "lower": -1.0}).to_numpy(dtype=float),
    indicators["limit"].to_numpy(dtype=float, na_value=float("nan")),
)
indicators["trend"] = [
    TREND_LABELS.get(t, "") if y > 0 and f > 0 else ""
    for t, y, f in zip(trend, years, indicators["first_value"].fillna(0), strict=True)
]
summary = pd.DataFrame(
    {
        "Indicator": [data.name(n, z) for n, z in zip(indicators["name"], indicators["name_zh"], strict=True)],
        "Unit": indicators["unit"],
        "Frequency": indicators["frequency"],
        "Figures": indicators["figures"],
        "Coverage": [
            "no data" if pd.isna(s) else f"{pd.Timestamp(s).date()} – {pd.Timestamp(e).date()}"
            for s, e in zip(indicators["first_period_start"], indicators["last_period_end"], strict=True)
        ],
        "Latest period": indicators["last_period"].fillna(""),
        "Trend": indicators["trend"],
        "Stale": ["⚠️ stale" if s else "" for s in indicators["stale"]],
    }
)
st.dataframe(summary, hide_index=True, width="stretch")
st.caption("Trend: the series' own growth from its first to its last figure, without a target (Open SDG's method 1, "
           "thresholds 1.5% and 0.5% a year, tightened near a natural limit). "
           "Stale: the last figure ended more than " + ", ".join(
    f"{d} days ago for a {f} series" for f, d in STALE_AFTER_DAYS.items()) + ".")  # fmt: skip

names = dict(zip(indicators["id"], [data.name(n, z) for n, z in zip(indicators["name"], indicators["name_zh"], strict=True)], strict=True))  # fmt: skip
chosen = data.url_choice("Indicator", list(indicators["id"]), "indicator", names.get)
row = indicators.set_index("id").loc[chosen]
st.subheader(data.plain(names[chosen]))
st.markdown(data.plain(row["definition"]))
st.caption(
    f"Unit: {row['unit']} · frequency: {row['frequency']} · {'higher' if row['direction'] == 'higher' else 'lower'} "
    f"is better · measure: {row['measure']}" + (" · ⚠️ stale" if row["stale"] else "")
)
series = data.observations(chosen)
if series.empty:
    st.info("No data: no figure for this indicator has been found in a citable source yet.")
else:
    st.plotly_chart(series_chart(series, row["unit"]), width="stretch", key="indicator_chart")
    sources = series.groupby(["source_title", "publisher"], dropna=False).size().reset_index(name="figures")
    st.markdown("**Sources**")
    st.dataframe(sources.rename(columns={"source_title": "Source", "publisher": "Publisher", "figures": "Figures"}),
                 hide_index=True, width="stretch")  # fmt: skip
    d1, d2, _ = st.columns([1, 1, 4])
    d1.download_button("Series CSV", lambda s=series: to_csv(s), f"{chosen}.csv", "text/csv", key="ind_csv")
    d2.download_button("Series Excel", lambda s=series, c=chosen: to_excel(s, c), f"{chosen}.xlsx", key="ind_xlsx")
