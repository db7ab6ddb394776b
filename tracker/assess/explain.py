"""One plain-English sentence per target on its status and working, from the assessed record."""

from __future__ import annotations

from typing import Any

import pandas as pd

from tracker.formatting import format_change, format_deadline, format_value

_QUALIFIER_WORDS = {">": "more than ", ">=": "at least ", "<": "less than ", "<=": "at most ", "~": "about "}
_SERIES_WORD = {"rate": "the rate", "level": "the figure", "count": "the count", "cumulative": "the total"}


def deadline_text(r: Any) -> str:
    return format_deadline(pd.Timestamp(r.deadline).date())


def _lower_first(name: str) -> str:
    """'Product pilots' -> 'product pilots', but 'CNC rate' stays as it is."""
    return name[0].lower() + name[1:] if len(name) > 1 and name[1].islower() else name


def figure_text(value: float, qualifier: Any, unit: str) -> str:
    word = _QUALIFIER_WORDS.get(qualifier, "") if isinstance(qualifier, str) else ""
    return word + format_value(value, unit)


def explain(r: Any) -> str:
    """One plain-English sentence on the status and its working (and on figures left out for their coverage)."""
    sentence = _explain_status(r)
    if r.status in ("no_data", "insufficient_data") and r.other_coverage_figures:
        count = r.other_coverage_figures
        sentence += (
            f" {count} figure{'s' if count > 1 else ''} of other coverages {'are' if count > 1 else 'is'} "
            "not comparable and not used."
        )
    return sentence


def _not_judged(r: Any) -> str:
    """A reference level or a reading of words: what it is, and the latest figure, with no verdict."""
    unit = r.unit
    latest = (
        "no figure has been published yet"
        if pd.isna(r.latest_value)
        else f"the latest figure is {figure_text(r.latest_value, r.latest_qualifier, unit)} ({r.latest_period})"
    )
    if r.kind == "reference":
        level = format_value(r.target_value, unit)
        return f"A reference level of {level} to watch, not a target that a document sets; {latest}."
    return (
        f"The document gives words, not a number (\u201c{r.wording}\u201d); this file reads them as "
        f"{r.comparator} {format_value(r.target_value, unit)} by {deadline_text(r)}, and {latest}. "
        "No status is given for a reading."
    )


def _explain_status(r: Any) -> str:
    unit = r.unit
    if not r.judged:
        return _not_judged(r)
    target = f"{r.comparator} {format_value(r.target_value, unit)}"
    deadline = deadline_text(r)
    latest = figure_text(r.latest_value, r.latest_qualifier, unit)
    waiting = "awaiting_final_data" in r.flags
    if r.status == "no_data":
        return (
            f"No figure has been published yet for {_lower_first(r.indicator_name)}, "
            f"so progress towards {target} by {deadline} cannot be judged."
        )
    if r.status in ("missed", "achieved") and isinstance(r.final_period, str):
        verb = "met" if r.status == "achieved" else "fell short of"
        final = figure_text(r.final_value, r.final_qualifier, unit)
        return f"The figure for {r.final_period}, {final}, {verb} the {target} target due by {deadline}."
    if r.status == "achieved":
        sentence = (
            f"The latest figure, {latest} ({r.latest_period}), already meets the {target} target due by {deadline}"
        )
        return sentence + ("; the figure for the deadline itself is not out yet." if waiting else ".")
    if r.status == "insufficient_data":
        return (
            f"Only one usable figure so far ({latest} in {r.latest_period}); a trend towards {target} by {deadline} "
            "needs at least two."
        )
    pace = format_change(r.pace_observed, unit)
    if waiting:
        return (
            f"No figure for the deadline ({deadline}) is out yet; the latest, {latest} ({r.latest_period}), "
            f"moved {pace} a year since {r.base_period}, against the {target} target."
        )
    growth = r.method == "cagr_ratio" and not pd.isna(r.growth_observed)
    pace_text = f"{pace} a year" + (f", growth of {r.growth_observed:.1%} a year" if growth else "")
    sentence = f"At the pace since {r.base_period} ({pace_text})"
    if not pd.isna(r.projected_value):
        reaches = format_value(r.projected_value, unit)
        verdict = "meeting" if r.projection_meets else "short of"
        series = _SERIES_WORD.get(r.measure, "the figure")
        sentence += f" {series} reaches {reaches} by {deadline}, {verdict} the {target} target"
    else:
        sentence += f" the latest figure is {latest} ({r.latest_period}), against the {target} target due by {deadline}"
    if not pd.isna(r.pace_needed_from_now):
        needed = f"{format_change(r.pace_needed_from_now, unit)} a year"
        if growth and not pd.isna(r.growth_needed_from_now):
            needed = f"growth of {r.growth_needed_from_now:.1%} a year ({needed})"
        sentence += f"; it needs {needed} from now"
    return sentence + "."
