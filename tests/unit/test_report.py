"""The static HTML snapshot: every target, escaped text, http(s) links only, plotly inlined once."""

from __future__ import annotations

import shutil

from tests.conftest import ROOT
from tracker import store
from tracker.catalog import load_catalogue


def test_report_has_every_target_and_works_offline(run_cli, tmp_path):
    db = tmp_path / "t.duckdb"
    code, _, err = run_cli("report", "--out", tmp_path / "out", "--db", db, "--as-of", "2026-11-29")
    assert code == 0, err
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    for target_id in load_catalogue(ROOT / "targets", ROOT / "data").targets:
        assert f"<section id='{target_id}'>" in page
    from plotly.offline import get_plotlyjs

    assert page.count(get_plotlyjs()[:200]) == 1, "plotly.js is inlined once"
    assert "<script src=" not in page, "nothing is fetched from the network"
    assert "the figure reaches 3.67 billion connections by end-2027" in page
    assert "assessed as of 2026-11-29" in page


def test_hostile_text_is_escaped_and_only_http_links_are_links(tmp_path):
    shutil.copytree(ROOT / "targets", tmp_path / "targets")
    shutil.copytree(ROOT / "data", tmp_path / "data", ignore=shutil.ignore_patterns("*.duckdb*"))
    path = tmp_path / "data" / "observations" / "little-giants.csv"
    text = path.read_text(encoding="utf-8").replace(
        "2022全国专精特新中小企业发展大会 report", "<script>alert(1)</script><img src=x onerror=alert(2)>"
    )
    text = text.replace("https://ordoszxqy.org.cn/article/info/1945", "javascript:alert(3)")
    path.write_text(text, encoding="utf-8")
    report = store.build(tmp_path / "targets", tmp_path / "data", tmp_path / "t.duckdb")
    assert "little-giants.csv" in " ".join(str(p) for p in report.left_out), "a javascript: address is rejected"
    text = text.replace("javascript:alert(3)", "")
    path.write_text(text, encoding="utf-8")
    store.build(tmp_path / "targets", tmp_path / "data", tmp_path / "t.duckdb")
    from tracker.report import write_report

    con = store.connect(tmp_path / "t.duckdb")
    try:
        page = write_report(con, tmp_path / "out").read_text(encoding="utf-8")
    finally:
        con.close()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in page
    assert 'href="javascript:' not in page and "href='javascript:" not in page
