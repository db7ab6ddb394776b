"""Streamlit entry point: page config, the optional sign-in, and navigation over the pages in views/."""

import streamlit as st

from views.auth import require_viewer

st.set_page_config(page_title="Policy target tracker", page_icon=":dart:", layout="wide")
require_viewer()

pages = [
    st.Page("views/overview.py", title="Overview", icon=":material/dashboard:", url_path="overview", default=True),
    st.Page("views/target.py", title="Target", icon=":material/flag:", url_path="target"),
    st.Page("views/policies.py", title="Policies", icon=":material/description:", url_path="policies"),
    st.Page("views/timeline.py", title="Timeline", icon=":material/event:", url_path="timeline"),
    st.Page("views/indicators.py", title="Indicators", icon=":material/show_chart:", url_path="indicators"),
    st.Page("views/data_quality.py", title="Data quality", icon=":material/fact_check:", url_path="data-quality"),
    st.Page("views/methodology.py", title="Methodology", icon=":material/functions:", url_path="methodology"),
]
st.navigation(pages).run()
