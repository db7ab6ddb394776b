"""Every escaping sink against hostile text: what a reader sees is the text as written, and nothing live.

The GitHub comment is rendered with markdown-it-py in its GitHub Flavored Markdown mode (tables,
strikethrough, autolinked bare addresses); Streamlit's Markdown with the same CommonMark parser.
"""

from __future__ import annotations

import csv
import html
import io
import re

import openpyxl
import pandas as pd
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from tracker import escape
from tracker.exports import to_csv, to_excel
from tracker.problems import error

HOSTILE = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "![x](https://evil.example/p.png)",
    "[click](javascript:alert(1))", "[ok](https://evil.example)", "https://evil.example/login", "www.evil.example",
    "mail me: a@evil.example", "@octocat", "@github/security-team", "#12", "title\r## ✅ All checks passed",
    "a | b | c", "`code` and ``more``", "**bold** _it_ ~~gone~~", "=HYPERLINK(\"https://evil\",\"x\")",
    "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tTAB", "::error file=x::forged", "100%\n::warning::x",
    ":red[alarm] :material/warning: $x^2$", "&lt;b&gt; &amp;", "\u202eevil\u202c", "line1\u2028line2",
    "<!-- hidden -->", "> quote", "1. list", "- item", "---", "| --- |", "\\", "\\|", "\x00\x1b[31m",
]  # fmt: skip
hostile_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.lists(st.sampled_from(list("<>[]()!@#|`*_~:=+-/\\\r\n\t &;.w%,\"'$") + ["https://", "www.", "ab", "x.org"]),
             max_size=20).map("".join),
    st.text(max_size=30),
)  # fmt: skip

GFM = MarkdownIt("gfm-like", {"linkify": True})


def _visible(text: str) -> str:
    """What a reader sees of text that went through a sink: line breaks as spaces, controls dropped."""
    text = re.sub(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+", " ", text).replace("\t", " ").replace(escape.WORD_JOINER, "")
    return "".join(
        c
        for c in text
        if not (ord(c) < 32 or c == "\x7f" or 0x80 <= ord(c) < 0xA0 or c in "\u202a\u202b\u202c\u202d\u202e")
    )


def _rendered_text(rendered: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", rendered)).replace(escape.WORD_JOINER, "")


def _tags(rendered: str) -> set[str]:
    return {m.lower() for m in re.findall(r"<\s*([a-zA-Z0-9]+)", rendered)}


@given(hostile_text)
def test_html_text_shows_as_written(text):
    out = escape.html_text(text)
    assert "<" not in out and ">" not in out and '"' not in out and "'" not in out
    assert html.unescape(out) == "".join(c for c in text if c not in escape.BIDI_CONTROLS)


# Plotly's own decoding of chart text (plotly.js svg_text_utils convertEntities): numeric references and
# these named ones only; anything else stays as written.
_PLOTLY_NAMED = {"mu": "\u03bc", "amp": "&", "lt": "<", "gt": ">", "nbsp": "\xa0", "times": "\xd7", "plusmn": "\xb1",
                 "deg": "\xb0"}  # fmt: skip


def _plotly_shows(text: str) -> str:
    def one(m: re.Match) -> str:
        ref = m.group(1)
        if ref.startswith("#"):
            return chr(int(ref[2:], 16) if ref[1:2] == "x" else int(ref[1:]))
        return _PLOTLY_NAMED.get(ref, m.group(0))

    return re.sub(r"&(#\d+|#x[\da-fA-F]+|[a-z]+);", one, text)


@given(hostile_text)
@example("\u202eevil\u202c")  # an override that reversed the rest of a line: dropped, as in HTML
def test_plotly_text_shows_as_written_in_a_chart(text):
    out = escape.plotly_text(text)
    assert "<" not in out and ">" not in out  # no tag Plotly would read (<a>, <b>, <br>)
    # what the chart shows (html_text's &quot; showed as "&quot;"), without the bidi controls html_text drops
    assert _plotly_shows(out) == "".join(c for c in text if c not in escape.BIDI_CONTROLS)
    assert _plotly_shows(escape.html_text('the "intelligent connection" of everything')) != (
        'the "intelligent connection" of everything'
    )


@given(st.lists(st.one_of(hostile_text, st.none(), st.just(float("nan")), st.just("a\x00<b>"))))
def test_a_column_of_chart_text_is_escaped_as_each_text_alone(texts):
    assert escape.plotly_texts(texts) == [escape.plotly_text(text) for text in texts]


@given(hostile_text, hostile_text)
def test_html_link_only_for_http_addresses(url, label):
    out = escape.html_link(url, label)
    if escape.is_http_url(url):
        assert out.startswith('<a href="') and out.count("<a ") == 1
    else:
        assert out == escape.html_text(label)


@given(hostile_text)
def test_streamlit_markdown_shows_the_text_and_nothing_live(text):
    rendered = GFM.render(escape.markdown_text(text))
    assert _tags(rendered) <= {"p"}, rendered
    assert _rendered_text(rendered).strip() == _visible(text).strip()
    # Streamlit's own directives are escaped too: no ":red[" or "$" survives unescaped.
    assert not re.search(r"(?<!\\):[a-z]+\[", escape.markdown_text(text))


@given(hostile_text, hostile_text)
def test_github_table_cell_cannot_break_out_or_link(title, note):
    table = f"| title | note |\n| --- | --- |\n| {escape.github_text(title)} | {escape.github_text(note)} |\n"
    rendered = GFM.render(table)
    assert _tags(rendered) <= {"table", "thead", "tbody", "tr", "th", "td"}, rendered
    assert rendered.count("<tr>") == 2, rendered  # one header row, one body row: no forged rows
    assert rendered.count("<td>") == 2
    cells = re.findall(r"<td>(.*?)</td>", rendered, re.S)
    assert [_rendered_text(c).strip() for c in cells] == [_visible(title).strip(), _visible(note).strip()]


@given(hostile_text)
def test_github_text_defangs_mentions_and_references(text):
    out = _rendered_text(GFM.render(escape.github_text(text)))
    raw = GFM.render(escape.github_text(text))
    # GitHub links @name and #12 on the rendered text; a word joiner follows every @ and #.
    assert not re.search(r"[@#][A-Za-z0-9]", html.unescape(re.sub(r"<[^>]+>", "", raw)))
    assert out.strip() == _visible(text).strip()


@given(hostile_text)
def test_github_code_span_holds_any_backticks(text):
    rendered = GFM.render(f"| x |\n| --- |\n| {escape.github_code(text)} |\n")
    cells = re.findall(r"<td>(.*?)</td>", rendered, re.S)
    assert len(cells) == 1
    if _visible(text).strip():
        assert _tags(cells[0]) == {"code"}, rendered
        inner = html.unescape(re.sub(r"</?code>", "", cells[0]))
        assert inner.strip() == _visible(text).strip()


def _parse_workflow_command(line: str) -> tuple[str, dict[str, str], str]:
    """Parse as the GitHub Actions runner does: ``::name k=v,k=v::data`` with %-decoding."""
    assert line.startswith("::")
    head, data = line[2:].split("::", 1)
    name, _, props = head.partition(" ")

    def decode(s: str) -> str:
        return s.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")

    fields = dict(p.split("=", 1) for p in props.split(",") if p)
    return name, {k: decode(v) for k, v in fields.items()}, decode(data)


@given(st.text(alphabet=st.sampled_from(list("ab:,=%\r\n#@ ")), min_size=1, max_size=20), hostile_text)
def test_workflow_commands_cannot_be_forged_by_file_names_or_messages(name, message):
    line = error(f"targets/{name}.yaml", 3, 4, message or "x").github()
    assert "\n" not in line and "\r" not in line
    command, props, data = _parse_workflow_command(line)
    assert command == "error"
    assert set(props) == {"file", "line", "col"}
    assert props["file"].endswith(f"targets/{name}.yaml")
    assert (props["line"], props["col"]) == ("3", "4")
    assert data == (message or "x")


def _cell_text(text: str) -> str:
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", text)


@given(st.lists(hostile_text, min_size=1, max_size=5))
def test_spreadsheet_cells_never_start_a_formula(texts):
    frame = pd.DataFrame({"title": texts, "value": list(range(len(texts)))})
    rows = list(csv.reader(io.StringIO(to_csv(frame).decode("utf-8-sig"), newline="")))
    for cell, text in zip([r[0] for r in rows[1:]], texts, strict=False):
        assert not cell.startswith(escape.FORMULA_START) or cell in escape.SIGN_CODES
        assert cell in (_cell_text(text), "'" + _cell_text(text))
    sheet = openpyxl.load_workbook(io.BytesIO(to_excel(frame))).active
    for (cell,), text in zip(sheet.iter_rows(min_row=2, max_col=1), texts, strict=True):
        assert cell.data_type != "f"
        # XML has no U+FFFE or U+FFFF (the .xlsx drops them, the CSV keeps them), and stores a carriage return as a
        # line feed
        expected = _cell_text(text).replace("\ufffe", "").replace("\uffff", "")
        expected = expected.replace("\r\n", "\n").replace("\r", "\n")
        if expected:
            assert cell.value in (expected, "'" + expected)
        else:
            assert cell.value is None


@pytest.mark.parametrize(
    ("url", "ok"),
    [("https://www.miit.gov.cn/a.html", True), ("HTTPS://EXAMPLE.ORG", True), ("http://x", True),
     ("http://", False), ("https:///path", False), ("javascript:alert(1)", False), ("ftp://x", False),
     ("https://evil.example@miit.gov.cn", False), ("https://a b", False), ('https://x/"><script>', False),
     (" https://x", False), ("data:text/html,x", False), (None, False), (42, False)],
)  # fmt: skip
def test_one_link_rule(url, ok):
    assert escape.is_http_url(url) is ok
    assert (escape.markdown_link("doc", url) != "doc") is ok


def test_markdown_link_keeps_the_address_inside_the_link():
    rendered = GFM.render(escape.markdown_link("the [notice]", "https://example.org/a_(b)?q=1"))
    assert rendered == '<p><a href="https://example.org/a_%28b%29?q=1">the [notice]</a></p>\n'


@given(st.lists(st.one_of(hostile_text, st.none(), st.floats(allow_nan=True), st.integers()), max_size=8))
def test_a_spreadsheet_column_is_neutralised_as_its_cells_are(values):
    assert escape.spreadsheet_column(values) == [escape.spreadsheet_cell(v) for v in values]


def test_a_clean_spreadsheet_column_is_left_as_it_is():
    column = ["plain", "a\n=not at the start of the cell", None, 1.5]
    assert escape.spreadsheet_column(column) == column
    assert escape.spreadsheet_column(["ok", "=1+1", "\x07bell"]) == ["ok", "'=1+1", "bell"]


@pytest.mark.parametrize("code", ["=", "=="])
def test_a_qualifier_or_comparator_code_is_kept_and_a_formula_is_not(code):
    """The qualifier "=" and the comparator "==" hold nothing a spreadsheet could run; with an apostrophe every
    program reading the open data would get '= instead of the code. Anything more after them is escaped."""
    assert escape.spreadsheet_cell(code) == code
    assert escape.spreadsheet_column([code, "ok"]) == [code, "ok"]
    for text in (code + "1", code + " ", code + "+1", code + "A1", code + "=="):
        assert escape.spreadsheet_cell(text) == "'" + text
    assert [escape.spreadsheet_cell(text) for text in ("'" + code, " " + code)] == ["'" + code, " " + code]


def test_the_open_datas_sql_neutralises_cells_as_the_python_rule_does():
    import duckdb

    from tracker.report.opendata import _cell_sql, _cleaned_sql

    texts = [
        "=",
        "==",
        "=1+1",
        "===",
        "= ",
        ">=",
        "<=",
        "~",
        "-2",
        "+1",
        "@SUM(A1)",
        "\tx",
        "ok",
        "中文",
        "'=",
        "",
        "\x01=1+1",
        "=\x01",
        "a\x07b\x1f",
        "\x0b+1",
        "=\t",
    ]
    con = duckdb.connect()
    try:
        con.execute("CREATE TABLE t (v VARCHAR)")
        con.executemany("INSERT INTO t VALUES (?)", [[t] for t in texts] + [[None]])
        written = [
            v for (v,) in con.execute(f"SELECT {_cell_sql('v')} FROM (SELECT {_cleaned_sql('v')} FROM t)").fetchall()
        ]  # noqa: S608
    finally:
        con.close()
    assert written == [escape.spreadsheet_cell(t) for t in texts] + [None]


@pytest.mark.parametrize(
    ("text", "limit", "shown"),
    [("short", 10, "short"), ("abcdef", 4, "abc…"),
     ("ab\U0001f469\u200d\U0001f4bbcd", 5, "ab\U0001f469…"),  # woman, joiner, laptop: cut after the joiner
     ("ab\U0001f1e8\U0001f1f3cd", 4, "ab…"),  # the flag's first letter alone goes
     ("ab\U0001f1e8\U0001f1f3cd", 5, "ab\U0001f1e8\U0001f1f3…")],
)  # fmt: skip
def test_a_shortened_text_never_ends_in_half_an_emoji_or_half_a_flag(text, limit, shown):
    """Every cut for a reader (GitHub comment texts and code spans, the app's short labels) goes through one
    function, the Excel cell's cut too (tracker.exports)."""
    from tracker.escape import github_code, shortened

    assert shortened(text, limit) == shown
    assert github_code(text, limit).strip("`").strip() == shown


def test_a_bidi_override_left_open_cannot_reverse_the_rest_of_a_line():
    """An open right-to-left override in a publisher made the source line after it read backwards on a page
    (2025-11 as 11-5202): HTML and chart text drop embeddings, overrides and isolates, as Markdown does."""
    hostile = "局计统家国\u202e (2025-11)\u2067x\u2069"
    for out in (escape.html_text(hostile), escape.plotly_text(hostile), escape.plotly_texts([hostile, "b"])[0],
                escape.markdown_text(hostile)):  # fmt: skip
        assert not set(out) & set(escape.BIDI_CONTROLS), out
    assert escape.html_text(hostile) == "局计统家国 (2025-11)x"
    assert escape.html_text("a\u200fb") == "a\u200fb"  # a mark reorders nothing: kept


def test_a_part_kept_whole_is_escaped_and_put_where_its_mark_is():
    """html_with_whole: each NUL of the text takes the next part, escaped and in a nowrap span; the rest escaped."""
    from tracker.escape import html_with_whole

    assert html_with_whole("≥ 8% & more, \x00 (\x00)", "end-2025", "<b>2021-03-12</b>") == (
        '≥ 8% &amp; more, <span class="nowrap">end-2025</span> (<span class="nowrap">&lt;b&gt;2021-03-12&lt;/b&gt;'
        "</span>)"
    )
    assert html_with_whole("no mark") == "no mark"
    for text, parts in (("no mark", ("end-2025",)), ("a \x00 b \x00", ("x",)), ("a \x00", ("x\x00y",))):
        with pytest.raises(ValueError, match="marks for"):
            html_with_whole(text, *parts)  # a date lost, or put in the wrong place
