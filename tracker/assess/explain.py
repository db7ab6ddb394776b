"""One sentence per target, in each language, on its status and working, from the assessed record.

The sentences are templates in the string catalogues (``[explain]`` in ``tracker/i18n/*.toml``), so a
translator edits them without reading Python; the numbers come from the assessed record and are written
to the significant digits they were published with.
"""

from __future__ import annotations

import functools
from typing import Any

import pandas as pd

from tracker.i18n import t
from tracker.i18n.numbers import format_change, format_deadline, format_goal, format_value


def deadline_text(r: Any, lang: str = "en") -> str:
    return _deadline_text(r.deadline, lang)


@functools.lru_cache(maxsize=4096)
def _deadline_text(deadline: Any, lang: str) -> str:
    # Many targets share a deadline; a Timestamp is slow to make, so each deadline is written once.
    return format_deadline(pd.Timestamp(deadline).date(), lang)


def _lower_first(name: str) -> str:
    """'Product pilots' -> 'product pilots'; names with other capitals ('China Famous Software Parks',
    'CNC rate', 'Mobile IoT connections') stay as they are, since they may be proper nouns."""
    words = name.split()
    plain_first = len(words) > 1 and words[0][:1].isupper() and words[0][1:].islower()
    if plain_first and not any(ch.isupper() for w in words[1:] for ch in w):
        return name[0].lower() + name[1:]
    return name


def figure_text(value: float, qualifier: Any, unit: str, digits: int = 3, lang: str = "en") -> str:
    """A figure with its qualifier, to the significant digits it was published with."""
    word = t(f"qualifier.{qualifier}", lang) if isinstance(qualifier, str) and qualifier != "=" else ""
    return word + format_value(value, unit, lang, max(int(digits), 1))


def deciding_figure(r: Any, lang: str = "en") -> str:
    """The figure shown beside a status: after the deadline, the one for the deadline; else the latest."""
    if isinstance(r.final_period, str):
        return f"{figure_text(r.final_value, r.final_qualifier, r.unit, r.final_digits, lang)} ({r.final_period})"
    if pd.isna(r.latest_value):
        return ""
    return f"{figure_text(r.latest_value, r.latest_qualifier, r.unit, r.latest_digits, lang)} ({r.latest_period})"


def _goal(r: Any, lang: str) -> str:
    if lang == "en":  # English sentences write the comparator as the target files do: ">= 75%"
        return f"{r.comparator} {format_value(r.target_value, r.unit, lang)}"
    return format_goal(r.comparator, r.target_value, r.unit, lang)


def explain(r: Any, lang: str = "en") -> str:
    """The sentence on the status and its working, and on figures left out for their coverage."""
    sentence = _explain_status(r, lang)
    count = r.other_coverage_figures
    if r.status in ("no_data", "insufficient_data") and count:
        sentence += t("explain.other_coverage_one" if count == 1 else "explain.other_coverage_many", lang, count=count)
    return sentence


def _latest(r: Any, lang: str) -> str:
    if pd.isna(r.latest_value):
        return t("explain.latest_none", lang)
    figure = figure_text(r.latest_value, r.latest_qualifier, r.unit, r.latest_digits, lang)
    return t("explain.latest_is", lang, figure=figure, period=r.latest_period)


def _not_judged(r: Any, lang: str) -> str:
    """A reference level or a reading of words: what it is, and the latest figure, with no verdict."""
    if r.kind == "reference":
        return t("explain.reference", lang, level=format_value(r.target_value, r.unit, lang), latest=_latest(r, lang))
    return t(
        "explain.interpreted", lang, wording=r.wording, goal=_goal(r, lang), deadline=deadline_text(r, lang),
        latest=_latest(r, lang),
    )  # fmt: skip


def _explain_status(r: Any, lang: str) -> str:
    if not r.judged:
        return _not_judged(r, lang)
    unit = r.unit
    words = {"goal": _goal(r, lang), "deadline": deadline_text(r, lang)}
    latest = figure_text(r.latest_value, r.latest_qualifier, unit, r.latest_digits, lang)
    if r.status == "no_data":
        name = r.indicator_name if lang == "en" or not isinstance(r.indicator_name_zh, str) else r.indicator_name_zh
        return t("explain.no_data", lang, indicator=_lower_first(name) if lang == "en" else name, **words)
    if r.status in ("missed", "achieved") and isinstance(r.final_period, str):
        final = figure_text(r.final_value, r.final_qualifier, unit, r.final_digits, lang)
        key = "explain.final_met" if r.status == "achieved" else "explain.final_missed"
        return t(key, lang, period=r.final_period, figure=final, **words)
    waiting = "awaiting_final_data" in r.flags
    if r.status == "achieved":
        end = t("explain.awaiting_end" if waiting else "explain.end", lang)
        return t("explain.achieved", lang, figure=latest, period=r.latest_period, **words) + end
    if r.status == "insufficient_data":
        return t("explain.insufficient", lang, figure=latest, period=r.latest_period, **words)
    pace = format_change(r.pace_observed, unit, lang)
    if waiting:
        return t("explain.waiting", lang, figure=latest, period=r.latest_period, pace=pace,
                 base_period=r.base_period, **words)  # fmt: skip
    return _pace_sentence(r, lang, words, pace, latest)


def _pace_sentence(r: Any, lang: str, words: dict[str, str], pace: str, latest: str) -> str:
    """Open and judged on its trend: the pace since the base, where it leads, and what is needed from now."""
    growth = r.method == "cagr_ratio" and not pd.isna(r.growth_observed)
    pace_text = (
        t("explain.pace_growth", lang, pace=pace, growth=f"{r.growth_observed:.1%}")
        if growth
        else t("explain.pace_text", lang, pace=pace)
    )
    sentence = t("explain.pace", lang, base_period=r.base_period, pace_text=pace_text)
    if not pd.isna(r.projected_value):
        key = "explain.reaches_meeting" if r.projection_meets else "explain.reaches_short"
        series = t(f"explain.series.{r.measure}", lang)
        sentence += t(key, lang, series=series, projected=format_value(r.projected_value, r.unit, lang), **words)
    else:
        sentence += t("explain.latest_against", lang, figure=latest, period=r.latest_period, **words)
    if not pd.isna(r.pace_needed_from_now):
        needed_pace = format_change(r.pace_needed_from_now, r.unit, lang)
        needed = (
            t("explain.needed_growth", lang, growth=f"{r.growth_needed_from_now:.1%}", pace=needed_pace)
            if growth and not pd.isna(r.growth_needed_from_now)
            else t("explain.needed", lang, pace=needed_pace)
        )
        sentence += t("explain.needs", lang, needed=needed)
    return sentence + t("explain.end", lang)
