"""The frame every page of the static site shares: head, navigation, language switch, tables.

Links are relative (``../assets/site.css``, ``targets/ID.html``), so that the folder works from
``file://``, from a sub-path such as ``https://ORG.github.io/REPO/`` and from any CDN. Every text
from the files passes through :mod:`tracker.escape`; strings from the i18n catalogue are escaped
too, and their ``**bold**`` marks become ``<b>``.
"""

from __future__ import annotations

import re
from pathlib import Path

from tracker.escape import html_link, html_text
from tracker.i18n import LANGUAGES, display_name, t
from tracker.status import STATUS_COLORS, STATUS_SHAPES

GENERATOR = "policy-target-tracker report"
PLOTLY_BUNDLE = Path(__file__).resolve().parents[2] / "static" / "plotly-basic.min.js"
"""Plotly's basic bundle (scatter, bar, pie; 1.2 MB), the file the app serves (docs/architecture.md says how to
update it): every chart of the site is scatter traces with shapes and annotations, which it draws; it is a quarter
of the size of the full bundle (4.7 MB)."""
PLOTLY_ASSET = PLOTLY_BUNDLE.name
HTML_LANG = {"en": "en", "zh": "zh-Hans"}

esc = html_text
link = html_link

STYLESHEET = """
body { font-family: "Source Sans Pro", "Noto Sans CJK SC", "PingFang SC", Arial, sans-serif; margin: 0 auto;
       max-width: 1100px; padding: 1rem 1.5rem 3rem; color: #24292f; line-height: 1.45; }
nav { border-bottom: 1px solid #d0d7de; padding: 0.4rem 0 0.6rem; margin-bottom: 1rem; display: flex;
      flex-wrap: wrap; gap: 0.2rem 1rem; }
nav .lang { margin-left: auto; }
a { color: #0969da; } h1 { margin: 0.6rem 0 0.3rem; font-size: 1.7rem; } h2 { margin-top: 1.8rem; }
.muted { color: #57606a; font-size: 0.92rem; }
.untranslated { font-size: 0.78em; color: #57606a; border: 1px solid #d0d7de; border-radius: 3px; padding: 0 3px; }
table { border-collapse: collapse; width: 100%; margin: 0.6rem 0 1.4rem; font-size: 0.92rem; }
th, td { border-bottom: 1px solid #d0d7de; padding: 0.35rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
.status b { font-weight: 600; } .nowrap { white-space: nowrap; }
table.evidence td:nth-child(4) { min-width: 7em; } /* the coverage, beside long notes: not two characters a line */
.unconverted table.evidence td:nth-child(4) { min-width: 0; }
.unconverted table.evidence td:nth-child(3) { min-width: 7em; }
.target-card { border-left: 6px solid #d0d7de; padding: 0.3rem 0.9rem; margin-bottom: 0.8rem; }
.chart { min-height: 440px; }
.pager { line-height: 1.9; } .pager a, .pager b { margin-right: 0.6rem; white-space: nowrap; }
/* On a phone the page keeps the screen's width: a wide table scrolls inside its own box, long words break. */
@media (max-width: 640px) { body { padding: 0.6rem 0.8rem 2rem; } nav .lang { margin-left: 0; width: 100%; }
  table { display: block; overflow-x: auto; } td, th { padding: 0.25rem; } td { overflow-wrap: break-word; } }
"""


def bold(text: str) -> str:
    """A catalogue string as HTML: escaped, with its ``**bold**`` marks as ``<b>``."""
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", esc(text))


def name(en: object, zh: object, lang: str) -> str:
    """The Chinese name on Chinese pages when there is one; else the English name (as the app does)."""
    return display_name(en, zh, lang)


def status_badge(status: str, lang: str) -> str:
    color = STATUS_COLORS.get(status, "#57606a")
    return (f'<span class="status" data-status="{esc(status)}" style="color:{color}">{STATUS_SHAPES.get(status, "")} '
            f"<b>{esc(t(f'status.{status}', lang))}</b></span>")  # fmt: skip


def table_row(cells: list[str]) -> str:
    """One row of ready-escaped cells."""
    return "<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>"


def table(columns: list[str], rows: list[list[str]], css: str = "", written: str = "") -> str:
    """An HTML table of ready-escaped cells (or of rows already ``written`` by :func:`table_row`)."""
    head = "".join(f"<th>{esc(c)}</th>" for c in columns)
    body = written or "".join(map(table_row, rows))
    return f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


OG_LOCALE = {"en": "en_US", "zh": "zh_CN"}
"""Open Graph locales (language_TERRITORY) of the site's languages."""


def plain(text: str) -> str:
    """A catalogue string without its ``**bold**`` marks, for a description."""
    return text.replace("**", "")


def preview_tags(title: str, description: str, lang: str, url: str = "", suffix: bool = True, context: str = "") -> str:
    """The page's title, description and link-preview tags (Open Graph, Twitter), escaped. ``url`` is the page's
    address on the published site: given only when the site knows where it is published (``--base-url``).
    The browser's title adds ``context`` (what tells two pages of the same title apart) and ends with the
    site's name unless ``suffix`` is false."""
    site = t("app.name", lang)
    full = " · ".join([title] + ([context] if context else []) + ([site] if suffix else []))
    tags = [f"<title>{esc(full)}</title>", f'<meta name="description" content="{esc(description)}">',
            '<meta property="og:type" content="website">', f'<meta property="og:site_name" content="{esc(site)}">',
            f'<meta property="og:title" content="{esc(title)}">',
            f'<meta property="og:description" content="{esc(description)}">',
            f'<meta property="og:locale" content="{OG_LOCALE.get(lang, lang)}">',
            *(f'<meta property="og:locale:alternate" content="{OG_LOCALE.get(code, code)}">'
              for code in LANGUAGES if code != lang),
            '<meta name="twitter:card" content="summary">', f'<meta name="twitter:title" content="{esc(title)}">',
            f'<meta name="twitter:description" content="{esc(description)}">']  # fmt: skip
    if url:
        tags += [f'<meta property="og:url" content="{esc(url)}">', f'<link rel="canonical" href="{esc(url)}">']
    return "".join(tags)


def page(lang: str, depth: int, path: str, title: str, body: str, *, description: str, base_url: str = "",
         chart: bool = False, context: str = "") -> str:  # fmt: skip
    """A whole page. ``depth`` is how many folders below the site root it sits; ``path`` is its
    address below the language folder (``targets/x.html``), used for the language switch and, with
    ``base_url`` (the published site's root, ending in ``/``), for the page's own address."""
    up = "../" * depth
    home = "../" * (depth - 1)
    nav = [f'<a href="{home}index.html">{esc(t("page.overview", lang))}</a>',
           f'<a href="{home}policies.html">{esc(t("page.policies", lang))}</a>',
           f'<a href="{home}indicators.html">{esc(t("page.indicators", lang))}</a>',
           f'<a href="{home}methodology.html">{esc(t("page.methodology", lang))}</a>',
           f'<a href="{home}data.html">{esc(t("site.data", lang))}</a>']  # fmt: skip
    switch = " · ".join(
        f"<b>{esc(label)}</b>"
        if code == lang
        else f'<a href="{up}{code}/{esc(path)}" hreflang="{code}">{esc(label)}</a>'
        for code, label in LANGUAGES.items()
    )
    script = f'<script src="{up}assets/{PLOTLY_ASSET}"></script>' if chart else ""
    url = f"{base_url}{lang}/{path}" if base_url else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{HTML_LANG.get(lang, lang)}"><head><meta charset="utf-8">'
        f'<meta name="generator" content="{GENERATOR}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">'
        f"{preview_tags(title, description, lang, url, context=context)}"
        f'<link rel="stylesheet" href="{up}assets/site.css">'
        f'<link rel="alternate" type="application/atom+xml" href="{up}feed.xml" title="{esc(t("site.feed", lang))}">'
        f"{script}</head><body>"
        f'<nav>{"".join(nav)}<span class="lang">{esc(t("site.language", lang))}: {switch}</span></nav>'
        f"<main>{body}</main></body></html>\n"
    )
