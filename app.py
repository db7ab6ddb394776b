"""The dashboard's server: Streamlit's, with Plotly's bundle sent gzipped (views/serving.py).

``streamlit run app.py`` (``make run``) serves ``dashboard.py``, the app itself. Streamlit finds ``app`` below and
runs it as an ASGI app; ``streamlit run dashboard.py`` still works, with the bundle sent by Streamlit itself.
"""

from pathlib import Path

import streamlit as st

from views.serving import middleware

app = st.App(Path(__file__).with_name("dashboard.py"), middleware=middleware())
