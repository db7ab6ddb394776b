"""Every page of the shipped files' static site, read as a file: what a page needs no browser to check.

Each page loads and links only to files of the site under its sub-path, says its language, carries its chart
as strict JSON with what Plotly's script needs and the numbers of the page's own table, and has no script or
style its kind does not have. The browser opens one page of every kind and variant (tests/e2e/test_site.py);
these checks hold for all the others."""

from __future__ import annotations

import math
import posixpath
import re
from collections import Counter

import pytest

from tests.conftest import SITE_AS_OF
from tests.sitepages import ROLES, SitePage, cell_text, series_values, site_pages

HTML_LANG = {"en": "en", "zh": "zh-Hans", None: "en"}  # the entry page is English (it moves on to en/)
BUNDLE = "assets/plotly-basic.min.js"
CHART_KINDS = {"target", "indicator"}


@pytest.fixture(scope="module")
def pages(shipped_site) -> list[SitePage]:
    found = site_pages(shipped_site)
    assert len(found) > 100
    return found


def _broken(page: SitePage, tag: str, attr: str, ref: str) -> str | None:
    """Why a reference of the page does not lead to a file of the site, or None when it does."""
    if ref.startswith(("http://", "https://")):
        return None if tag == "a" else "an outside address loaded by the page"  # only links may leave the site
    if ref == "data:,":
        return None if (tag, attr) == ("link", "href") else "a data address other than the empty icon"
    if ref.startswith("/") or re.match(r"[a-zA-Z][\w+.-]*:", ref):
        return "not relative to the page (it would leave the sub-path)"
    # Read as a browser reads it, without the file system: a path that steps out of the site's folder, even to
    # come back, depends on the name of the folder it is published under.
    within = posixpath.normpath(posixpath.join(posixpath.dirname(page.path), ref.split("#")[0].split("?")[0]))
    if within == ".." or within.startswith("../"):
        return "outside the site's folder"
    return None if (page.root / within).is_file() else "no such file"


def test_every_address_a_page_loads_or_links_to_is_a_file_of_the_site_under_its_sub_path(pages):
    broken = []
    for page in pages:
        for tag, attr, ref in page.references:
            why = _broken(page, tag, attr, ref)
            if why:
                broken.append(f"{page.path}: <{tag} {attr}={ref!r}>: {why}")
    assert broken == []
    loaded = Counter(tag for page in pages for tag, _, _ in page.references)
    assert loaded["script"] == sum(p.chart is not None for p in pages) > 100, "one script address per chart"
    assert loaded["link"] >= 3 * (len(pages) - 1) and loaded["a"] > 10 * len(pages)


def test_every_page_is_of_a_known_kind_and_says_its_language(pages):
    kinds = {lang: {p.kind for p in pages if p.lang == lang} for lang in ("en", "zh")}
    expected = {"scorecard", "policy list", "indicator list", "methodology", "open data", "target", "indicator",
                "policy"}  # fmt: skip
    assert kinds == {"en": expected, "zh": expected}
    assert [p.path for p in pages if p.kind == "entry"] == ["index.html"]
    wrong = [(p.path, p.html_lang) for p in pages if p.html_lang != HTML_LANG[p.lang]]
    assert wrong == []


def test_no_page_has_a_script_or_style_its_kind_does_not_have(pages):
    for page in pages:
        up = "../" * page.path.count("/")
        if page.chart is not None:  # Plotly's bundle from the shared assets, then the one call that draws
            assert page.kind in CHART_KINDS, page.path
            assert [src for src, _ in page.scripts] == [up + BUNDLE, ""], page.path
            assert page.scripts[0][1] == "" and "Plotly.newPlot(" in page.scripts[1][1], page.path
        else:
            assert page.scripts == [], page.path
        assert page.stylesheets == ([] if page.kind == "entry" else [up + "assets/site.css"]), page.path
        assert not page.has_style_element, page.path
    assert all(p.chart is not None for p in pages if p.kind == "target"), "every target page has a chart"


def _is_time(value: object) -> bool:
    return isinstance(value, str) and bool(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?", value))


def _trace_problems(trace: dict) -> list[str]:
    problems = []
    if trace.get("type") != "scatter":  # the basic bundle draws scatter traces (and bar and pie, unused here)
        problems.append(f"a {trace.get('type')!r} trace")
    if (trace.get("meta") or {}).get("role") not in ROLES:
        problems.append(f"a trace of no known part: {trace.get('meta')}")
    x, y = trace.get("x"), trace.get("y")
    if not isinstance(x, list) or not isinstance(y, list) or len(x) != len(y) or not x:
        problems.append("x and y are not lists of one length")
    elif any(v is not None and not _is_time(v) for v in x):
        problems.append(f"x holds something other than times: {x[:3]}")
    elif any(v is not None and not (isinstance(v, (int, float)) and math.isfinite(v)) for v in y):
        problems.append(f"y holds something other than numbers: {y[:3]}")
    return problems


def test_every_chart_is_strict_json_with_the_traces_and_layout_the_script_needs(pages):
    problems, charts = [], 0
    for page in pages:
        try:
            chart = page.chart
        except ValueError as exc:  # NaN or Infinity, which JSON.parse refuses
            problems.append(f"{page.path}: {exc}")
            continue
        if chart is None:
            continue
        charts += 1
        assert page.text.count('id="chart"') == 1, page.path
        assert chart.config == {"displaylogo": False, "responsive": True}, page.path
        layout = chart.layout
        assert isinstance(layout.get("xaxis"), dict) and isinstance(layout.get("yaxis"), dict), page.path
        assert isinstance(layout.get("height"), int) and layout["height"] > 0, page.path
        today = [s for s in layout.get("shapes", []) if s.get("yref") == "paper" and _is_time(s.get("x0"))]
        # A target's chart marks the site's date (deadlines are read against it); an indicator's draws figures only.
        expected = [SITE_AS_OF.isoformat()] if page.kind == "target" else []
        assert [s["x0"][:10] for s in today] == expected, f"{page.path}: the line at today"
        problems += [f"{page.path}: {p}" for tr in chart.data for p in _trace_problems(tr)]
        if page.kind == "indicator":
            assert chart.traces("figures"), f"{page.path}: an indicator chart without figures"
    assert problems == []
    assert charts >= sum(p.kind == "target" for p in pages)


_HOVER = re.compile(r"<b>(.*?)</b>: (.*?)<br>")


def _drawn(page: SitePage) -> list[tuple[str, str, float, str]]:
    """(period, value as the hover shows it, y, coverage) of every figure the chart draws."""
    drawn = []
    for trace in page.chart.traces("figures"):
        assert len(trace["hovertext"]) == len(trace["y"]), page.path
        for text, y in zip(trace["hovertext"], trace["y"], strict=True):
            found = _HOVER.match(text)
            assert found, f"{page.path}: a hover text without its period and value: {text[:80]}"
            drawn.append((cell_text(found.group(1)), cell_text(found.group(2)), y, trace["meta"]["coverage"]))
    return drawn


def _scale(drawn: list, csv: Counter) -> float | None:
    """The one power of ten by which every drawn y is a figure of the indicator's CSV (the chart's unit
    scale: billions, millions), or None."""
    for exponent in range(-3, 13):
        scale = 10.0**exponent
        if all(any(p == period and math.isclose(y * scale, v, rel_tol=1e-9) for p, v in csv)
               for period, _, y, _ in drawn):  # fmt: skip
            return scale
    return None


def test_every_chart_draws_the_figures_of_its_pages_table_and_of_its_series_file(pages):
    checked = 0
    for page in pages:
        if page.kind not in CHART_KINDS:
            continue
        if page.chart is None:  # an indicator without figures says so instead of drawing an empty chart
            assert page.kind == "indicator" and page.evidence == [], page.path
            continue
        drawn, table = _drawn(page), Counter(page.evidence)
        points = Counter((period, value) for period, value, _, _ in drawn)
        assert points <= table, f"{page.path}: the chart draws figures its table does not list: {points - table}"
        if 'class="chart-note' not in page.text and "data/series/" not in page.text.split('class="evidence"')[0]:
            assert points == table, f"{page.path}: the table lists figures the chart does not draw"
        if drawn:
            csv = series_values(page.series_csv)
            assert sum(table.values()) <= sum(csv.values()), page.path
            assert _scale(drawn, csv) is not None, f"{page.path}: the chart's y values are not the file's figures"
            checked += 1
    assert checked > 100
