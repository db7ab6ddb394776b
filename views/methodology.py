"""Methodology: how statuses, scores and projections are computed, from the constants the code uses."""

import streamlit as st

from tracker import assess as A
from tracker.i18n import has
from tracker.scorecard import KINDS, status_rules
from views import widgets as ui

ui.page_header(ui.tr("method.title"), ui.tr("page.methodology"))
st.markdown(ui.tr("method.intro"))
st.markdown(ui.tr("method.kinds"))
ui.html_block(ui.facts_table([ui.tr("col.kind"), ui.tr("method.meaning")],
                       [[ui.esc(ui.tr(f"kind.{k}")), ui.esc(ui.tr(f"method.kind_{k}"))] for k in KINDS]))  # fmt: skip
st.markdown(ui.tr("method.methods"))


def _catalogued(key: str, fallback: str) -> str:
    """A method's name or description from the catalogue; a method added to the registry without strings
    shows its own (English) ones."""
    return ui.tr(key) if has(key, ui.lang()) else fallback


ui.html_block(ui.facts_table([ui.tr("method.method"), ui.tr("method.formula")],
                       [[ui.esc(_catalogued(f"method.{m.name}", m.name)),
                         ui.esc(_catalogued(f"method.describe_{m.name}", m.description))]
                        for m in A.METHODS.values()], stack=False))  # fmt: skip
ui.html_block(ui.facts_table(
    [ui.tr("col.status"), ui.tr("method.rule"), ui.tr("col.score")],
    [[ui.status_badge(s), ui.esc(rule), ui.esc(score)] for s, rule, score in status_rules(ui.lang())]))  # fmt: skip
st.markdown(ui.tr("method.score", low=f"{A.SCORE_MIN:+.0f}", high=f"{A.SCORE_MAX:+.0f}", acc=A.ACCELERATION,
               up=f"{A.SCORE_UPPER_SLOPE:.4f}", down=f"{A.SCORE_LOWER_SLOPE:.4f}"))  # fmt: skip
st.markdown(ui.tr("method.base"))
st.markdown(ui.tr("method.projection", points=A.FIT_POINTS, years=f"{A.RECENCY_YEARS:g}",
               level=f"{A.PROJECTION_LEVEL:.0%}"))  # fmt: skip
st.markdown(ui.tr("method.sources"))
