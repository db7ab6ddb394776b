"""The canonical observation row, and the one set of rules that turns text rows into it.

Every loader ends here. Text rows (the canonical column names, all text, plus
the file they came from) go through :func:`canonical_select`, one SQL query
that places each period on the time axis, converts each value to its
indicator's unit (keeping the published number and unit beside it) and writes,
for each row, the problems it has. The store runs the same query straight over
DuckDB's CSV reader for large clean files; loaders run it over rows they read
themselves, with row numbers (:mod:`loaders.numbered`), so that each problem says
where it is.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from tracker.escape import HTTP_URL_PATTERN
from tracker.model import PERCENT, QUALIFIERS, Indicator
from tracker.periods import MAX_YEAR, MIN_YEAR, PERIOD_FORMATS
from tracker.problems import Problem, error
from tracker.tables import insert_records, insert_rows
from tracker.units import accepted_units, describe_units
from tracker.vocabulary import MAX_ABS_VALUE

COLUMNS: tuple[str, ...] = (
    "indicator",
    "period",
    "value",
    "unit",
    "qualifier",
    "coverage",
    "source_title",
    "publisher",
    "publisher_zh",
    "source_url",
    "published",
    "note",
)
REQUIRED: tuple[str, ...] = ("indicator", "period", "value", "unit", "source_title", "publisher")

MAX_OBSERVATION_BYTES = 512 * 1024 * 1024
"""Largest observation file read (512 MiB, several million rows); split larger files."""

MAX_VALUE_CHARS = 32
"""Longest value text read as a number: a published figure has a few digits, not thousands."""
# MAX_ABS_VALUE (tracker.vocabulary): the largest magnitude of a figure in its indicator's unit; infinity after a
# unit conversion is refused too.
NON_NEGATIVE_MEASURES = ("count", "cumulative")

# The canonical layout handed from loaders to the store (and the observations table).
CANONICAL_SQL = """
    indicator VARCHAR, period VARCHAR, period_kind VARCHAR, period_start DATE, period_end DATE,
    t DOUBLE, value DOUBLE, qualifier VARCHAR, published_value DOUBLE, published_unit VARCHAR, digits TINYINT,
    coverage VARCHAR, source_title VARCHAR, publisher VARCHAR, publisher_zh VARCHAR, source_url VARCHAR,
    published DATE, note VARCHAR, source_file VARCHAR
"""
CANONICAL_COLUMNS = tuple(part.split()[0] for part in CANONICAL_SQL.split(",") if part.strip())

# A published date that is not a real date is stored as this, so that a check over the
# stored rows can still tell it apart from "no date given".
BAD_DATE = "0001-01-01"

# Only http(s) addresses with a host part are accepted as links: the one rule of tracker.escape.
URL_OK_SQL = "regexp_full_match(source_url, '" + HTTP_URL_PATTERN.replace("'", "''") + "')"

# True for a stored row that breaks a rule; matches the row problems of canonical_select. In two
# parts, so that a check over many rows can test each distinct link once (BAD_URL_SQL).
BAD_VALUE_SQL = (
    "value IS NULL OR period_start IS NULL OR coverage IS NULL OR source_title IS NULL OR publisher IS NULL"
    f" OR qualifier NOT IN ({', '.join(repr(q) for q in QUALIFIERS)})"
    f" OR published = DATE '{BAD_DATE}'"
)
BAD_URL_SQL = f"source_url IS NOT NULL AND NOT {URL_OK_SQL}"
BAD_ROW_SQL = f"{BAD_VALUE_SQL} OR ({BAD_URL_SQL})"


def header_problems(columns: list[str], path: Path, default_indicator: str | None) -> list[Problem]:
    """Missing required columns and unknown columns, as one file-level problem each."""
    problems = []
    present = [c.strip().lower() for c in columns]
    required = [c for c in REQUIRED if not (c == "indicator" and default_indicator)]
    missing = [c for c in required if c not in present]
    if missing:
        problems.append(
            error(
                path,
                1,
                0,
                f"the header is missing column(s) {', '.join(missing)}; expected columns: {', '.join(COLUMNS)}",
            )
        )
    unknown = [c for c in present if c not in COLUMNS and c != ""]
    if unknown:
        problems.append(
            error(path, 1, 0, f"unknown column(s) {', '.join(unknown)}; allowed columns: {', '.join(COLUMNS)}")
        )
    duplicated = sorted({c for c in present if present.count(c) > 1})
    if duplicated:
        problems.append(error(path, 1, 0, f"column(s) {', '.join(duplicated)} appear more than once in the header"))
    return problems


def _low(indicator: Indicator) -> float:
    if indicator.unit == PERCENT or indicator.measure in NON_NEGATIVE_MEASURES:
        return 0.0
    return -MAX_ABS_VALUE


def register_lookups(con: duckdb.DuckDBPyConnection, indicators: dict[str, Indicator]) -> None:
    """Create the tables canonical_select joins: accepted units with factors, and indicator ids.

    DuckDB misjudges how many rows a CSV scan yields and would build its hash table
    from the million observation rows instead of the small lookup table, which
    doubles the time of a bulk load; the build-side optimiser is turned off on
    this connection so that the lookup tables are always the build side.
    """
    con.execute("SET disabled_optimizers = 'build_side_probe_side'")
    con.execute(_LOOKUPS_DDL)
    _insert_unit_factors(con, indicators)
    insert_records(con, "indicator_ids", [
        {
            "id": ind_id,
            "units": describe_units(i),
            # The range a figure of this indicator can have, in its canonical unit.
            "low": _low(i),
            "high": 100.0 if i.unit == PERCENT else MAX_ABS_VALUE,
            "default_coverage": i.coverages[0].id if len(i.coverages) == 1 else None,
            "coverage_list": ", ".join(c.id for c in i.coverages),
        }
        for ind_id, i in indicators.items()
    ])  # fmt: skip
    insert_records(con, "coverage_ids", [
        {"indicator": ind_id, "coverage": c.id} for ind_id, ind in indicators.items() for c in ind.coverages
    ])  # fmt: skip


def _insert_unit_factors(con: duckdb.DuckDBPyConnection, indicators: dict[str, Indicator]) -> None:
    """Table unit_factors: every unit text each indicator accepts, with its factor. Indicators with the same
    unit and aliases accept the same texts, so each list of texts goes to DuckDB once and is joined to its
    indicators there: the 1,000 indicators of a generated catalogue accept 41,800 texts from a few such
    lists, and handing each text over from Python cost about 0.1 s of the build before its load began."""
    lists: dict[tuple[str, tuple[str, ...]], tuple[int, Indicator]] = {}
    members = []
    for ind_id, indicator in indicators.items():
        number, _ = lists.setdefault((indicator.unit, tuple(indicator.unit_aliases)), (len(lists), indicator))
        members.append((ind_id, number))
    insert_rows(con, "indicator_unit_lists", ("indicator", "list"), members)
    insert_rows(con, "unit_lists", ("list", "unit_key", "factor"), [
        (number, text, factor) for number, indicator in lists.values() for text, factor in accepted_units(indicator).items()
    ])  # fmt: skip
    con.execute(
        "INSERT INTO unit_factors SELECT m.indicator, u.unit_key, u.factor FROM indicator_unit_lists m JOIN unit_lists u USING (list)"
    )


_LOOKUPS_DDL = """
CREATE OR REPLACE TEMP TABLE unit_factors (indicator VARCHAR, unit_key VARCHAR, factor DOUBLE);
CREATE OR REPLACE TEMP TABLE unit_lists (list INTEGER, unit_key VARCHAR, factor DOUBLE);
CREATE OR REPLACE TEMP TABLE indicator_unit_lists (indicator VARCHAR, list INTEGER);
CREATE OR REPLACE TEMP TABLE indicator_ids (
    id VARCHAR, units VARCHAR, low DOUBLE, high DOUBLE, default_coverage VARCHAR, coverage_list VARCHAR
);
CREATE OR REPLACE TEMP TABLE coverage_ids (indicator VARCHAR, coverage VARCHAR);
"""


_CANONICAL_SELECT = r"""
WITH c AS (
    SELECT line, source_file,
           coalesce(nullif(trim(indicator), ''), nullif(trim($default_indicator), '')) AS indicator,
           nullif(trim(period), '') AS period,
           nullif(trim(value), '') AS value_text,
           nullif(trim(unit), '') AS unit,
           coalesce(nullif(trim(qualifier), ''), '=') AS qualifier,
           -- Free-text columns are kept as written; only the required ones must hold more than spaces.
           nullif(trim(coverage), '') AS coverage_text,
           nullif(trim(source_title), '') AS source_title,
           nullif(trim(publisher), '') AS publisher,
           nullif(trim(publisher_zh), '') AS publisher_zh,
           nullif(source_url, '') AS source_url,
           nullif(trim(published), '') AS published_text,
           nullif(note, '') AS note
    FROM @source@
), p AS (
    SELECT c.*,
        length(period) AS plen,
        TRY_CAST(substr(period, 1, 4) AS INTEGER) AS y,
        CASE WHEN length(period) = 7 AND substr(period, 5, 1) = '-' AND substr(period, 6, 1) IN ('Q', 'q')
             THEN TRY_CAST(substr(period, 7, 1) AS INTEGER) END AS q,
        CASE WHEN length(period) = 7 AND substr(period, 5, 1) = '-' AND substr(period, 6, 1) BETWEEN '0' AND '1'
             THEN TRY_CAST(substr(period, 6, 2) AS INTEGER) END AS m,
        contains(value_text, ',') AND regexp_full_match(value_text, '[-+]?\d{1,3}(,\d{3})+(\.\d+)?') AS has_thousands,
        f.factor,
        i.units AS allowed_units, i.low, i.high,
        i.coverage_list,
        cv.coverage
    FROM c
    LEFT JOIN unit_factors f ON f.indicator = c.indicator AND f.unit_key = lower(c.unit)
    LEFT JOIN indicator_ids i ON i.id = c.indicator
    LEFT JOIN coverage_ids cv
           ON cv.indicator = c.indicator AND cv.coverage = coalesce(c.coverage_text, i.default_coverage)
), k AS (
    SELECT p.*,
        CASE WHEN length(value_text) <= @max_chars@
             THEN TRY_CAST(CASE WHEN has_thousands THEN replace(value_text, ',', '') ELSE value_text END AS DOUBLE) END AS num,
        -- The year is four ASCII digits (a glob over the bytes: cheaper than a regular expression).
        CASE WHEN y IS NULL OR NOT (period GLOB '[0-9][0-9][0-9][0-9]*') THEN NULL
             WHEN plen = 4 THEN 'year'
             WHEN q IS NOT NULL THEN 'quarter'
             WHEN m IS NOT NULL THEN 'month'
             WHEN plen = 10 AND substr(period, 5, 1) = '-' AND substr(period, 8, 1) = '-' THEN 'day' END AS kind,
        CASE WHEN published_text IS NULL THEN NULL
             WHEN length(published_text) = 10 THEN coalesce(TRY_CAST(published_text AS DATE), DATE '@bad_date@')
             ELSE DATE '@bad_date@' END AS published_date
    FROM p
), d0 AS (
    SELECT k.*,
        CASE WHEN y NOT BETWEEN @min_year@ AND @max_year@ THEN NULL
             WHEN kind = 'year' THEN make_date(y, 1, 1)
             WHEN kind = 'quarter' AND q BETWEEN 1 AND 4 THEN make_date(y, 3 * q - 2, 1)
             WHEN kind = 'month' AND m BETWEEN 1 AND 12 THEN make_date(y, m, 1)
             WHEN kind = 'day' THEN TRY_CAST(period AS DATE) END AS p_start,
        CASE WHEN factor IS NULL OR num IS NULL OR NOT isfinite(num) OR (has_thousands AND $strict_numbers) THEN NULL
             WHEN factor = 1 THEN num
             -- Rounded at a millionth of the canonical unit, so that 27.37 亿 is 2,737,000,000 exactly.
             ELSE round(num * factor, 6) END AS converted
    FROM k
), d AS (
    SELECT d0.*,
        -- A figure outside its indicator's range is no figure: the row is reported, never stored.
        CASE WHEN converted BETWEEN coalesce(low, -@max_abs@) AND coalesce(high, @max_abs@) THEN converted END AS canonical_value,
        converted IS NOT NULL AND NOT (converted BETWEEN coalesce(low, -@max_abs@) AND coalesce(high, @max_abs@)) AS out_of_range
    FROM d0
)
SELECT
    indicator,
    CASE kind WHEN 'quarter' THEN substr(period, 1, 5) || 'Q' || q ELSE period END AS period,
    CASE WHEN p_start IS NOT NULL THEN kind END AS period_kind,
    p_start AS period_start,
    CASE kind WHEN 'year' THEN make_date(y, 12, 31)
              WHEN 'day' THEN p_start
              WHEN 'quarter' THEN last_day(p_start + INTERVAL 2 MONTH)
              ELSE last_day(p_start) END AS period_end,
    -- t: the end of the period's last day, in years (tracker.periods.date_to_t).
    CASE kind WHEN 'year' THEN y + 1.0
              ELSE y + dayofyear(period_end) / (CASE WHEN (y % 4 = 0 AND y % 100 <> 0) OR y % 400 = 0 THEN 366.0 ELSE 365.0 END)
    END AS t,
    canonical_value AS value,
    qualifier,
    num AS published_value,
    unit AS published_unit,
    -- Significant digits as published (25.47 -> 4, 1.46 -> 3, 26 -> 2), so that a figure is never
    -- shown more or less precisely than its source gave it.
    -- Most figures are a digit 1-9 (after a sign) and digits with at most one point: their digits
    -- are their characters less the sign and the point (one anchored match, no replacing). Every
    -- other form (exponents, separators, leading zeros, spaces) takes the general rule (tests pin both).
    CASE WHEN num IS NULL THEN NULL
         WHEN regexp_full_match(value_text, '[-+]?[1-9][0-9]*(\.[0-9]*)?')
         THEN (length(value_text) - (ascii(value_text) IN (43, 45))::INTEGER - contains(value_text, '.')::INTEGER)::TINYINT
         ELSE greatest(1, length(ltrim(regexp_replace(
             split_part(lower(value_text), 'e', 1), '[^0-9]', '', 'g'), '0')))::TINYINT END AS digits,
    coverage, source_title, publisher, publisher_zh, source_url,
    published_date AS published,
    note,
    source_file,
    line,
    has_thousands,
    concat_ws('; ',
        CASE WHEN indicator IS NULL THEN 'indicator is empty; name an indicator from data/indicators.yaml'
             WHEN allowed_units IS NULL THEN 'unknown indicator ''' || indicator || '''; add it to data/indicators.yaml' END,
        CASE WHEN period IS NULL THEN 'period is empty; write it as @formats@'
             WHEN kind IS NULL THEN 'period must be written as @formats@; got ''' || period || ''''
             WHEN y NOT BETWEEN @min_year@ AND @max_year@ THEN 'year of period ''' || period || ''' is out of range (@min_year@ to @max_year@)'
             WHEN p_start IS NULL THEN 'period ''' || period || ''' does not exist' END,
        CASE WHEN value_text IS NULL THEN 'value is empty'
             WHEN length(value_text) > @max_chars@ THEN 'value has ' || length(value_text) || ' characters; a figure is written with at most @max_chars@'
             WHEN num IS NULL THEN 'value must be a number such as 25.47 or 1.2e3; got ''' || value_text || ''''
                 || CASE WHEN regexp_matches(value_text, '^[-+]?[\d.,]+\s*\S') THEN ' (put the unit in the unit column)' ELSE '' END
             WHEN NOT isfinite(num) THEN 'value must be a finite number; got ''' || value_text || ''''
             WHEN out_of_range AND high = 100 THEN 'a percentage must be between 0 and 100; got ''' || value_text || ''''
             WHEN out_of_range AND low = 0 AND converted < 0 THEN 'a count cannot be negative; got ''' || value_text || ''''
             WHEN out_of_range THEN 'value ''' || value_text || ''' ' || coalesce(unit, '') || ' is out of range for a figure (at most @max_abs_text@ in the indicator''s unit); check the number and the unit' END,
        CASE WHEN unit IS NULL THEN 'unit is empty'
             WHEN allowed_units IS NOT NULL AND factor IS NULL
             THEN 'unknown unit ''' || unit || ''' for indicator ''' || indicator || '''; use ' || allowed_units END,
        CASE WHEN allowed_units IS NOT NULL AND coverage IS NULL AND coverage_text IS NULL
             THEN 'coverage is empty; indicator ''' || indicator || ''' lists several: ' || coverage_list
             WHEN allowed_units IS NOT NULL AND coverage IS NULL
             THEN 'unknown coverage ''' || coverage_text || ''' for indicator ''' || indicator || '''; use one of ' || coverage_list END,
        CASE WHEN qualifier NOT IN (@qualifiers@)
             THEN 'qualifier must be one of @qualifier_list@; got ''' || qualifier || '''' END,
        CASE WHEN source_title IS NULL THEN 'source_title is empty; every figure needs its source' END,
        CASE WHEN publisher IS NULL THEN 'publisher is empty; every figure needs its source' END,
        CASE WHEN source_url IS NOT NULL AND NOT @url_ok@
             THEN 'source_url must start with http:// or https://; got ''' || source_url || '''' END,
        CASE WHEN published_date = DATE '@bad_date@'
             THEN 'published must be a real date written YYYY-MM-DD; got ''' || published_text || '''' END
    ) AS problem
FROM d
"""


def canonical_select(source: str) -> str:
    """SQL selecting canonical rows, plus ``line``, ``has_thousands`` and ``problem``, from ``source``.

    ``source`` is a table name or a parenthesised query with the text columns
    COLUMNS plus ``line`` and ``source_file``. Parameters: ``$default_indicator``
    (fills an empty indicator) and ``$strict_numbers`` (true: a value written with
    thousands separators yields no value, so the file is re-read and warned about).
    Only constants of this module and the source (never file text) are pasted in.
    """
    constants = {
        "@source@": source,
        "@url_ok@": URL_OK_SQL,
        "@bad_date@": BAD_DATE,
        "@formats@": PERIOD_FORMATS,
        "@min_year@": str(MIN_YEAR),
        "@max_year@": str(MAX_YEAR),
        "@qualifiers@": ", ".join(f"'{q}'" for q in QUALIFIERS),
        "@qualifier_list@": ", ".join(QUALIFIERS),
        "@max_chars@": str(MAX_VALUE_CHARS),
        "@max_abs@": repr(MAX_ABS_VALUE),
        "@max_abs_text@": f"{MAX_ABS_VALUE:.0e}",
    }
    sql = _CANONICAL_SELECT
    for token, value in constants.items():
        sql = sql.replace(token, value)
    return _TRIM_CALL.sub(lambda call: _TRIM_WHERE_NEEDED.format(text=call[1]), sql)


# trim() of every text column is the costliest step of the checked insert: DuckDB's trim decodes
# every character and looks up its Unicode class (it removes the space separators, Zs). Of those,
# ASCII has only the space, so text that is all ASCII (as many bytes as characters) and neither
# starts nor ends with a space has nothing to trim; these three tests compare bytes and need no
# lookups. Any other text is trimmed. (Testing the first and last characters instead reads the
# last one through a character-indexed substring, which costs as much as trim itself.)
_TRIM_CALL = re.compile(r"\btrim\((\w+)\)")
_TRIM_WHERE_NEEDED = (
    "(CASE WHEN strlen({text}) = length({text}) AND NOT prefix({text}, ' ') AND NOT suffix({text}, ' ') "
    "THEN {text} ELSE trim({text}) END)"
)


def size_problem(path: Path, limit: int | None = None) -> Problem | None:
    """A problem when the file cannot be read or is over the size limit (None when it is fine)."""
    limit = MAX_OBSERVATION_BYTES if limit is None else limit
    try:
        size = path.stat().st_size
    except OSError as exc:
        return error(path, 0, 0, f"cannot read the file: {exc.strerror or exc}")
    if size > limit:
        return error(path, 0, 0, f"the file is {size:,} bytes; the limit is {limit:,}; split it")
    return None
