"""One escaping per sink, and the one rule for what counts as a link.

Text from the files (titles, notes, units, file names) reaches other people's
screens through several sinks, and each has its own way of turning text into
something live: HTML tags, Markdown links and images, GitHub @mentions and
autolinks, GitHub Actions workflow commands, spreadsheet formulas. Every sink
has exactly one function here; nothing else in the project escapes.

- :func:`html_text`: HTML (the static report); :func:`plotly_text` and :func:`plotly_texts`: chart text.
- :func:`markdown_text`: Streamlit Markdown (``st.markdown``, ``st.title``).
- :func:`github_text`, :func:`github_code`: a pull-request comment (GitHub Flavored Markdown).
- :func:`workflow_data`, :func:`workflow_property`: GitHub Actions workflow commands.
- :func:`spreadsheet_cell`: CSV and Excel cells (formula injection).
- :func:`is_http_url`: the only rule for "this address may become a link".
"""

from __future__ import annotations

import html
import math
import re
import string
import unicodedata

HTTP_URL_PATTERN = r"(?i:https?)://[^\s/?#\\@<>\"'`]+([/?#][^\s<>\"'`\\]*)?"
"""An http(s) address with a host and nothing that could break out of an attribute or a Markdown link.

Written so that Python's ``re`` and DuckDB's RE2 read it alike (``loaders.rows`` uses it in SQL)."""
_HTTP_URL = re.compile(HTTP_URL_PATTERN)
_PUNCTUATION = frozenset(string.punctuation)
# Characters that end a line for some Markdown parser or terminal: they would let a title
# start a new table row, heading or list item.
_LINE_BREAKS = re.compile(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
"""First characters that make Excel, LibreOffice or Google Sheets read a cell as a formula."""
SIGN_CODES = frozenset(("=", "=="))
"""The catalogue's codes that start like a formula: the qualifier "=" (a figure as published) and the comparator
"==". A cell of nothing else is kept as it is: there is no function, reference or link in it for a spreadsheet to
run, and an apostrophe would make the open data's code '= for every program that reads it."""
WORD_JOINER = "\u2060"
XLSX_ILLEGAL_PATTERN = r"[\x00-\x08\x0b\x0c\x0e-\x1f]"
"""Control characters an .xlsx file cannot store, dropped from every spreadsheet cell; written so that Python's
``re`` and DuckDB's RE2 read it alike (the open data's SQL applies the same rule)."""
_XLSX_ILLEGAL = re.compile(XLSX_ILLEGAL_PATTERN)
_XLSX_ILLEGAL_BYTES = bytes(c for c in range(32) if chr(c) not in "\t\n\r")
"""The characters of ``_XLSX_ILLEGAL`` as bytes: in UTF-8 they only ever stand for themselves."""


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return ""
    except ImportError:  # pragma: no cover - pandas is a requirement
        pass
    return str(value)


def _without_controls(text: str) -> str:
    """Line breaks become spaces; other control characters (bidi overrides, NUL, ESC) are dropped."""
    text = _LINE_BREAKS.sub(" ", text)
    kept = (c for c in text if c == "\t" or not (unicodedata.category(c) == "Cc" or c in BIDI_CONTROLS))
    return "".join(kept).replace("\t", " ")


def is_http_url(value: object) -> bool:
    """True only for an http(s) address with a host (any letter case), with no spaces or quotes."""
    return isinstance(value, str) and _HTTP_URL.fullmatch(value) is not None


BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
"""Embeddings, overrides and isolates: one left open in a file's text reversed the rest of its line on a page
(a source line's 2025-11 read 11-5202). Marks (U+200E, U+200F), which reorder nothing around them, stay."""
_NO_BIDI = dict.fromkeys(map(ord, BIDI_CONTROLS))
_HTML_SPECIAL = re.compile(f"[&<>\"'{BIDI_CONTROLS}]")


def html_text(value: object) -> str:
    """Text for HTML content or a quoted attribute: shows as written, never as markup, and never reorders the text
    after it (its bidi embeddings, overrides and isolates are dropped)."""
    if type(value) is str:  # the common case, called for every cell of every page: no conversion, and no
        if not _HTML_SPECIAL.search(value):  # copy when nothing to escape
            return value
        return html.escape(value.translate(_NO_BIDI), quote=True)
    return html.escape(_text(value).translate(_NO_BIDI), quote=True)


ITEM_SEPARATOR = "\u00a0· "
"""Between items on one line of HTML: the dot stays at the end of a line when the line breaks, never starts one."""


def html_with_whole(text: str, *parts: str) -> str:
    """``text`` (with a NUL where each part goes, in order) as HTML, with each of ``parts`` kept on one line (class
    ``nowrap``, which the app's and the site's stylesheets both define): a date or a deadline is never broken at its
    hyphens (a phone wrapped "end-/2025" and "2021-03-/12"). Every text is escaped (html_text). A text whose marks
    do not match its parts one for one, or a part holding a mark, is refused (ValueError): a date would go missing or
    land in the wrong place (the catalogue's texts hold no control character: tracker.model)."""
    pieces = text.split("\x00")
    if len(pieces) != len(parts) + 1 or any("\x00" in part for part in parts):
        raise ValueError(f"{len(pieces) - 1} marks for {len(parts)} parts in {text!r}")
    kept = [f'<span class="nowrap">{html_text(part)}</span>' for part in parts]
    return "".join(html_text(piece) + (kept[n] if n < len(kept) else "") for n, piece in enumerate(pieces))


def plotly_text(value: object) -> str:
    """Text for a Plotly chart's labels, names, titles and hover text, which Plotly reads as a small HTML: shown
    as written, never as markup. Plotly decodes numeric references and only a few named ones (``&amp;``, ``&lt;``,
    ``&gt;``, not ``&quot;``), so a double quote is written as ``&#34;``: as ``&quot;`` it showed as such."""
    return html_text(value).replace("&quot;", "&#34;")


def plotly_texts(values: list[object]) -> list[str]:
    """:func:`plotly_text` of each value of a column (a chart's hover lines): the column is escaped as one string,
    cut where the texts were joined. Escaping goes character by character and never writes the joining character,
    so each piece is its text escaped; a column in which a text holds that character is escaped text by text."""
    values = [value if type(value) is str else _text(value) for value in values]
    joined = "\x00".join(values)
    if joined.count("\x00") != max(len(values) - 1, 0):
        return [plotly_text(value) for value in values]
    return plotly_text(joined).split("\x00") if values else []


def html_link(url: object, label: object, *, new_tab: bool = False) -> str:
    """An HTML link when ``url`` passes :func:`is_http_url`; otherwise the label as plain text."""
    if is_http_url(url):
        target = ' target="_blank"' if new_tab else ""
        return f'<a href="{html_text(url)}"{target} rel="noopener noreferrer nofollow">{html_text(label)}</a>'
    return html_text(label)


def _backslash_punctuation(text: str) -> str:
    # CommonMark lets a backslash escape every ASCII punctuation character, and an escaped
    # character can start nothing: no link, image, emphasis, HTML, heading, table cell, autolink.
    return "".join("\\" + c if c in _PUNCTUATION else c for c in text)


def markdown_text(value: object) -> str:
    """Text for Streamlit's Markdown (``st.markdown``, titles, captions): shows as written on one line.

    Besides CommonMark, Streamlit reads ``:red[...]`` colour directives, ``:material/x:``
    icons and ``$...$`` formulas; they all start with punctuation, which is escaped.
    """
    # Leading spaces would make an indented code block of a paragraph.
    return _backslash_punctuation(_without_controls(_text(value)).lstrip())


def markdown_link(label: object, url: object) -> str:
    """A Streamlit Markdown link when ``url`` passes :func:`is_http_url`; otherwise the label only."""
    if not is_http_url(url):
        return markdown_text(label)
    target = str(url).replace("(", "%28").replace(")", "%29")
    return f"[{markdown_text(label)}](<{target}>)"


_ZWJ = "\u200d"
_FLAG_LETTERS = "".join(map(chr, range(0x1F1E6, 0x1F200)))
"""The regional indicator letters: two of them make one flag."""


def whole_end(text: str) -> str:
    """``text`` cut where a cut had split one drawn character: a joiner left with nothing after it (an emoji
    sequence such as woman, joiner, laptop cut after the joiner) goes, and so does the first half of a flag
    (one regional letter of a pair). A base character kept without its modifier is whole, and stays."""
    text = text.rstrip(_ZWJ)
    letters = len(text) - len(text.rstrip(_FLAG_LETTERS))
    return text[:-1] if letters % 2 else text


def shortened(text: str, limit: int) -> str:
    """``text`` if it has at most ``limit`` characters, else its first ``limit - 1`` with "…" after them, never
    ending in half an emoji sequence or half a flag (:func:`whole_end`): every cut of a text for a reader's eyes."""
    return text if len(text) <= limit else whole_end(text[: max(limit - 1, 0)]) + "…"


def github_text(value: object, limit: int | None = None) -> str:
    """Text for a GitHub comment (GitHub Flavored Markdown), also inside a table cell.

    Escaped punctuation starts no link, image, HTML or autolink (``https\\://``,
    ``www\\.``), and a word joiner after ``@`` and ``#`` keeps GitHub from turning
    ``@someone``, ``@org/team`` or ``#12`` into a mention or a reference.
    """
    text = _without_controls(_text(value)).lstrip()  # leading spaces would start a code block
    if limit is not None:
        text = shortened(text, limit)
    text = _backslash_punctuation(text)
    return text.replace("\\@", "\\@" + WORD_JOINER).replace("\\#", "\\#" + WORD_JOINER)


def github_code(value: object, limit: int | None = None) -> str:
    """Text as an inline code span in a GitHub comment, however many backticks it holds.

    Inside a table, GitHub splits cells at ``|`` even in code, so it is escaped there too
    (GitHub Flavored Markdown removes that backslash)."""
    text = _without_controls(_text(value))
    if limit is not None:
        text = shortened(text, limit)
    text = text.replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def workflow_data(value: object) -> str:
    """The message part of a GitHub Actions workflow command (after the second ``::``)."""
    return _text(value).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def workflow_property(value: object) -> str:
    """A property value of a workflow command (``file=...``): also ``:`` and ``,`` are encoded."""
    return workflow_data(value).replace(":", "%3A").replace(",", "%2C")


def spreadsheet_cell(value: object) -> object:
    """A cell for CSV or Excel output: text that a spreadsheet would run as a formula gets a
    leading apostrophe (OWASP's advice); numbers, dates, other text and the codes of ``SIGN_CODES`` are left as
    they are."""
    if not isinstance(value, str):
        return value
    # Control characters other than tab and line breaks cannot be stored in an .xlsx file.
    value = _XLSX_ILLEGAL.sub("", value)
    return "'" + value if value.startswith(FORMULA_START) and value not in SIGN_CODES else value


def spreadsheet_column(values: list[object]) -> list[object]:
    """``spreadsheet_cell`` over a whole column: one look at the column's text for characters a
    spreadsheet cannot store or a cell that starts like a formula; only then is each cell looked at."""
    texts = [v for v in values if isinstance(v, str) and v]  # empty cells need nothing
    if not texts:
        return values
    # The column's text as UTF-8 loses no byte to deleting the characters a spreadsheet cannot store (a
    # multi-byte character never holds one of those bytes), and no cell starts like a formula: then every
    # cell stays as it is. Both checks run in C over the whole column (a regular expression over a column
    # of 100,000 sentences took about ten times as long).
    data = "".join(texts).encode("utf-8", "surrogatepass")
    firsts = "".join([v[0] for v in texts])
    if len(data.translate(None, _XLSX_ILLEGAL_BYTES)) == len(data) and not any(c in firsts for c in FORMULA_START):
        return values
    return [spreadsheet_cell(v) for v in values]
