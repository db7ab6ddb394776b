"""The hover text of each figure a chart draws (tracker.charts): value, as published, source, publisher,
published date, coverage, and whether the status used it. Text from files is escaped (Plotly reads hover
text as HTML)."""

from __future__ import annotations

import pandas as pd

from tracker.escape import plotly_text as safe
from tracker.i18n import t
from tracker.i18n.numbers import figure_digits, format_value

_QUALIFIERS = (">", ">=", "<", "<=", "~")


def _each(values: pd.Series, text) -> list[str]:
    """``text(value)`` for every value, worked out once per distinct value (sources, publishers, dates repeat).
    A missing value (None, NaN, NaT, NA) is passed on as None."""
    texts: dict = {}
    out = []
    for value in values.tolist():
        key = None if value is None or pd.isna(value) else value
        if key not in texts:
            texts[key] = text(key)
        out.append(texts[key])
    return out


def figure_hovers(group: pd.DataFrame, unit: str, lang: str, coverage: str, notes: list[str]) -> list[str]:
    """Each figure's hover text: the value, as published, source, publisher, published date, coverage, and
    whether the status used it. Built column by column: a long series has thousands of figures."""
    qualifiers = {q: t(f"qualifier.{q}", lang) for q in _QUALIFIERS}
    words = [qualifiers.get(q, "") for q in group["qualifier"]]
    sources = _each(group["source_title"], lambda v: safe(t("chart.source", lang, text=v or "")))
    publishers = _each(group["publisher"], lambda v: safe(t("chart.publisher", lang, text=v or "")))
    dates = _each(group["published"], lambda v: "" if v is None or pd.isna(v) else "<br>" + safe(
        t("chart.published", lang, date=pd.Timestamp(v).date().isoformat())))  # fmt: skip
    cov = "<br>" + safe(t("chart.coverage_line", lang, text=coverage)) if coverage else ""
    # The sentence around "as published" is escaped once; escaping is character by character, so the pieces
    # escaped apart read the same as the whole sentence escaped.
    before, _, after = (safe(piece) for piece in t("chart.as_published", lang, text="\x00").partition("\x00"))
    notes = _each(pd.Series(notes, dtype=object), lambda v: safe(v or ""))
    columns = (words, group["period"].tolist(), group["value"].tolist(), figure_digits(group),
               group["published_value"].tolist(), group["published_unit"].tolist(), sources, publishers, dates,
               notes)  # fmt: skip
    return [f"<b>{safe(period)}</b>: {safe(w)}{safe(format_value(value, unit, lang, d))}<br>"
            f"{before}{safe(f'{w}{pv:g} {pu}')}{after}<br>{source}<br>{publisher}{day}{cov}<br><i>{note}</i>"
            for w, period, value, d, pv, pu, source, publisher, day, note in zip(*columns, strict=True)]  # fmt: skip
