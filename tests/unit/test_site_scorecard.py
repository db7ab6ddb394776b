"""The site's scorecard in pages: a catalogue of more targets than a page holds, every row on exactly one
page in the app's order, the counts and "needs attention" first, links between the pages that resolve
without JavaScript, and every page of the site under 200 KB."""

from __future__ import annotations

import re
import shutil
from datetime import date

import pandas as pd
import pytest

from benchmarks.synthetic import generate
from tests.conftest import _once_per_run
from tracker import queries, store
from tracker.assess import assess
from tracker.escape import html_text
from tracker.report import write_report
from tracker.report.scorecard import SCORECARD_ROWS
from tracker.scorecard import build_scorecard, no_attention_note
from tracker.status import AT_RISK

AS_OF = date(2026, 11, 29)
TARGETS = 2 * SCORECARD_ROWS + 37
# One test process runs the four tests: split over two, the second waited for the first to make the site and then
# assessed the database again for its own scorecards.
pytestmark = pytest.mark.xdist_group("site-scorecard")


@pytest.fixture(scope="module")
def paged(tmp_path_factory):
    """A synthetic catalogue of TARGETS targets (three pages of scorecard), its site and its scorecards. The
    catalogue, database and site are made once per run (by the first test process that needs them; the other
    reads them); each process assesses the database for the scorecards."""
    with _once_per_run(tmp_path_factory, "paged") as (work, made):
        if not made:
            shutil.rmtree(work, ignore_errors=True)
            generate(work / "cat", indicators=6, targets=TARGETS, rows=900, files=1)
            store.build(work / "cat" / "targets", work / "cat" / "data", work / "t.duckdb")
            con = store.connect(work / "t.duckdb")
            try:
                write_report(con, work / "out", AS_OF)
            finally:
                con.close()
            (work / ".made").touch()
    out = work / "out"
    con = store.connect(work / "t.duckdb")
    try:
        assessed, targets = assess(con, AS_OF), queries.targets(con)
    finally:
        con.close()
    cards = {lang: build_scorecard(assessed, targets, AS_OF, lang) for lang in ("en", "zh")}
    return out, cards


def _table_ids(html: str, css: str) -> list[str]:
    """The target ids linked from the rows of the page's table of class ``css``, in order."""
    tables = re.findall(rf'<table class="{css}">(.*?)</table>', html, re.S)
    return [i for body in tables for i in re.findall(r'<tr><td><a href="targets/([^"]+)\.html">', body)]


def _pagers(html: str) -> list[str]:
    return re.findall(r'<p class="pager">(.*?)</p>', html, re.S)


def test_every_row_of_the_scorecard_is_on_exactly_one_page_in_the_apps_order(paged):
    out, cards = paged
    assert len(cards["en"]) == TARGETS > SCORECARD_ROWS
    files = ["index.html", "scorecard-2.html", "scorecard-3.html"]
    for lang, card in cards.items():
        assert sorted(p.name for p in (out / lang).glob("scorecard-*.html")) == files[1:]
        pages = [(out / lang / f).read_text(encoding="utf-8") for f in files]
        rows = [_table_ids(html, "scorecard") for html in pages]
        assert [len(r) for r in rows] == [SCORECARD_ROWS, SCORECARD_ROWS, TARGETS - 2 * SCORECARD_ROWS]
        assert sum(rows, []) == list(card["id"])  # each once, most urgent first, as the app orders them
        for r in card.itertuples(index=False):
            page = pages[list(card["id"]).index(r.id) // SCORECARD_ROWS]
            assert html_text(r.title) in page and html_text(r.goal) in page, (lang, r.id)


def test_the_order_the_scorecard_states_is_the_order_of_its_rows(paged):
    """The sentence under the scorecard's heading names its groups in order and "the nearest deadline first"
    within each: read against every row of a catalogue of all statuses and kinds, on the page and in the app."""
    from tracker.i18n import t
    from tracker.status import AWAITING
    from tracker.vocabulary import JUDGED_KINDS

    out, cards = paged
    card = cards["en"]

    def group(r) -> int:  # the sentence's groups, in its order
        if r.kind not in JUDGED_KINDS:
            return 6
        if r.status in ("achieved", "missed"):
            return {"missed": 4, "achieved": 5}[r.status]
        if r.passed:
            return 3  # deadline passed without a verdict (awaiting its figure, or none at all)
        return 0 if r.status in AT_RISK else 2 if r.status == "no_data" else 1

    keys = [(group(r), r.deadline) for r in card.itertuples(index=False)]
    assert len({g for g, _ in keys}) >= 6 and any(r.status == AWAITING for r in card.itertuples())
    assert keys == sorted(keys, key=lambda k: (k[0], pd.Timestamp(k[1]) if pd.notna(k[1]) else pd.Timestamp.max))
    for lang in ("en", "zh"):
        index = (out / lang / "index.html").read_text(encoding="utf-8")
        sentence = html_text(t("overview.order", lang))
        assert index.index(sentence) < index.index('<table class="scorecard">')


def test_the_index_shows_the_counts_and_needs_attention_before_the_scorecard(paged):
    out, cards = paged
    for lang, words in (("en", ("Targets by kind and status", "Needs attention", "Scorecard: all 237 targets")),
                        ("zh", ("按类型和状态统计的目标", "需要关注", "目标列表：全部237项"))):  # fmt: skip
        card = cards[lang]
        index = (out / lang / "index.html").read_text(encoding="utf-8")
        positions = [index.index(w) for w in words]
        assert positions == sorted(positions), lang
        at_risk = card[card["attention"]]  # the app's list: judged, behind pace, deadline to come
        assert 0 < len(at_risk) <= SCORECARD_ROWS
        assert set(at_risk["status"]) <= set(AT_RISK) and not at_risk["passed"].any()
        assert _table_ids(index, "attention") == list(at_risk["id"])
        for later in ("scorecard-2.html", "scorecard-3.html"):
            page = (out / lang / later).read_text(encoding="utf-8")
            assert words[0] not in page and words[1] not in page and words[2] in page


def test_the_pages_link_to_each_other_with_relative_links_that_resolve(paged):
    out, _ = paged
    expected = {
        "index.html": (None, "scorecard-2.html", "1–100"),
        "scorecard-2.html": ("index.html", "scorecard-3.html", "101–200"),
        "scorecard-3.html": ("scorecard-2.html", None, "201–237"),
    }
    for lang, (prev_word, next_word) in (("en", ("Previous", "Next")), ("zh", ("上一页", "下一页"))):
        for file, (prev, nxt, current) in expected.items():
            html = (out / lang / file).read_text(encoding="utf-8")
            pagers = _pagers(html)
            assert len(pagers) == 2 and pagers[0] == pagers[1], (lang, file)  # above and below the rows
            pager = pagers[0]
            assert f'<b aria-current="page">{current}</b>' in pager
            links = dict(re.findall(r'<a href="([^"]+)">([^<]+)</a>', pager))
            assert links == {f: span for f, (_, _, span) in expected.items() if f != file}
            assert (f'<a href="{prev}" rel="prev">← {prev_word}</a>' in pager) == (prev is not None)
            assert (f'<a href="{nxt}" rel="next">{next_word} →</a>' in pager) == (nxt is not None)
            for ref in re.findall(r'href="([^"]+)"', html):
                if not ref.startswith(("http://", "https://", "data:")):
                    assert not ref.startswith("/") and (out / lang / ref).resolve().is_file(), (lang, file, ref)
        title = re.search(r"<title>(.*?)</title>", (out / lang / "scorecard-2.html").read_text("utf-8")).group(1)
        assert "101–200" in title, title


def test_every_page_of_the_site_is_under_200_kb(paged):
    out, _ = paged
    sizes = {p.relative_to(out).as_posix(): p.stat().st_size for p in out.rglob("*.html")}
    assert len(sizes) > 2 * TARGETS
    assert {p: s for p, s in sizes.items() if s >= 200_000} == {}


def _card(*rows: tuple[bool, bool, str]) -> pd.DataFrame:
    """Rows of (judged, passed, the status the figures give): past its deadline a judged trend's status is the
    row's trend_status, under "awaiting_final", as the assessment writes it."""
    from tracker.status import TREND_STATUSES

    waits = [judged and passed and status in TREND_STATUSES for judged, passed, status in rows]
    return pd.DataFrame({
        "judged": [r[0] for r in rows], "passed": [r[1] for r in rows],
        "status": ["awaiting_final" if w else r[2] for w, r in zip(waits, rows, strict=True)],
        "trend_status": [r[2] if w else None for w, r in zip(waits, rows, strict=True)],
    })  # fmt: skip


@pytest.mark.parametrize(
    ("rows", "en"),
    [
        ([], ""),
        ([(False, False, "not_assessed")],
         "None of the targets shown is a commitment or expectation with its deadline still to come."),
        ([(True, False, "on_track")],
         "The 1 commitment or expectation whose deadline is still to come is not judged behind pace."),
        ([(True, False, "no_data")],
         "The 1 commitment or expectation whose deadline is still to come cannot be judged yet: it has too few "
         "figures, or none."),
        ([(True, False, "no_data"), (True, False, "insufficient_data")],
         "None of the 2 commitments and expectations whose deadline is still to come can be judged yet: they have "
         "too few figures, or none."),
        ([(True, False, "on_track"), (True, False, "no_data"), (True, True, "deteriorating")],
         "None of the 2 commitments and expectations whose deadline is still to come is judged behind pace. 1 of them "
         "cannot be judged yet: it has too few figures, or none. 1 more was behind pace at its last figure, but its "
         "deadline has passed: it is listed at the end of the page, awaiting the figure for its deadline."),
        ([(True, True, "acceleration_needed"), (True, True, "limited_progress"), (True, True, "achieved")],
         "None of the targets shown is a commitment or expectation with its deadline still to come. 2 were behind "
         "pace at their last figure, but their deadline has passed: they are listed at the end of the page, awaiting "
         "the figure for their deadline."),
    ],
)  # fmt: skip
def test_an_empty_needs_attention_says_what_was_looked_at_in_words_that_agree_with_its_counts(rows, en):
    card = _card(*rows)
    assert no_attention_note(card, "en") == en
    zh = no_attention_note(card, "zh")
    assert (zh == "") == (en == "") and not re.search(r"[A-Za-z]", zh)


def test_the_sites_empty_catalogue_has_no_needs_attention():
    from tracker.report.scorecard import _attention

    assert _attention(_card().assign(attention=[]), "en") == ""
    said = _attention(_card((True, False, "on_track")).assign(attention=[False]), "en")
    assert said.startswith("<h2>Needs attention</h2>") and "is not judged behind pace" in said


def test_the_scorecards_heading_writes_large_counts_with_separators():
    from tracker.scorecard import scorecard_heading

    assert scorecard_heading(10000, 10000, "en") == "Scorecard: all 10,000 targets, most urgent first"
    assert scorecard_heading(1500, 10000, "en").startswith("Scorecard: 1,500 of 10,000 targets")
    assert "10,000" in scorecard_heading(10000, 10000, "zh")


def test_the_notes_counts_have_thousands_separators():
    card = _card(*([(True, False, "on_track")] * 1200 + [(True, False, "no_data")] * 1100
                   + [(True, True, "deteriorating")] * 1300))  # fmt: skip
    said = no_attention_note(card, "en")
    assert (
        "None of the 2,300 commitments" in said and "1,100 of them" in said and " 1,300 more were behind pace" in said
    )
