"""The public site's address: the setting, and the page it points to for a target."""

from __future__ import annotations

from datetime import date

from tests.conftest import CATALOG_FIXTURES
from tracker import store
from tracker.catalog import load_catalogue
from tracker.paths import public_target_url, site_url
from tracker.report import write_report


def test_site_url_is_optional_and_only_a_web_address():
    assert site_url({}) == (None, None)
    assert site_url({"TRACKER_SITE_URL": "  "}) == (None, None)
    assert site_url({"TRACKER_SITE_URL": "https://owner.github.io/repo"}) == ("https://owner.github.io/repo/", None)
    value, problem = site_url({"TRACKER_SITE_URL": "javascript:alert(1)"})
    assert value is None
    assert (
        problem == "TRACKER_SITE_URL must be a web address starting with http:// or https://; got 'javascript:alert(1)'"
    )


def test_a_targets_public_address_is_the_page_the_site_writes(tmp_path):
    targets, data = CATALOG_FIXTURES / "good", CATALOG_FIXTURES / "data"
    store.build(targets, data, tmp_path / "t.duckdb")
    con = store.connect(tmp_path / "t.duckdb")
    try:
        out = write_report(con, tmp_path / "out", date(2026, 11, 29)).parent
    finally:
        con.close()
    base = "https://owner.github.io/repo/"
    ids = list(load_catalogue(targets, data).targets)
    assert ids
    for lang in ("en", "zh"):
        for target_id in ids:
            url = public_target_url(base, lang, target_id)
            assert url.startswith(base) and (out / url.removeprefix(base)).is_file(), url
