"""A Plotly figure drawn by Plotly's basic bundle (scatter, bar, pie; 1.2 MB) instead of st.plotly_chart's full
one (4.7 MB, about 1.5 s of a browser's main thread to evaluate on this machine: more than an empty page's
whole first view). The figure is the same go.Figure, drawn by the plotly.js version of the Python package
(static/plotly-basic.min.js, npm's plotly.js-basic-dist-min, served by Streamlit's static file serving).
"""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from tracker.charts import PAGE_THEME
from views.markup import LOAD

JS = """
export default function ({ parentElement, data }) {
  LOAD
  parentElement.querySelector(".above-plot").innerHTML = data.above;
  const box = parentElement.querySelector(".basic-plot"), figure = JSON.parse(data.figure);
  window.__plotlyBasic.then((Plotly) => Plotly.react(box, figure.data, figure.layout, data.config))
    .finally(() => window.__chartDrawn());
  return () => { if (window.Plotly) window.Plotly.purge(box); };
}
""".replace("LOAD", LOAD)

_chart = st.components.v2.component(
    "basic_plot", html='<div class="above-plot"></div><div class="basic-plot"></div>', js=JS, isolate_styles=False
)


def figure_json(fig: go.Figure) -> str:
    """``fig`` with the app's look, as JSON for ``basic_chart`` (worth caching: about 0.1 s a figure)."""
    return go.Figure(fig).update_layout(template=PAGE_THEME).to_json()


def basic_chart(figure: str, key: str, config: dict | None = None, above: str = "") -> None:
    """A figure from ``figure_json`` drawn across the page's width, keeping Plotly's hover, zoom and mode bar.
    ``above``: markup put above the chart in the same element (its heading and caption: one element fewer), every
    text from a file in it already escaped, as for ``views.markup.html_list``."""
    config = {"responsive": True, "displaylogo": False, **(config or {})}
    _chart(data={"figure": figure, "config": config, "above": above}, key=key)
