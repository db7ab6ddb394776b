"""Markup the app wrote itself, put in the page as it is by one component, and the loader of Plotly's bundle.

st.markdown parses HTML as Markdown first and st.html sanitises every element (DOMPurify parses the markup twice):
for the overview's 100-odd rows that was most of the browser's work on the page. Every text from a file in the
markup is escaped before (``views.widgets.esc``, i.e. ``tracker.escape.html_text``), as for ``html_block``; the
component only inserts it. Without a shadow root the page's own styles apply to it.
"""

from __future__ import annotations

import streamlit as st

BUNDLE = "app/static/plotly-basic.min.js"
"""Served from static/ (server.enableStaticServing in .streamlit/config.toml), relative to the page's address."""

LOAD = """
window.__plotlyDrawn ??= new Promise((resolve) => { window.__chartDrawn = resolve; });
window.__plotlyBasic ??= (async () => {
  let src = new URL("BUNDLE", document.baseURI).href;
  try {
    const reply = await fetch(src + ".gz");
    if (!reply.ok) throw new Error(reply.statusText);
    const inflated = await new Response(reply.body.pipeThrough(new DecompressionStream("gzip"))).blob();
    src = URL.createObjectURL(new Blob(["//# allFunctionsCalledOnLoad\\n", inflated], { type: "text/javascript" }));
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
"""Loads Plotly's basic bundle once per page (a second call reuses the first's promise; a failed load is tried
again), and makes the promise ``window.__plotlyDrawn``, kept by the chart when its first draw is done. It reads the
copy gzipped once in the repository (static/plotly-basic.min.js.gz, 395 kB) and inflates it in the browser:
Streamlit sends a file of type application/gzip as it is, where it gzips the plain file again on every request
(about 65 ms of the server's CPU, at level 9, on its event loop). A browser without DecompressionStream, or a copy
that does not come or does not inflate, falls back to the plain file.
The inflated copy is read with V8's compile hint ``//# allFunctionsCalledOnLoad`` put before it (Chromium 136 and
later; other browsers read a comment): every function of the bundle is compiled at once on a background thread while
the script streams in, where V8 would otherwise compile each on the page's main thread the first time it runs. That
was about half of the main thread's time on Plotly (evaluating the bundle and the chart's first draw): the renderer
main thread did 0.84 s a visit against 1.14 s without it, and 0.74 against 0.91 s in a second run (docs/benchmarks-log.md,
"The overview in Chromium")."""

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
