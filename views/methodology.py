"""Methodology: how statuses, scores and projections are computed, from the constants the code uses."""

import streamlit as st

from tracker import assess as A
from tracker.i18n import has
from tracker.scorecard import KINDS
from views.widgets import esc, facts_table, html_block, lang, page_header, status_badge, tr

page_header(tr("method.title"), tr("page.methodology"))
st.markdown(tr("method.intro"))
st.markdown(tr("method.kinds"))
html_block(facts_table([tr("col.kind"), tr("method.meaning")],
                       [[esc(tr(f"kind.{k}")), esc(tr(f"method.kind_{k}"))] for k in KINDS]))  # fmt: skip
st.markdown(tr("method.methods"))


def _catalogued(key: str, fallback: str) -> str:
    """A method's name or description from the catalogue; a method added to the registry without strings
    shows its own (English) ones."""
    return tr(key) if has(key, lang()) else fallback


html_block(facts_table([tr("method.method"), tr("method.formula")],
                       [[esc(_catalogued(f"method.{m.name}", m.name)),
                         esc(_catalogued(f"method.describe_{m.name}", m.description))]
                        for m in A.METHODS.values()], stack=False))  # fmt: skip
rules = {
    "achieved": tr("method.rule_achieved"),
    "on_track": f"R ≥ {A.ON_TRACK}",
    "acceleration_needed": f"{A.ACCELERATION} ≤ R < {A.ON_TRACK}",
    "limited_progress": f"{A.LIMITED} ≤ R < {A.ACCELERATION}",
    "deteriorating": f"R < {A.LIMITED}",
    "missed": tr("method.rule_missed"),
    "insufficient_data": tr("method.rule_insufficient"),
    "no_data": tr("method.rule_no_data"),
    "not_assessed": tr("method.rule_not_assessed"),
}
scores = {"achieved": f"{A.SCORE_ACHIEVED:+.0f}", "missed": f"{A.SCORE_MISSED:+.0f}"}
html_block(facts_table(
    [tr("col.status"), tr("method.rule"), tr("col.score")],
    [[status_badge(s), esc(rule), esc(scores.get(s, "score(R)" if s in ("on_track", "acceleration_needed",
      "limited_progress", "deteriorating") else tr("method.no_score")))] for s, rule in rules.items()],
    stack=False))  # fmt: skip
st.markdown(tr("method.score", low=f"{A.SCORE_MIN:+.0f}", high=f"{A.SCORE_MAX:+.0f}", acc=A.ACCELERATION,
               up=f"{A.SCORE_UPPER_SLOPE:.4f}", down=f"{A.SCORE_LOWER_SLOPE:.4f}"))  # fmt: skip
st.markdown(tr("method.base"))
st.markdown(tr("method.projection", points=A.FIT_POINTS, years=f"{A.RECENCY_YEARS:g}",
               level=f"{A.PROJECTION_LEVEL:.0%}"))  # fmt: skip
st.markdown(tr("method.sources"))
