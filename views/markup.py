"""Markup the app wrote itself, put in the page as it is by one component, and the loader of Plotly's bundle.

st.markdown parses HTML as Markdown first and st.html sanitises every element (DOMPurify parses the markup twice):
for the overview's 100-odd rows that was most of the browser's work on the page. Every text from a file in the
markup is escaped before (``views.widgets.esc``, i.e. ``tracker.escape.html_text``), as for ``html_block``; the
component only inserts it. Without a shadow root the page's own styles apply to it.
"""

from __future__ import annotations

import streamlit as st

from views.serving import BUNDLE

LOAD = """
window.__plotlyDrawn ??= new Promise((resolve) => { window.__chartDrawn = resolve; });
window.__plotlyBasic ??= new Promise((resolve, reject) => {
  const script = document.createElement("script");
  script.src = new URL("BUNDLE", document.baseURI).href;
  script.onload = () => resolve(window.Plotly);
  script.onerror = () => { script.remove(); reject(new Error("Plotly's bundle did not load")); };
  document.head.appendChild(script);
}).catch((error) => { window.__plotlyBasic = undefined; throw error; });
""".replace("BUNDLE", BUNDLE)
"""Loads Plotly's basic bundle once per page (a second call reuses the first's promise; a failed load is tried
again), and makes the promise ``window.__plotlyDrawn``, kept by the chart when its first draw is done. A plain
script element: the server (``app.py``, views/serving.py) sends the file gzipped and with V8's compile hint, so that
the browser inflates and compiles it off the page's main thread while it downloads."""

JS = """
export default function ({ parentElement, data }) {
  if (data.chart_below) { LOAD }
  const box = parentElement.querySelector(".escaped-markup");
  box.classList.remove("laid-out");
  box.innerHTML = data.markup;
  const later = (then) => requestAnimationFrame(() => requestAnimationFrame(() => requestIdleCallback(then)));
  Promise.resolve(window.__plotlyDrawn).then(() => later(() => box.classList.add("laid-out")));
}
""".replace("LOAD", LOAD)
"""Puts the markup in the page, then marks it ``laid-out`` once the chart below it (if any) is drawn and on the
screen and the page is idle: markup whose parts off the screen are first skipped (``content-visibility``: the
overview's rows) is then laid out whole in time nobody waits on, and keeps its real height when the reader scrolls.
(Laid out as soon as Plotly's bundle had come, the rows' layout ran before the chart's first draw: 0.14 s more of
the main thread before the overview was drawn, docs/benchmarks-log.md.)"""

_markup = st.components.v2.component(
    "escaped_markup", html='<div class="escaped-markup"></div>', js=JS, isolate_styles=False
)


def html_list(markup: str, key: str, chart_below: bool = False) -> None:
    """Markup this app wrote, every text from a file in it already passed through ``esc``, put in the page as it
    is (for long markup: the overview's rows). ``chart_below``: start loading Plotly's bundle now, before the markup
    is inserted, for a chart further down the page."""
    _markup(data={"markup": markup, "chart_below": chart_below}, key=key)
