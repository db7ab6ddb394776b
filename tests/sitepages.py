"""The static site's pages read as files, without a browser: what each page loads and links to, its chart's
figure data (as strict JSON), its evidence table, and the features that make it a variant of its kind.

Two tests read it: ``tests/unit/test_site_every_page.py`` checks every page of the shipped site this way, and
``tests/e2e/test_site.py`` opens in Chromium the pages :func:`browser_sample` chooses (one of every kind and
variant in each language)."""

from __future__ import annotations

import csv
import html
import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

OWN_PAGES = {"index.html": "scorecard", "policies.html": "policy list", "indicators.html": "indicator list",
             "methodology.html": "methodology", "data.html": "open data"}  # fmt: skip
"""A language's own pages (its folder's top level) and the kind each is; scorecard-N.html are scorecards too."""
SECTIONS = {"targets": "target", "indicators": "indicator", "policies": "policy"}

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S)
_STYLE_ELEMENT = re.compile(r"<style\b", re.I)
_STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]*)">')
_REFERENCE = re.compile(r'<(\w+)\b[^>]*?\s(href|src)="([^"]*)"')
_REFRESH = re.compile(r'<meta http-equiv="refresh" content="\d+; url=([^"]*)">')
_LANG = re.compile(r"<html lang=\"([^\"]*)\">")
_CELL = re.compile(r"<td>(.*?)</td>", re.S)
_TAG = re.compile(r"<[^>]+>")


def _refuse(constant: str) -> float:
    raise ValueError(f"{constant} is not JSON")


_STRICT = json.JSONDecoder(parse_constant=_refuse)
"""JSON as a browser's JSON.parse reads it: NaN, Infinity and -Infinity are refused."""


def cell_text(cell: str) -> str:
    """A table cell's or hover line's text, as a reader sees it (tags dropped, entities read)."""
    return html.unescape(_TAG.sub("", cell)).strip()


@dataclass(frozen=True)
class Chart:
    """The arguments of the page's ``Plotly.newPlot("chart", data, layout, config)``."""

    data: list
    layout: dict
    config: dict

    def traces(self, role: str) -> list[dict]:
        return [tr for tr in self.data if (tr.get("meta") or {}).get("role") == role]


@dataclass(frozen=True)
class SitePage:
    root: Path
    path: str
    """Below the site's root, with forward slashes: ``en/targets/x.html``."""
    text: str

    @property
    def lang(self) -> str | None:
        top = self.path.split("/")[0]
        return top if top in ("en", "zh") else None

    @property
    def kind(self) -> str:
        parts = self.path.split("/")
        if len(parts) == 1:
            return "entry"
        if len(parts) == 2:
            return "scorecard" if parts[1].startswith("scorecard-") else OWN_PAGES[parts[1]]
        return SECTIONS[parts[1]]

    @property
    def html_lang(self) -> str:
        found = _LANG.search(self.text)
        return found.group(1) if found else ""

    @cached_property
    def scripts(self) -> list[tuple[str, str]]:
        """Each script element: its ``src`` (or '') and its inline text."""
        found = []
        for attributes, body in _SCRIPT.findall(self.text):
            src = re.search(r'src="([^"]*)"', attributes)
            found.append((src.group(1) if src else "", body))
        return found

    @property
    def stylesheets(self) -> list[str]:
        return _STYLESHEET.findall(self.text)

    @property
    def has_style_element(self) -> bool:
        return bool(_STYLE_ELEMENT.search(self.text))

    @cached_property
    def references(self) -> list[tuple[str, str, str]]:
        """Every (tag, attribute, address) the page's markup loads or links to (scripts' text left out), and the
        address its refresh sends the reader to."""
        markup = _SCRIPT.sub(r"<script\1></script>", self.text)
        found = [(tag.lower(), attr, html.unescape(ref)) for tag, attr, ref in _REFERENCE.findall(markup)]
        return found + [("meta", "refresh", html.unescape(u)) for u in _REFRESH.findall(markup)]

    @cached_property
    def chart(self) -> Chart | None:
        """The chart's figure, read as strict JSON (a NaN or Infinity raises ValueError), or None."""
        start = self.text.find("Plotly.newPlot(")
        if start < 0:
            return None
        rest = self.text[start + len("Plotly.newPlot(") :]
        args = []
        for _ in range(4):
            rest = rest.lstrip()
            value, end = _STRICT.raw_decode(rest)
            args.append(value)
            rest = rest[end:].lstrip()
            if len(args) < 4:
                assert rest.startswith(","), f"{self.path}: Plotly.newPlot's arguments are not four JSON values"
                rest = rest[1:]
        assert rest.startswith(")"), f"{self.path}: Plotly.newPlot takes more than four arguments"
        element, data, layout, config = args
        assert element == "chart", f"{self.path}: the chart is drawn into {element!r}"
        return Chart(data, layout, config)

    @cached_property
    def evidence(self) -> list[tuple[str, str]]:
        """(period, value) of each row of the evidence table, as the reader sees them."""
        start = self.text.find('<table class="evidence">')
        if start < 0:
            return []
        body = self.text[start : self.text.index("</table>", start)]
        rows = body.split("<tbody>", 1)[1].split("<tr>")[1:]
        return [tuple(cell_text(c) for c in _CELL.findall(row)[:2]) for row in rows]

    @property
    def series_csv(self) -> Path:
        """The CSV of every figure of the page's indicator (an indicator page's own; a target page's indicator's,
        which its evidence caption links to)."""
        if self.kind == "indicator":
            indicator = Path(self.path).stem
        else:
            indicator = html.unescape(re.search(r'href="\.\./indicators/([^"]+)\.html"', self.text).group(1))
        return self.root / "data" / "series" / f"{indicator}.csv"

    @cached_property
    def features(self) -> frozenset[str]:
        """What makes the page a variant of its kind. For a chart, each of its parts drawn or not (figures, the
        unused-figures legend, the required path, the projection, its band, the target marker), figures in one
        coverage or several, the marker's symbol, a reference line or not, the no-figure note, a deadline passed
        or ahead; for a page, the optional parts it has (the kind of target, a proxy coverage, a parent document,
        a thinned chart, a pager)."""
        found = {f"kind:{self.kind}"}
        chart = self.chart
        if chart is not None:
            found |= _chart_features(chart)
        elif self.kind == "indicator":
            found.add("no chart")
        for marker, feature in (('class="chart-note', "thinned chart"), ('class="proxy"', "proxy coverage"),
                                ('class="pager', "pager")):  # fmt: skip
            if marker in self.text:
                found.add(feature)
        target_kind = re.search(r'<div class="target-card"><div>.*?<span class="muted">· ([^<]*)</span>', self.text)
        if target_kind:
            found.add(f"target kind:{target_kind.group(1)}")
        if self.kind == "policy" and re.search(r'<a href="[^"./][^"]*\.html">', self.text):
            found.add("parent document")
        return frozenset(found)


ROLES = ("figures", "legend", "path", "projection", "band", "target")
"""The parts of a chart (each trace's ``meta.role``, set by tracker.charts)."""


def _chart_features(chart: Chart) -> set[str]:
    roles = {(tr.get("meta") or {}).get("role") for tr in chart.data}
    found = {"chart"} | {f"draws {r}" if r in roles else f"no {r}" for r in ROLES}
    if len(chart.traces("figures")) > 1:
        found.add("figures in several coverages")
    found |= {f"marker {tr['marker']['symbol']}" for tr in chart.traces("target")}
    shapes = chart.layout.get("shapes", [])
    lines = any((s.get("line") or {}).get("dash") == "dashdot" for s in shapes)
    found.add("reference line" if lines else "no reference line")
    if any(a.get("xref") == "paper" for a in chart.layout.get("annotations", [])):
        found.add("no-figure note")
    today = [str(s["x0"])[:10] for s in shapes if s.get("yref") == "paper"]
    for tr in chart.traces("target"):
        found.add("deadline passed" if str(tr["x"][0])[:10] < today[0] else "deadline ahead")
    return found


def site_pages(root: Path) -> list[SitePage]:
    """Every HTML page of the site under ``root``, sorted by path."""
    return [SitePage(root, p.relative_to(root).as_posix(), p.read_text(encoding="utf-8"))
            for p in sorted(root.rglob("*.html"))]  # fmt: skip


def browser_sample(pages: list[SitePage]) -> list[SitePage]:
    """One page of every kind and variant in each language: for each language and kind, pages are taken one at a
    time, each time the one that adds the most features not yet covered (the first in path order on a tie),
    until every feature some page of that kind has is on a chosen page. The entry page is its own kind."""
    chosen = []
    groups: dict[tuple, list[SitePage]] = {}
    for page in pages:
        groups.setdefault((page.lang or "", page.kind), []).append(page)
    for _, group in sorted(groups.items()):
        left = set().union(*(p.features for p in group))
        while left:
            best = max(group, key=lambda p: (len(p.features & left), -group.index(p)))
            chosen.append(best)
            left -= best.features
    return sorted(chosen, key=lambda p: p.path)


def series_values(path: Path) -> Counter:
    """(period, value) of every figure in an indicator's CSV."""
    with path.open(encoding="utf-8", newline="") as fh:
        return Counter((row["period"], float(row["value"])) for row in csv.DictReader(fh))
