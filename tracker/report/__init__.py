"""The static site: ``python -m tracker report --out DIR``.

DIR/index.html           the entry page (points to en/ and zh/)
DIR/en/, DIR/zh/         index.html (the counts, "needs attention" and the scorecard's first rows),
                         scorecard-2.html ... (its next rows, 100 a page), policies.html, indicators.html,
                         methodology.html, data.html, targets/ID.html, policies/ID.html, indicators/ID.html
DIR/assets/              plotly-basic.min.js (Plotly's basic bundle, the app's static/ file: every chart
                         here is scatter traces, shapes and annotations) and site.css, shared by every page
DIR/data/                observations, targets, statuses (CSV, JSON), datapackage.json,
                         targets/ID.json (status components), series/INDICATOR.csv, changes.json
DIR/feed.xml             Atom feed of status changes between builds

The site is written into a new folder beside DIR and swapped in whole, so that an interrupted run
leaves the earlier site as it was; the earlier site's statuses.json is read first, for the feed.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from datetime import UTC, date, datetime
from multiprocessing import get_context
from pathlib import Path

import duckdb

from tracker import queries
from tracker.exports import csv_text
from tracker.freshness import latest_coverage
from tracker.i18n import LANGUAGES, t
from tracker.observations import MEMORY_LIMIT
from tracker.report import feed, opendata
from tracker.report.html import GENERATOR, PLOTLY_ASSET, PLOTLY_BUNDLE, STYLESHEET, esc, name, preview_tags
from tracker.report.pages import (
    SiteData,
    indicator_page,
    list_page,
    methodology_page,
    policy_page,
    target_page,
)  # fmt: skip
from tracker.report.scorecard import scorecard_pages

__all__ = ["GENERATOR", "is_report_folder", "write_report"]


def is_report_folder(folder: Path) -> bool:
    """True when ``folder`` holds a report written by this module (and may be written again)."""
    try:
        with (folder / "index.html").open("rb") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    return any(f"content={q}{GENERATOR}{q}".encode() in head for q in "'\"")


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _data_page(data: SiteData, lang: str) -> str:
    files = ["datapackage.json", "observations.csv", "observations.json", "targets.csv", "targets.json",
             "statuses.csv", "statuses.json", "changes.json"]  # fmt: skip
    items = "".join(f'<li><a href="../data/{f}">{f}</a></li>' for f in files)
    body = (f"<h1>{esc(t('site.data', lang))}</h1><p>{esc(t('site.data_intro', lang))}</p><ul>{items}</ul>"
            f'<p><a href="../feed.xml">{esc(t("site.feed", lang))}</a></p>')  # fmt: skip
    return data.page(lang, 1, "data.html", t("site.data", lang), body, t("site.data_intro", lang))


def _entry_page(base_url: str) -> str:
    links = " · ".join(
        f'<a href="{code}/index.html" hreflang="{code}">{esc(label)}</a>' for code, label in LANGUAGES.items()
    )
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="generator" content="{GENERATOR}">'
            '<meta http-equiv="refresh" content="0; url=en/index.html"><link rel="icon" href="data:,">'
            f"{preview_tags(t('site.title'), t('site.about_site'), 'en', base_url, suffix=False)}"
            f"</head><body><h1>{esc(t('app.name'))}</h1><p>{links}</p>"
            '<p><a href="en/data.html">Open data</a> · <a href="feed.xml">Atom feed</a></p>'
            "</body></html>\n")  # fmt: skip


PARALLEL_FROM = 200
"""From this many indicators on, their pages are drawn by several processes (one per core)."""

CHUNK = 25
"""Indicators drawn as one piece of work by a worker process (small pieces keep the processes evenly busy)."""

REPORT_MEMORY_LIMIT = MEMORY_LIMIT
"""DuckDB's memory while the site is written (the open-data export of every observation spills beyond it)."""


def _indicator_pages(con, root: Path, data: SiteData, ids: list[str]) -> dict[str, tuple]:
    """Each indicator's page, its targets' pages (both languages), its CSV and its targets' JSON. Returns, by
    indicator, the coverage of its latest figure (``tracker.freshness.latest_coverage``), for the list of
    indicators, read from the figures while they are at hand."""
    # One query per indicator: fetching CHUNK indicators' observations in one query took about half the CPU of
    # the queries but held the chunk's frame (and DuckDB's result) in each worker, about 65 MB more at its peak.
    indicators = data.indicators_by_id
    targets = data.targets_by_id
    latest = {}
    for indicator_id in ids:
        data.next_indicator()
        series = queries.observations(con, indicator_id)
        latest[indicator_id] = latest_coverage(series)
        _write(root / "data" / "series" / f"{indicator_id}.csv", csv_text(series))  # formulas neutralised
        for lang in LANGUAGES:
            page_html = indicator_page(data, indicators.loc[indicator_id], series, lang)
            _write(root / lang / "indicators" / f"{indicator_id}.html", page_html)
        for target_id in targets.index[targets["indicator"] == indicator_id]:
            for lang in LANGUAGES:
                _write(root / lang / "targets" / f"{target_id}.html", target_page(data, target_id, series, lang))
            assessed, target = data.records(target_id)
            record = opendata.target_json(assessed, target["unit"])
            _write(root / "data" / "targets" / f"{target_id}.json", record)
    return latest


_worker: dict = {}
"""A worker process's connection, output folder and site data, set once by :func:`_start_worker`."""


def _worker_database(db_path: str) -> duckdb.DuckDBPyConnection:
    """The database file, read-only, on a DuckDB instance of the worker's own.

    ``duckdb.connect(path)`` in a forked worker would hand back the parent's instance, copied into the worker
    without its threads. An in-memory database that attaches the file is new; its views of the file's tables
    make them the default for every cursor (a ``USE`` would hold for one connection only)."""
    con = duckdb.connect()
    con.execute(f"ATTACH '{db_path.replace(chr(39), chr(39) * 2)}' AS site (READ_ONLY)")  # ATTACH takes no parameter
    tables = con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'site'").fetchall()
    for (table,) in tables:
        name = '"' + table.replace('"', '""') + '"'  # an identifier: the database's own table names
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM site.main.{name}")  # noqa: S608
    return con


def _start_worker(db_path: str, root: Path, data: SiteData) -> None:
    # Forked, the worker shares the site data with the parent (nothing is pickled); spawned, it crosses once.
    _worker.update(con=_worker_database(db_path), root=root, data=data)


def _indicator_pages_apart(ids: list[str]) -> dict[str, tuple]:
    """:func:`_indicator_pages` in a worker process, on its own read-only connection."""
    return _indicator_pages(_worker["con"], _worker["root"], _worker["data"], ids)


def _all_indicator_pages(con, root: Path, data: SiteData, jobs: int | None) -> dict[str, tuple]:
    """Every indicator's pages (:func:`_indicator_pages`), by several processes from PARALLEL_FROM indicators on;
    returns what each call returns, merged."""
    ids = list(data.indicators["id"])
    path = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
    if jobs is None:
        jobs = min(os.cpu_count() or 1, 4) if len(ids) >= PARALLEL_FROM else 1
    if jobs <= 1 or not path or not path[0]:
        return _indicator_pages(con, root, data, ids)
    # On Linux the workers are forked once the site data is ready: they share it and the loaded modules with
    # this process, page for page until one writes (copy on write), and start without importing anything.
    # Elsewhere they are spawned.
    chunks = [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]
    context = get_context("fork" if sys.platform == "linux" else "spawn")
    start = {"initializer": _start_worker, "initargs": (path[0], root, data)}
    with ProcessPoolExecutor(jobs, mp_context=context, **start) as pool:
        return {k: v for part in pool.map(_indicator_pages_apart, chunks) for k, v in part.items()}


@contextmanager
def _memory_capped(con):
    """DuckDB capped at REPORT_MEMORY_LIMIT on one thread (it spills to its temporary folder), then set back.

    Writing a million observations as one JSON array runs out of memory under the cap with a thread per
    core; one thread writes it within the cap."""
    names = ("memory_limit", "threads")
    before = {n: con.execute("SELECT current_setting(?)", [n]).fetchone()[0] for n in names}
    try:
        for setting, value in {"memory_limit": REPORT_MEMORY_LIMIT, "threads": 1}.items():
            con.execute(f"SET {setting} = '{value}'")  # this module's names and values; SET takes no parameter
        yield
    finally:
        for setting, value in before.items():
            con.execute(f"SET {setting} = '{value}'")


def _site(con, root: Path, data: SiteData, previous: dict, earlier: list[dict], jobs: int | None = None) -> None:
    (root / "assets").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PLOTLY_BUNDLE, root / "assets" / PLOTLY_ASSET)
    _write(root / "assets" / "site.css", STYLESHEET)
    with _memory_capped(con):
        opendata.write_tables(con, root / "data", data.assessed, data.targets, data.meta)
    data.card("en"), data.card("zh")  # built once here, so that every worker receives them
    data.latest_coverage = _all_indicator_pages(con, root, data, jobs)
    for lang in LANGUAGES:
        for file, html in scorecard_pages(data, lang).items():
            _write(root / lang / file, html)
        _write(root / lang / "methodology.html", methodology_page(data, lang))
        _write(root / lang / "data.html", _data_page(data, lang))
        for what in ("policies", "indicators"):
            _write(root / lang / f"{what}.html", list_page(data, what, lang))
        for _, policy in data.policies.iterrows():
            _write(root / lang / "policies" / f"{policy['id']}.html", policy_page(data, policy, lang))
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    titles = {i: name(e, None, "en") for i, e in zip(data.targets["id"], data.targets["title"], strict=True)}
    entries = feed.changes(previous, data.assessed, titles, now, str(data.meta.get("data_version", ""))) + earlier
    feed.write_changes(root / "data" / "changes.json", entries)
    _write(root / "feed.xml", feed.atom(entries, now))
    _write(root / "index.html", _entry_page(data.base_url))


def _swap_in(out: Path, write: Callable[[Path], None]) -> None:
    """``write`` the site into a new folder beside ``out``, then put it in ``out``'s place in one rename, so
    that an interrupted run leaves the earlier site as it was."""
    out.parent.mkdir(parents=True, exist_ok=True)
    building = out.parent / f".{out.name}.building-{os.getpid()}"
    retired = out.parent / f".{out.name}.old-{os.getpid()}"
    shutil.rmtree(building, ignore_errors=True)
    try:
        write(building)
        if out.exists():
            os.replace(out, retired)
        os.replace(building, out)
    finally:
        shutil.rmtree(building, ignore_errors=True)
        shutil.rmtree(retired, ignore_errors=True)


def write_report(
    con, out: Path, as_of: date | None = None, previous: Path | None = None, jobs: int | None = None,
    base_url: str = "",
) -> Path:  # fmt: skip
    """Write the site into ``out`` from the database behind ``con``; returns out/index.html.

    The feed compares with the statuses of the earlier site in ``previous`` (default: ``out``
    itself); a CI job that starts empty passes the folder where it saved the published site's
    data/statuses.json and data/changes.json. ``jobs`` processes draw the pages (default: one per core,
    up to 4, once there are 200 indicators or more). ``base_url`` is where the site will be published
    (ending in ``/``), for each page's address in its link preview; without it pages name no address."""
    from tracker.assess import assess

    as_of = as_of or date.today()
    data = SiteData(as_of, queries.meta(con), assess(con, as_of), queries.targets(con), queries.policies(con),
                    queries.indicators(con), base_url=base_url)  # fmt: skip
    earlier_site = out if previous is None else previous
    statuses = opendata.statuses_by_id(earlier_site / "data" / "statuses.json")
    earlier = feed.history(earlier_site / "data" / "changes.json")
    out = out.absolute()
    _swap_in(out, lambda building: _site(con, building, data, statuses, earlier, jobs))
    return out / "index.html"
