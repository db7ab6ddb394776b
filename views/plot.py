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

LOAD = """
window.__plotlyBasic ??= (async () => {
  let src = new URL("BUNDLE", document.baseURI).href;
  try {
    const reply = await fetch(src + ".gz");
    if (!reply.ok) throw new Error(reply.statusText);
    const inflated = await new Response(reply.body.pipeThrough(new DecompressionStream("gzip"))).blob();
    src = URL.createObjectURL(new Blob([inflated], { type: "text/javascript" }));
  } catch {}  // no DecompressionStream, or no gzipped copy: the plain file
  await new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.onload = resolve;
    script.onerror = () => reject(new Error("Plotly's bundle did not load"));
    document.head.appendChild(script);
  });
  return window.Plotly;
})().catch((error) => { window.__plotlyBasic = undefined; throw error; });
""".replace("BUNDLE", BUNDLE)
"""Loads the bundle once per page (a second call reuses the first's promise; a failed load is tried again). It reads
the copy gzipped once in the repository (static/plotly-basic.min.js.gz, 395 kB) and inflates it in the browser:
Streamlit sends a file of type application/gzip as it is, where it gzips the plain file again on every request
(about 65 ms of the server's CPU, at level 9, on its event loop). A browser without DecompressionStream, or a copy
that does not come or does not inflate, falls back to the plain file."""

JS = """
export default function ({ parentElement, data }) {
  LOAD
  const box = parentElement.querySelector(".basic-plot"), figure = JSON.parse(data.figure);
  window.__plotlyBasic.then((Plotly) => Plotly.react(box, figure.data, figure.layout, data.config));
  return () => { if (window.Plotly) window.Plotly.purge(box); };
}
""".replace("LOAD", LOAD)

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

_chart = st.components.v2.component("basic_plot", html='<div class="basic-plot"></div>', js=JS, isolate_styles=False)


def figure_json(fig: go.Figure) -> str:
    """``fig`` with the app's look, as JSON for ``basic_chart`` (worth caching: about 0.1 s a figure)."""
    return go.Figure(fig).update_layout(template=THEME).to_json()


def basic_chart(figure: str, key: str, config: dict | None = None) -> None:
    """A figure from ``figure_json`` drawn across the page's width, keeping Plotly's hover, zoom and mode bar."""
    _chart(data={"figure": figure, "config": {"responsive": True, "displaylogo": False, **(config or {})}}, key=key)


def load_early() -> None:
    """Start loading the bundle now, from an element near the top of the page: the browser fetches and evaluates
    it while the server still runs the rest of the script, instead of after every element above the chart."""
    st.html(f"<script>{LOAD}</script>", unsafe_allow_javascript=True)
