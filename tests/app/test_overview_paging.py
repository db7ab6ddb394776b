"""A catalogue larger than one page of rows: the overview lists its rows a page at a time, most urgent first."""

from __future__ import annotations

import re
from datetime import date

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from tests.app.conftest import clear_caches, markup_of
from tests.conftest import ROOT, copy_project
from tracker import queries
from tracker.assess import assess
from tracker.scorecard import build_scorecard
from tracker.store import connect

COPIES = 2
"""Each shipped target is also filed this many times under other ids, in one more policy."""


class _Plain(yaml.SafeDumper):
    """Every value written out in full: tracker files allow no YAML aliases."""

    def ignore_aliases(self, data) -> bool:
        return True


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    """The shipped files and a policy holding copies of every shipped target: more rows than one page."""
    root = copy_project(tmp_path_factory.mktemp("large"))
    shipped = [t for f in sorted((ROOT / "targets").glob("*.yaml")) for t in yaml.safe_load(f.read_text())["targets"]]
    copies = [{**t, "id": f"{t['id']}-copy-{k}", "title": f"{t['title']} (copy {k})"}
              for k in range(1, COPIES + 1) for t in shipped]  # fmt: skip
    policy = {"id": "paging-copies", "title": "Copies of the shipped targets", "issuer": "Tests", "issued": "2021-01-01",
              "url": "https://example.org/copies", "summary": "More targets than one page of the overview."}  # fmt: skip
    text = yaml.dump({"policy": policy, "targets": copies}, Dumper=_Plain, allow_unicode=True, sort_keys=False)
    (root / "targets" / "paging-copies.yaml").write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def app(large, monkeypatch):
    monkeypatch.setenv("TRACKER_TARGETS", str(large / "targets"))
    monkeypatch.setenv("TRACKER_DATA", str(large / "data"))
    monkeypatch.setenv("TRACKER_DB", str(large / "tracker.duckdb"))
    clear_caches()
    yield large
    clear_caches()


def _card(root):
    """The scorecard tracker computes from the database the app built (the page must show the same)."""
    con = connect(root / "tracker.duckdb")
    try:
        return build_scorecard(assess(con, date.today()), queries.targets(con), date.today())
    finally:
        con.close()


def _lists(at: AppTest) -> list[list[str]]:
    """The target ids of each list of rows on the page, top to bottom."""
    return [found for m in markup_of(at.main) if (found := re.findall(r'class="sc-row" data-target="([^"]+)"', m))]


def _open(**params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_scorecard_shows_a_hundred_rows_at_a_time_and_the_url_picks_which(app):
    at = _open()
    card = _card(app)
    total = len(card)
    assert 200 < total <= 300
    assert any(f"Scorecard: all {total} targets" in m for m in markup_of(at.main))
    assert at.selectbox(key="url_rows").options == ["1–100", "101–200", f"201–{total}"]
    assert list(card["id"][:100]) in _lists(at)
    assert list(card["id"][100:200]) not in _lists(at)
    at = _open(rows="3")
    assert list(card["id"][200:]) in _lists(at)
    at.selectbox(key="url_rows").set_value("2").run()
    assert at.query_params["rows"] in ("2", ["2"])
    assert list(card["id"][100:200]) in _lists(at)
