"""A self-contained static HTML snapshot: ``python -m tracker report --out DIR``.

One file, index.html, with plotly.js inlined once, so that it opens offline
from a file. Every text from the files is escaped; only http(s) addresses
become links.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import plotly.io as pio
from plotly.offline import get_plotlyjs

from tracker import queries
from tracker.assess import assess
from tracker.charts import target_chart
from tracker.escape import html_link, html_text
from tracker.formatting import format_value
from tracker.scorecard import build_scorecard
from tracker.status import STATUS_COLORS, STATUS_LABELS

_STYLE = """
body { font-family: "Source Sans Pro", Arial, sans-serif; margin: 0 auto; max-width: 1100px; padding: 1.5rem;
       color: #24292f; }
h1 { margin-bottom: 0.2rem; } .muted { color: #57606a; font-size: 0.9rem; }
table { border-collapse: collapse; width: 100%; margin: 0.8rem 0 1.6rem; font-size: 0.92rem; }
th, td { border-bottom: 1px solid #d0d7de; padding: 0.35rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
.badge { display: inline-block; padding: 0.1rem 0.5rem; border-radius: 1rem; color: white; font-size: 0.85rem; }
section { border-top: 2px solid #d0d7de; margin-top: 2rem; padding-top: 0.5rem; }
"""


esc = html_text
link = html_link


def badge(status: str) -> str:
    return f'<span class="badge" style="background:{STATUS_COLORS[status]}">{esc(STATUS_LABELS[status])}</span>'


GENERATOR = "policy-target-tracker report"


def is_report_folder(folder: Path) -> bool:
    """True when ``folder`` holds a report written by this module (and may be written again)."""
    index = folder / "index.html"
    try:
        with index.open("rb") as fh:
            return f"content='{GENERATOR}'".encode() in fh.read(4096)
    except OSError:
        return False


def write_report(con, out: Path, as_of: date | None = None) -> Path:
    """Write DIR/index.html from the database behind ``con``; returns the file written."""
    as_of = as_of or date.today()
    assessed = assess(con, as_of)
    targets = queries.targets(con)
    meta = queries.meta(con)
    card = build_scorecard(assessed, targets, as_of)
    by_id = assessed.set_index("id")
    info = targets.set_index("id")
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<meta name='generator' content='{GENERATOR}'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        "<title>Policy target tracker: snapshot</title>",
        f"<style>{_STYLE}</style><script>{get_plotlyjs()}</script></head><body>",
        "<h1>Policy target tracker</h1>",
        f"<p class='muted'>Snapshot assessed as of {as_of.isoformat()}; data built {esc(meta.get('built_at', ''))} "
        f"(version {esc(meta.get('data_version', ''))}).</p>",
        "<h2>Overview</h2><table><tr><th>Target</th><th>Status</th><th>Latest</th><th>Target value</th>"
        "<th>Deadline</th><th>Projected</th></tr>",
    ]
    for r in card.itertuples(index=False):
        parts.append(
            f"<tr><td><a href='#{esc(r.id)}'>{esc(r.title)}</a></td><td>{badge(r.status)}</td><td>{esc(r.latest)}</td>"
            f"<td>{esc(r.goal)}</td><td>{esc(r.due)}</td><td>{esc(r.projected)}</td></tr>"
        )
    parts.append("</table>")
    for r in card.itertuples(index=False):
        a, t = by_id.loc[r.id], info.loc[r.id]
        series = queries.observations(con, t["indicator"])
        fig = target_chart(a, series, as_of)
        chart = pio.to_html(fig, include_plotlyjs=False, full_html=False, config={"displaylogo": False})
        parts += [
            f"<section id='{esc(r.id)}'><h2>{esc(r.title)}</h2>",
            f"<p>{badge(r.status)} {esc(a['explanation'])}</p>",
            f"<p class='muted'>Policy: {link(t['policy_url'], t['policy_title'])} ({esc(t['issuer'])}, "
            f"{esc(t['issued'])}). Clause: {esc(t['source'])}</p>",
            chart,
            "<table><tr><th>Period</th><th>Value</th><th>As published</th><th>Coverage</th><th>Source</th>"
            "<th>Publisher</th></tr>",
        ]
        for o in series.itertuples(index=False):
            published = f"{'' if o.qualifier == '=' else o.qualifier}{o.published_value:g} {o.published_unit}"
            parts.append(
                f"<tr><td>{esc(o.period)}</td><td>{esc(format_value(o.value, t['unit']))}</td><td>{esc(published)}</td>"
                f"<td>{esc(o.coverage_name)}</td><td>{link(o.source_url, o.source_title)}</td>"
                f"<td>{esc(o.publisher)}</td></tr>"
            )
        if series.empty:
            parts.append("<tr><td colspan='6'>No figure has been found in a citable source yet.</td></tr>")
        parts.append("</table></section>")
    parts.append("</body></html>")
    out.mkdir(parents=True, exist_ok=True)
    path = out / "index.html"
    # Written aside and renamed, so that an interrupted run leaves the earlier report whole.
    temp = out / f".index.html.{os.getpid()}"
    try:
        temp.write_text("\n".join(parts), encoding="utf-8")
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
    return path
