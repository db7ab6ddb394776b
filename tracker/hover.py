"""The hover text of each figure a chart draws (tracker.charts): value, as published, source, publisher,
published date, coverage, and whether the status used it. Text from files is escaped (Plotly reads hover
text as HTML)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from tracker.escape import plotly_text as safe
from tracker.escape import plotly_texts as safe_column
from tracker.i18n import t
from tracker.i18n.numbers import format_values

_QUALIFIERS = (">", ">=", "<", "<=", "~")


def _missing(value: object) -> bool:
    """None, NaN, NaT or NA (pd.isna of one value, without its dispatch on the value's type)."""
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value)


def _each(values: Sequence, text) -> list[str]:
    """``text(value)`` for every value, worked out once per distinct value (sources, publishers, dates repeat).
    A missing value (None, NaN, NaT, NA) is passed on as None."""
    texts: dict = {}
    out = []
    for value in values:
        key = value if type(value) is str else None if _missing(value) else value
        if key not in texts:
            texts[key] = text(key)
        out.append(texts[key])
    return out


def figure_hovers(group: Mapping[str, Sequence], unit: str, lang: str, coverage: str, notes: list[str]) -> list[str]:
    """Each figure's hover text: the value, as published, source, publisher, published date, coverage, and
    whether the status used it. ``group`` holds the figures' columns as lists (tracker.charts._TRACE_COLUMNS,
    and ``digits`` as tracker.i18n.numbers.figure_digits gives them). Built column by column: a long series
    has thousands of figures."""
    qualifiers = {q: t(f"qualifier.{q}", lang) for q in _QUALIFIERS}
    words = [qualifiers.get(q, "") for q in group["qualifier"]]
    # Each sentence is looked up once per chart and filled in per distinct value (t would look it up each time).
    says = {key: t(f"chart.{key}", lang) for key in ("source", "publisher", "published")}
    sources = _each(group["source_title"], lambda v: safe(says["source"].format(text=v or "")))
    publishers = _each(group["publisher"], lambda v: safe(says["publisher"].format(text=v or "")))
    dates = _each(group["published"], lambda v: "" if v is None else "<br>" + safe(
        says["published"].format(date=pd.Timestamp(v).date().isoformat())))  # fmt: skip
    cov = "<br>" + safe(t("chart.coverage_line", lang, text=coverage)) if coverage else ""
    # The sentence around "as published" is escaped once; escaping is character by character, so the pieces
    # escaped apart read the same as the whole sentence escaped.
    before, _, after = (safe(piece) for piece in t("chart.as_published", lang, text="\x00").partition("\x00"))
    notes = _each(notes, lambda v: safe(v or ""))
    # The texts of each figure's own are escaped a column at a time.
    values = [f"{w}{value}" for w, value in zip(words, format_values(group["value"], unit, lang, group["digits"]),
                                                strict=True)]  # fmt: skip
    published = [f"{w}{pv:g} {pu}" for w, pv, pu in zip(words, group["published_value"], group["published_unit"],
                                                         strict=True)]  # fmt: skip
    columns = (safe_column(group["period"]), safe_column(values), safe_column(published), sources, publishers, dates,
               notes)  # fmt: skip
    return [
        f"<b>{period}</b>: {value}<br>{before}{as_published}{after}<br>{source}<br>{publisher}{day}{cov}<br>"
        f"<i>{note}</i>"
        for period, value, as_published, source, publisher, day, note in zip(*columns, strict=True)
    ]
