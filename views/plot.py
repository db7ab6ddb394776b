"""A Plotly figure drawn by Plotly's basic bundle (scatter, bar, pie; 1.2 MB) instead of st.plotly_chart's full
one (4.7 MB, about 1.5 s of a browser's main thread to evaluate on this machine: more than an empty page's
whole first view). The figure is the same go.Figure, drawn by the plotly.js version of the Python package
(static/plotly-basic.min.js, npm's plotly.js-basic-dist-min, served by Streamlit's static file serving).
"""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

BUNDLE = "app/static/plotly-basic.min.js"
"""Served from static/ (server.enableStaticServing in .streamlit/config.toml), relative to the page's address."""

_LOAD = """
function plotly() {
  window.__plotlyBasic ??= new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = new URL("%s", document.baseURI).href;
    script.onload = () => resolve(window.Plotly);
    script.onerror = () => { window.__plotlyBasic = undefined; reject(new Error("Plotly's bundle did not load")); };
    document.head.appendChild(script);
  });
  return window.__plotlyBasic;
}
""" % BUNDLE

_DRAW = _LOAD + """
export default function ({ parentElement, data }) {
  const box = parentElement.querySelector(".basic-plot"), figure = JSON.parse(data.figure);
  plotly().then((Plotly) => Plotly.react(box, figure.data, figure.layout, data.config));
  return () => { if (window.Plotly) window.Plotly.purge(box); };
}
"""

FADED = "rgba(49, 51, 63, 0.6)"
THEME = {
    "layout": {
        "font": {"color": FADED},
        "xaxis": {"automargin": True, "tickfont": {"size": 12}, "title": {"font": {"size": 14}, "standoff": 16}},
        "yaxis": {"automargin": True, "tickfont": {"size": 12}, "title": {"font": {"size": 14}, "standoff": 16}},
        "legend": {"font": {"size": 12, "color": "#31333f"}},
        "hoverlabel": {"bgcolor": "white", "bordercolor": "#d0d7de", "font": {"size": 12, "color": "#31333f"}},
        "paper_bgcolor": "white",
    }
}
"""What st.plotly_chart's Streamlit theme gives a figure here (light base): faded grey axis text, 12 px ticks, 14 px
axis titles, axes that make room for their labels. A template: whatever the figure sets itself wins."""

_chart = st.components.v2.component("basic_plot", html='<div class="basic-plot"></div>', js=_DRAW, isolate_styles=False)
_loader = st.components.v2.component("basic_plot_loader", js=_LOAD + "export default function () { plotly(); }")


def load_plotly() -> None:
    """Start loading Plotly's bundle at the end of the sidebar (drawn first, nothing shown): the browser
    reads it while the server still runs the page, instead of once the chart's element is reached."""
    with st.sidebar:
        _loader(key="basic_plot_loader", height=0)


def basic_chart(fig: go.Figure, key: str, config: dict | None = None) -> None:
    """``fig`` drawn across the page's width, keeping Plotly's hover, zoom and mode bar."""
    _chart(data={"figure": go.Figure(fig).update_layout(template=THEME).to_json(), "config": {"responsive": True, "displaylogo": False, **(config or {})}},
           key=key)  # fmt: skip
