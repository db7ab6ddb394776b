"""Is each target on course, and why: the assessment, read top to bottom.

1. ``series``: one query fetches every figure the targets need, indexed for binary search.
2. ``picks``: per target, its base, latest and final figures and the sums of the projection fit.
3. ``methods``: the registry of progress methods (the only place a method is defined).
4. ``scoring``: the ratio, the statuses and scores, and whether a figure meets a target.
5. ``projection``: the weighted fit to the deadline and its 80% band.
6. ``frame``: all of the above applied to whole columns at once.
7. ``explain``: one sentence per target, built column by column; ``output``: the status records and the terminal table.
``no_target`` gives a series' own trend where no target applies (the Indicators page).

The stages pass plain numpy columns (``columns``): ``assessed_columns`` is what ``tracker status`` reads,
without importing pandas; ``assess`` turns the same columns into the DataFrame the app and the site read.
"""

from __future__ import annotations

import importlib
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

    from tracker.assess.columns import Columns

# Names are loaded from their stage when first used, so that reading one stage (the catalogue checks a
# file's `method` against ``methods``) does not import every stage, DuckDB and numpy with it.
_STAGE = {
    "Columns": "columns",
    **dict.fromkeys(("explanation", "explanations"), "explain"),
    **dict.fromkeys(("LANGUAGES", "TEXT_FROM_FILES", "assess_columns"), "frame"),
    **dict.fromkeys(("METHOD_BY_MEASURE", "METHODS", "Method"), "methods"),
    "progress_without_target": "no_target",
    **dict.fromkeys(
        ("JSON_FIELDS", "RECORD_FIELDS", "record_columns", "records", "status_table", "to_csv", "to_json"), "output"
    ),  # fmt: skip
    "pick_figures": "picks",
    **dict.fromkeys(("FIT_POINTS", "PROJECTION_LEVEL", "RECENCY_YEARS"), "projection"),
    **dict.fromkeys(
        (
            "ACCELERATION",
            "LIMITED",
            "ON_TRACK",
            "SCORE_ACHIEVED",
            "SCORE_LOWER_SLOPE",
            "SCORE_MAX",
            "SCORE_MIN",
            "SCORE_MISSED",
            "SCORE_UPPER_SLOPE",
            "satisfies",
            "score_from_ratio",
            "status_from_ratio",
        ),
        "scoring",
    ),  # fmt: skip
}


def __getattr__(name: str) -> Any:
    if name in ("STATUS_LABELS", "STATUSES"):
        return getattr(importlib.import_module("tracker.status"), name)
    if name not in _STAGE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_STAGE[name]}"), name)


__all__ = [
    "ACCELERATION", "FIT_POINTS", "LIMITED", "JSON_FIELDS", "METHODS", "METHOD_BY_MEASURE", "Method", "ON_TRACK",
    "PROJECTION_LEVEL", "RECENCY_YEARS", "RECORD_FIELDS", "SCORE_ACHIEVED", "SCORE_LOWER_SLOPE", "SCORE_MAX",
    "SCORE_MIN", "SCORE_MISSED", "SCORE_UPPER_SLOPE", "STATUSES", "STATUS_LABELS", "LANGUAGES", "assess",
    "assess_columns", "assessed_columns", "explanation", "explanations",
    "progress_without_target", "record_columns", "records", "satisfies", "score_from_ratio", "status_from_ratio",
    "status_table", "to_csv", "to_json",
]  # fmt: skip


def assessed_columns(
    con: duckdb.DuckDBPyConnection,
    as_of: date | None = None,
    languages: tuple[str, ...] | None = None,
    when_read: bool = False,
) -> Columns:
    """Assess every target in the database as of a date (default today): one numpy column per field, one
    element per target, with the explanation in each of ``languages`` (default English and Chinese), written
    when first read and only for the rows read if ``when_read`` (see ``frame.assess_columns``)."""
    from tracker.assess.frame import LANGUAGES, assess_columns
    from tracker.assess.picks import pick_figures

    as_of = as_of or date.today()
    languages = LANGUAGES if languages is None else languages
    return assess_columns(pick_figures(con, as_of), as_of, languages, when_read)


def assess(
    con: duckdb.DuckDBPyConnection, as_of: date | None = None, languages: tuple[str, ...] | None = None
) -> pd.DataFrame:
    """Assess every target in the database as of a date (default today); one row per target, with its
    explanation in each of ``languages`` (default English and Chinese; see ``explanation`` for one target)."""
    import pandas as pd

    from tracker.assess.columns import Later
    from tracker.assess.frame import TEXT_FROM_FILES

    columns = assessed_columns(con, as_of, languages)
    # The catalogue's own texts are Python objects (NaN where missing), as DuckDB's DataFrames give them;
    # pandas makes the computed texts its string type.
    text = lambda v: pd.Series(v, dtype="str").astype(object)  # noqa: E731
    columns = {k: v() if isinstance(v, Later) else v for k, v in columns.items()}
    return pd.DataFrame({k: text(v) if k in TEXT_FROM_FILES else v for k, v in columns.items()})
