"""Streamlit entry point: page config and navigation over the pages in views/."""

import streamlit as st

st.set_page_config(page_title="Policy target tracker", page_icon=":dart:", layout="wide")

pages = [
    st.Page("views/catalogue.py", title="Targets", icon=":material/flag:", url_path="targets", default=True),
]
st.navigation(pages).run()
