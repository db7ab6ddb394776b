"""The site's scorecard, in pages: the index shows the counts, the targets that need attention, and the
first SCORECARD_ROWS rows of the scorecard; scorecard-2.html, scorecard-3.html, ... hold the next rows, in
the app's order (most urgent first). Every page links to the previous, the next and every numbered page,
with plain relative links (no JavaScript), so that no page grows with the catalogue.
"""

from __future__ import annotations

import pandas as pd

from tracker.i18n import t
from tracker.report.html import esc, status_badge, table
from tracker.report.pages import SiteData, built_line, counts_sentence
from tracker.scorecard import no_attention_note, scorecard_heading, status_counts
from tracker.target_card import repeated_goals_note

SCORECARD_ROWS = 100
"""Rows of the scorecard on one page (as many as the app's overview draws at once)."""

_COLUMNS = ("target_title", "kind", "status", "latest", "target", "deadline", "time_left", "projected", "policy")


def scorecard_file(number: int) -> str:
    """The file of the scorecard's page ``number`` (from 1), in the language's folder."""
    return "index.html" if number == 1 else f"scorecard-{number}.html"


def _span(number: int, total: int) -> str:
    """'101–200': the rows on page ``number``, numbered as the app's "Rows shown" choice numbers them."""
    return f"{(number - 1) * SCORECARD_ROWS + 1:,}–{min(number * SCORECARD_ROWS, total):,}"


def _status(r, lang: str) -> str:
    """The status, and under it the note of its row: the trend up to a passed deadline, an out-of-date figure."""
    note = f'<br><small class="muted">{esc(r.status_note)}</small>' if r.status_note else ""
    return status_badge(r.status, lang) + note


def _rows_table(rows: pd.DataFrame, lang: str, css: str) -> str:
    cells = [[f'<a href="targets/{esc(r.id)}.html">{esc(r.title)}</a>', esc(r.kind_label),
              _status(r, lang),
              esc(r.latest or t("overview.no_figure", lang)), esc(r.goal), esc(r.due),
              esc(r.time_left), esc(r.projected),
              f'<a href="policies/{esc(r.policy_id)}.html">{esc(r.policy_label)}</a>']
             for r in rows.itertuples(index=False)]  # fmt: skip
    return table([t(f"col.{c}", lang) for c in _COLUMNS], cells, css)


def _pager(number: int, pages: int, total: int, lang: str) -> str:
    """Links to the previous, every numbered and the next page of the scorecard; '' when it has one page."""
    if pages <= 1:
        return ""
    items = []
    if number > 1:
        items.append(f'<a href="{scorecard_file(number - 1)}" rel="prev">← {esc(t("site.previous", lang))}</a>')
    for n in range(1, pages + 1):
        span = _span(n, total)
        items.append(
            f'<a href="{scorecard_file(n)}">{span}</a>' if n != number else f'<b aria-current="page">{span}</b>'
        )
    if number < pages:
        items.append(f'<a href="{scorecard_file(number + 1)}" rel="next">{esc(t("site.next", lang))} →</a>')
    return f'<p class="pager"><span class="muted">{esc(t("overview.rows", lang))}:</span> {" ".join(items)}</p>'


def _attention(card: pd.DataFrame, lang: str) -> str:
    """The overview's "Needs attention" (judged, behind pace, deadline to come), the first SCORECARD_ROWS of them."""
    at_risk = card[card["attention"]]
    if card.empty:
        return ""
    if at_risk.empty:  # said, so that an empty list reads as looked at, not as left out
        note = esc(no_attention_note(card, lang, "site.attention_none_passed"))
        return f'<h2>{esc(t("overview.attention", lang))}</h2><p class="muted" id="no-attention">{note}</p>'
    more = ""
    if len(at_risk) > SCORECARD_ROWS:
        text = t("site.attention_more", lang, shown=f"{SCORECARD_ROWS:,}", total=f"{len(at_risk):,}")
        more = f'<p class="muted">{esc(text)}</p>'
    return (f"<h2>{esc(t('overview.attention', lang))}</h2>"
            f"{_rows_table(at_risk.head(SCORECARD_ROWS), lang, 'attention')}{more}")  # fmt: skip


def _counts(card: pd.DataFrame, goals: dict[str, list[str]], lang: str) -> str:
    rows = [[esc(t(f"kind.{r.kind}", lang)), status_badge(r.status, lang), esc(r.targets)]
            for r in status_counts(card).itertuples(index=False)]  # fmt: skip
    note = repeated_goals_note(goals, lang)
    return (f"<h2>{esc(t('site.counts', lang))}</h2>"
            f"{table([t('col.kind', lang), t('col.status', lang), t('site.targets_col', lang)], rows)}"
            + (f'<p class="muted">{esc(note)}</p>' if note else ""))  # fmt: skip


def scorecard_pages(data: SiteData, lang: str) -> dict[str, str]:
    """Every page of the scorecard in ``lang``, by file name (index.html first)."""
    card = data.card(lang)
    total = len(card)
    pages = max(1, -(-total // SCORECARD_ROWS))
    heading = (
        f'<h2>{esc(scorecard_heading(total, total, lang))}</h2><p class="muted">{esc(t("overview.order", lang))}</p>'
    )
    built = built_line(data, lang)
    about = f"{t('app.as_of', lang, date=data.as_of.isoformat())} {counts_sentence(status_counts(card), lang)}"
    out = {}
    for number in range(1, pages + 1):
        rows = card.iloc[(number - 1) * SCORECARD_ROWS : number * SCORECARD_ROWS]
        pager = _pager(number, pages, total, lang)
        top = _counts(card, data.goals, lang) + _attention(card, lang) if number == 1 else ""
        body = (f"<h1>{esc(t('overview.title', lang))}</h1>{built}{top}{heading}{pager}"
                f"{_rows_table(rows, lang, 'scorecard')}{pager}")  # fmt: skip
        # Pages after the first say which rows they hold, in the browser's title and in the description.
        context = f"{t('overview.rows', lang)}: {_span(number, total)}" if number > 1 else ""
        description = about if number == 1 else f"{t('overview.title', lang)}. {context}"
        out[scorecard_file(number)] = data.page(lang, 1, scorecard_file(number), t("overview.title", lang), body,
                                                description, context=context, dated=False)  # fmt: skip
    return out
