"""The overview's chart draws from the gzipped copy of Plotly's basic bundle, sent as it is (views/plot.py)."""

from playwright.sync_api import expect


def test_the_chart_is_drawn_from_the_gzipped_bundle_which_the_server_does_not_compress_again(first_visit):
    # The overview as first opened in a browser context of its own (nothing cached): the scorecard's CSV
    # download clicks in the same tab, which does not fetch the bundle again.
    expect(first_visit.tab.locator(".basic-plot .main-svg").first).to_be_attached(timeout=60_000)
    fetched = [(r.url.rsplit("/", 1)[-1], r.status, r.headers.get("content-encoding"), r.headers.get("content-type"))
               for r in first_visit.bundle_replies if not r.url.startswith("blob:")]  # fmt: skip
    assert fetched == [("plotly-basic.min.js.gz", 200, None, "application/gzip")]
