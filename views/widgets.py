"""What every page shares: the language, the page header and sidebar, links that keep ?lang, URL-bound
widgets, status badges and the escaping of text from files.

Text from files reaches the page only through ``esc`` (HTML) or ``plain`` (Markdown).
"""

from __future__ import annotations

from functools import cache
from string import Formatter
from urllib.parse import quote, urlencode

import pandas as pd
import streamlit as st

from tracker.escape import ITEM_SEPARATOR, html_link, html_text, markdown_text
from tracker.exports import to_csv, to_excel
from tracker.i18n import DEFAULT, LANGUAGES, display_name, file_text_html, language, t
from tracker.status import STATUS_COLORS
from views import PAGES, cached
from views.markup import html_list


def lang() -> str:
    """The chosen language: ?lang=<code> in the URL (one of tracker.i18n.LANGUAGES), else English."""
    return language(st.query_params.get("lang"))


def tr(key: str, **fields: object) -> str:
    """A string of the catalogue in the page's language."""
    return t(key, lang(), **fields)


def tr_html(key: str, **markup: str) -> str:
    """A catalogue string as HTML: its own words escaped, its fields filled with markup already escaped."""
    parts = []
    for literal, field, _, _ in Formatter().parse(t(key, lang())):
        parts.append(esc(literal).replace("{", "{{").replace("}", "}}"))
        if field is not None:
            parts.append("{" + field + "}")
    return "".join(parts).format(**markup)


def embedded() -> bool:
    """?embed=true: the page shows only its card and chart, for an iframe."""
    # Streamlit keeps ?embed=true for itself: st.query_params does not show it, st.context does.
    return bool(st.context.is_embedded)


plain = markdown_text
"""Text from a file or the URL, for st.markdown and titles: shown as written (no links, no markup)."""
esc = html_text
"""Text from a file or the URL, for HTML: shown as written, never as markup."""


def name(en: object, zh: object) -> str:
    """The Chinese name when 中文 is chosen and there is one; else the English name."""
    return display_name(en, zh, lang())


def file_text(en: object, zh: object) -> str:
    """A text from a file in the page's language, escaped for HTML (see tracker.i18n.file_text_html)."""
    return file_text_html(en, zh, lang())


def label(key: str) -> str:
    """A catalogue label in bold with the colon of the page's language ("Clause:", "条款：")."""
    return f"<b>{esc(tr(key) + tr('value.colon'))}</b>"


def web_link(url: object, label: object) -> str:
    """An HTML link, opening in a new tab, for http(s) addresses only; anything else as plain text."""
    return html_link(url, label, new_tab=True)


def page_url(url_path: str, **params: object) -> str:
    """A relative address of a page of this app that keeps the language (and embed) of this one."""
    query = {k: v for k, v in params.items() if v not in (None, "")}
    if lang() != DEFAULT:
        query["lang"] = lang()
    return f"./{url_path}" + (f"?{urlencode(query)}" if query else "")


def shareable_url(url_path: str, **params: object) -> str:
    """The full address of a page of this app, as a reader would share it (relative when it is not known)."""
    relative = page_url(url_path, **params)
    here = st.context.url or ""
    if not here.startswith(("http://", "https://")):
        return relative
    root = here.split("?")[0].rstrip("/")
    for spec in PAGES:
        if root.endswith("/" + spec.url_path):
            root = root[: -len(spec.url_path) - 1]
    return root + relative[1:]


def target_link(target_id: str, **params: object) -> str:
    """The address of a target's page, keeping ?lang."""
    return page_url("target", target=target_id, **params)


@cache
def status_icon(status: str, size: int = 16) -> str:
    """A status as an SVG shape in its colour: drawn without any font, told apart by shape. An image of the SVG
    (one element where inline SVG is a tree of them, on each of the overview's 100-odd rows), which any sanitiser
    also keeps."""
    color = STATUS_COLORS.get(status, "#57606a")
    shapes = {
        "achieved": f'<circle cx="8" cy="8" r="7" fill="{color}"/><path d="M4.5 8.2l2.3 2.3 4.7-4.8" '
        'stroke="white" stroke-width="1.8" fill="none"/>',
        "on_track": f'<path d="M8 1.5l6.5 12h-13z" fill="{color}"/>',
        "acceleration_needed": f'<path d="M8 1l7 7-7 7-7-7z" fill="{color}"/>',
        "limited_progress": f'<path d="M8 14.5l6.5-12h-13z" fill="{color}"/>',
        "deteriorating": f'<path d="M3 3l10 10M13 3L3 13" stroke="{color}" stroke-width="3.2"/>',
        "missed": f'<rect x="2" y="2" width="12" height="12" fill="{color}"/>',
        "awaiting_final": f'<path d="M3 1.5h10L8 8l5 6.5H3L8 8z" fill="{color}"/>',
        "insufficient_data": f'<circle cx="8" cy="8" r="6" fill="none" stroke="{color}" stroke-width="2"/>'
        f'<path d="M8 2a6 6 0 0 1 0 12z" fill="{color}"/>',
        "no_data": f'<circle cx="8" cy="8" r="6" fill="none" stroke="{color}" stroke-width="2"/>',
        "not_assessed": f'<rect x="2" y="6.5" width="12" height="3" fill="{color}"/>',
    }
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 16 16">'
           f"{shapes.get(status, shapes['no_data'])}</svg>")  # fmt: skip
    return (f'<img class="st-icon" src="data:image/svg+xml,{quote(svg, safe=" /=:")}" width="{size}" '
            f'height="{size}" alt="" aria-hidden="true">')  # fmt: skip


SEP = ITEM_SEPARATOR
"""Between items on one line (tracker.escape.ITEM_SEPARATOR)."""


def status_badge(status: str) -> str:
    """Icon and name of a status, in its colour (every status colour has at least 4.5:1 on white)."""
    color = STATUS_COLORS.get(status, "#57606a")
    return (f'<span class="status" data-status="{esc(status)}" style="color:{color}">{status_icon(status)} '
            f"<b>{esc(tr(f'status.{status}'))}</b></span>")  # fmt: skip


CSS = """
<style>
[data-testid=stElementContainer]:has(.escaped-markup > style:only-child) { display: none; }
.block-container, [data-testid=stMainBlockContainer] { padding-top: 2.2rem !important; }
.status, .nowrap { white-space: nowrap; }
@media (max-width: 700px) { h1 { font-size: 1.8rem !important; } }
.st-icon { vertical-align: -2px; display: inline; }
.muted { color: #57606a; }
.untranslated { font-size: 0.78em; color: #57606a; border: 1px solid #d0d7de; border-radius: 3px;
  padding: 0 0.3em; white-space: nowrap; }
.source-line { color: #424a53; font-size: 0.88rem; margin: -0.4rem 0 1rem; }
table.facts { border-collapse: collapse; width: 100%; font-size: 0.92rem; }
table.facts th, table.facts td { text-align: left; vertical-align: top; padding: 0.3rem 0.5rem;
  border-bottom: 1px solid #d0d7de; overflow-wrap: break-word; }
table.facts th { color: #424a53; font-weight: 600; }
table.facts .whole { white-space: nowrap; }
table.facts .roomy { min-width: 7em; }
@media (max-width: 700px) {
  table.facts.stack thead { display: none; }
  table.facts.stack tr { display: block; border-bottom: 1px solid #d0d7de; padding: 0.4rem 0; }
  table.facts.stack td { display: block; border: none; padding: 0.1rem 0.3rem; }
  table.facts.stack td[data-label]::before { content: attr(data-label); color: #57606a; }
  table.facts.stack td:empty { display: none; }
}
</style>
"""
EMBED_CSS = """
<style>
.block-container, [data-testid=stMainBlockContainer] { padding-top: 2.2rem !important; }
[data-testid=stSidebar], [data-testid=stSidebarCollapsedControl], header[data-testid=stHeader],
[data-testid=stToolbar] { display: none !important; }
.block-container, [data-testid=stMainBlockContainer] { padding-top: 0.5rem !important; }
</style>
"""


def facts_table(
    columns: list[str],
    rows: list[list[str]],
    stack: bool = True,
    whole: tuple[int, ...] = (),
    roomy: tuple[int, ...] = (),
) -> str:
    """An HTML table of ready-escaped cells that wraps its text (no scrolling inside it); stacked on phones.

    The columns numbered in ``whole`` (short values: periods, figures, dates) are never broken across lines; those in
    ``roomy`` (names of a few words: coverages) are kept at least 7 characters wide, where a long column beside them
    (English notes on a Chinese page) had squeezed them to two characters a line.
    """
    nowrap = [' class="whole"' if i in whole else ' class="roomy"' if i in roomy else "" for i in range(len(columns))]
    head = "".join(f"<th{n}>{esc(c)}</th>" for c, n in zip(columns, nowrap, strict=True))
    body = "".join(
        "<tr>" + "".join(f'<td{n} data-label="{esc(c + tr("value.colon"))}">{cell}</td>'
                         for c, n, cell in zip(columns, nowrap, row, strict=True))
        + "</tr>"
        for row in rows
    )  # fmt: skip
    return (
        f'<table class="facts{" stack" if stack else ""}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
    )


_LINE_BREAKS = str.maketrans({"\r": " ", "\n": " "})


def html_block(markup: str) -> None:
    """Markup this module or a page built, with every text from a file already passed through ``esc``. Streamlit
    reads it as Markdown holding HTML, and a blank line ends an HTML block: what followed it (a title from a file
    with an empty line in it) would be read as Markdown, links and images included. Line breaks are spaces in HTML
    (no markup here keeps them: no <pre>), so they are made spaces and the whole markup stays one HTML block."""
    st.markdown(markup.translate(_LINE_BREAKS), unsafe_allow_html=True)


def unless_empty(frame, message_key: str):
    """``frame`` as it is; when it has no rows, the page says ``message_key`` in an info box and stops there."""
    if frame.empty:
        st.info(tr(message_key))
        st.stop()
    return frame


def page_header(title: str, browser_title: str | None = None) -> None:
    """Browser title, the sidebar (menu keeping the language, language switch, data date), banner, title."""
    st.set_page_config(page_title=f"{browser_title or title} · {tr('app.name')}", layout="wide")
    html_list(CSS, key="page-css")
    if embedded():
        html_list(EMBED_CSS, key="embed-css")
    else:
        _sidebar()
        problems_banner()
    st.title(plain(title))  # titles come from files: shown as written, never as Markdown


def _sidebar() -> None:
    with st.sidebar:
        st.markdown(f"**{tr('app.name')}**")
        extra = {"lang": lang()} if lang() != DEFAULT else {}
        for spec in PAGES:
            if spec.in_menu:
                st.page_link(spec.script, label=tr(spec.title_key), icon=spec.icon, query_params=extra)
        st.divider()
        chosen = st.segmented_control(
            "Language / 语言", options=list(LANGUAGES), format_func=LANGUAGES.get, default=lang(), key="url_lang"
        )
        if chosen and chosen != lang():
            if chosen == DEFAULT:
                del st.query_params["lang"]
            else:
                st.query_params["lang"] = chosen
            st.rerun()
        info = cached.meta()
        built = info.get("built_at", "")[:16].replace("T", " ")
        st.caption(tr("app.built", built=built))
        st.caption(tr("app.as_of", date=cached.today().isoformat()))


def problems_banner() -> None:
    """Every page says when files could not be read, and where to look."""
    target_files, data_files = cached.broken_files()
    if not target_files and not data_files:
        return
    html_block(
        f'<div class="problems-banner" role="alert" style="border-left:5px solid #9a6700;background:#fff8c5;'
        f'padding:0.5rem 0.8rem;margin-bottom:0.6rem;color:#24292f">'
        f"{esc(tr('banner.problems', targets=len(target_files), data=len(data_files)))} "
        f'<a href="{esc(page_url("data-quality"))}" target="_self">{esc(tr("banner.see"))}</a></div>'
    )


def url_choice(label: str, options: list, param: str, format_func=str, container=st, default=None, **kwargs):
    """A selectbox whose choice lives in the URL as ?param=<option> (ids, not labels), both ways."""
    asked = st.query_params.get(param)
    fallback = options.index(default) if default in options else 0
    index = options.index(asked) if asked in options else fallback
    choice = container.selectbox(label, options, index=index, format_func=format_func, key=f"url_{param}", **kwargs)
    if choice is not None and st.query_params.get(param) != str(choice):
        st.query_params[param] = str(choice)
    return choice


def url_values(options: list, param: str) -> list:
    """The options the URL chooses as ?param=a&param=b, in the options' order (unknown values left out)."""
    asked = set(st.query_params.get_all(param))
    return [o for o in options if str(o) in asked]


def url_multi(label: str, options: list, param: str, format_func=str, container=st) -> list:
    """A multiselect whose choices live in the URL as ?param=a&param=b, both ways."""
    default = url_values(options, param)
    chosen = container.multiselect(label, options, default=default, format_func=format_func, key=f"url_{param}")
    if [str(c) for c in chosen] != st.query_params.get_all(param):
        if chosen:
            st.query_params[param] = [str(c) for c in chosen]
        elif param in st.query_params:
            del st.query_params[param]
    return chosen


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@st.cache_resource(show_spinner=False, max_entries=16)
def _table_files(key: tuple, sheet: str, _frame: pd.DataFrame) -> tuple[bytes, bytes]:
    return to_csv(_frame), to_excel(_frame, sheet)


def download_buttons(cells, labels: tuple[str, str], key: tuple, frame: pd.DataFrame, name: str, ids: tuple[str, str]):
    """A table's CSV and Excel buttons in two cells. Both files come with the page: written once per ``key`` (the
    data version and whatever chose the rows and their headings: language, filters, indicator) and shared by every
    session (bytes: only read), so that a click is a plain download of a file the server already holds and sends
    the server no message. A file written on click (a deferred download) asks the server over the page's
    connection, and Streamlit drops the answer when a rerun of the session starts at that moment: the button then
    stays grey and no file comes (docs/reliability.md). A click reruns nothing (``on_click="ignore"``)."""
    csv_file, excel_file = _table_files(key, name, frame)
    cells[0].download_button(labels[0], csv_file, f"{name}.csv", "text/csv", key=ids[0], on_click="ignore")
    cells[1].download_button(labels[1], excel_file, f"{name}.xlsx", XLSX, key=ids[1], on_click="ignore")
