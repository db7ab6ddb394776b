"""Data quality: what the last build left out and why, conflicting figures, targets without data."""

import pandas as pd
import streamlit as st

from views import data

data.page_header("Data quality")
problems, files, conflicts = data.problems()
card = data.scorecard()

left_out = files[files["status"] == "left out"]
errors = problems[problems["severity"] == "error"]
c1, c2, c3, c4 = st.columns(4)
c1.metric("Files left out", len(left_out))
c2.metric("Errors", len(errors))
c3.metric(
    "Periods with conflicting figures", 0 if conflicts.empty else conflicts.groupby(["indicator", "period"]).ngroups
)
c4.metric("Targets without data", int((card["status"] == "no_data").sum()) if not card.empty else 0)

st.subheader("Problems found in the files")
if problems.empty:
    st.success("Every target, indicator and observation file passed validation.")
else:
    st.caption(
        "The same messages as `python -m tracker validate`. A file with an error is left out of the database whole."
    )
    st.dataframe(
        pd.DataFrame({"File": problems["path"], "Line": problems["line"].replace(0, pd.NA),
                      "Severity": problems["severity"], "Message": problems["message"]}),
        hide_index=True, width="stretch",
    )  # fmt: skip
if not left_out.empty:
    st.warning("Left out of the database: " + ", ".join(data.plain(p) for p in left_out["path"]))

st.subheader("Conflicting figures for the same period")
if conflicts.empty:
    st.caption("None.")
else:
    st.caption("Kept side by side; the assessment uses the figure without a coverage note, then an exact one.")
    units = data.indicators().set_index("id")["unit"]
    table = data.figures_table(conflicts, [units.get(i, "") for i in conflicts["indicator"]])
    table.insert(0, "Indicator", conflicts["indicator"])
    st.dataframe(table, hide_index=True, width="stretch", column_config=data.LINK_COLUMN)

st.subheader("Targets without data")
if card.empty or (card["status"] != "no_data").all():
    st.caption("None.")
else:
    missing = card[card["status"] == "no_data"]
    st.dataframe(pd.DataFrame({"Target": missing["title"], "Indicator": missing["indicator_name"],
                               "Details": "./target?target=" + missing["id"]}),
                 hide_index=True, width="stretch",
                 column_config={"Details": st.column_config.LinkColumn(display_text="open ↗")})  # fmt: skip
