"""The server sends Plotly's basic bundle gzipped, compressed once, with V8's compile hint (views/serving.py), and
``streamlit run app.py`` finds the app that does it."""

import gzip
from pathlib import Path

import pytest
from streamlit.web.server.app_discovery import discover_asgi_app

from views.serving import BUNDLE, BUNDLE_FILE, HINT, Bundle, PlotlyBundle, accepts_gzip, middleware

ROOT = Path(__file__).resolve().parents[2]
PLAIN = BUNDLE_FILE.read_bytes()


def run(coroutine) -> None:
    """Runs a coroutine that never waits on anything (the middleware and these sends): asyncio.run cannot start a
    loop in a test process where a browser test's Playwright keeps one running."""
    try:
        coroutine.send(None)
    except StopIteration:
        return
    raise AssertionError("the middleware waited on something")


async def _passed_on(scope, receive, send):
    await send({"type": "http.response.start", "status": 404, "headers": [(b"x-from", b"streamlit")]})
    await send({"type": "http.response.body", "body": b"not ours"})


def ask(path: str, method: str = "GET", headers: dict | list | None = None, bundle: Bundle | None = None,
        kind: str = "http") -> tuple[int, dict, bytes]:  # fmt: skip
    """(status, headers, body) of the middleware's answer, the headers' names in lower case; ``headers`` a dict, or
    a list of (name, value) for a header sent on several lines."""
    sent = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    scope = {"type": kind, "method": method, "path": path,
             "headers": [(k.lower().encode(), v.encode()) for k, v in
                         (headers.items() if isinstance(headers, dict) else headers or [])]}  # fmt: skip
    app = PlotlyBundle(_passed_on, bundle if bundle is not None else SHARED)
    run(app(scope, receive, send))
    start, body = sent[0], b"".join(m.get("body", b"") for m in sent[1:])
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, body


SHARED = Bundle.read()


def test_the_bundle_is_the_file_with_the_hint_before_it_gzipped_once():
    assert SHARED.plain == HINT + PLAIN
    assert gzip.decompress(SHARED.packed) == HINT + PLAIN
    assert PLAIN.startswith(b"/**\n* plotly.js (basic - minified)"), "static/ keeps the file as npm ships it"


@pytest.fixture
def base_url_path():
    """Sets Streamlit's server.baseUrlPath for one test (the middleware reads it on each request)."""
    from streamlit import config

    before = config.get_option("server.baseUrlPath")
    yield lambda value: config.set_option("server.baseUrlPath", value)
    config.set_option("server.baseUrlPath", before)


@pytest.mark.parametrize("base", ["", "tracker", "/tracker/"])
def test_a_browser_that_takes_gzip_gets_the_gzipped_copy_at_the_address_the_page_asks_for(base, base_url_path):
    base_url_path(base)
    prefix = "/tracker" if base else ""
    status, headers, body = ask(f"{prefix}/{BUNDLE}", headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert status == 200
    assert headers["content-encoding"] == "gzip"
    assert headers["content-type"] == "text/javascript; charset=utf-8"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["vary"] == "Accept-Encoding"
    assert int(headers["content-length"]) == len(body) < len(PLAIN) / 2
    assert gzip.decompress(body) == HINT + PLAIN


@pytest.mark.parametrize("accept", ["", "br", "gzip;q=0", "identity", "gzip;q=nonsense", "*, gzip;q=0"])
def test_a_client_that_does_not_take_gzip_gets_the_plain_file(accept):
    status, headers, body = ask("/" + BUNDLE, headers={"Accept-Encoding": accept} if accept else {})
    assert (status, body) == (200, HINT + PLAIN)
    assert "content-encoding" not in headers
    assert headers["content-length"] == str(len(body))


@pytest.mark.parametrize("header, taken", [("gzip", True), ("GZIP;Q=0.5", True), ("*", True), ("x-gzip", True),
                                           ("deflate, gzip;q=0.001", True), ("gzip;q=0, *", False),
                                           ("br;q=1", False), ("*;q=0, gzip", True), ("*, gzip;q=0", False),
                                           ("gzip;q=2", False), ("gzip;q=inf", False), ("gzip;q=0_1", False),
                                           ("gzip; foo=1; q=0", False), ("gzip;q=1.000", True)])  # fmt: skip
def test_accept_encoding_is_read_by_coding_and_quality(header, taken):
    assert accepts_gzip(header) is taken


def test_a_head_request_gets_the_headers_without_the_body():
    status, headers, body = ask("/" + BUNDLE, method="HEAD", headers={"Accept-Encoding": "gzip"})
    assert (status, body) == (200, b"")
    assert headers["content-length"] == str(len(SHARED.packed))


@pytest.mark.parametrize("held", ['"old", {tag}', "W/{tag}", "*", '"old",W/{tag}'])
def test_a_browser_that_has_the_same_copy_is_told_so_without_the_body(held):
    _, first, _ = ask("/" + BUNDLE, headers={"Accept-Encoding": "gzip"})
    assert first["cache-control"] == "no-cache"  # asked again on every visit: a new version is seen at once
    status, headers, body = ask("/" + BUNDLE, headers={"Accept-Encoding": "gzip",
                                                       "If-None-Match": held.format(tag=first["etag"])})  # fmt: skip
    assert (status, body) == (304, b"")
    assert headers["etag"] == first["etag"]
    assert "content-type" not in headers and "content-length" not in headers
    assert ask("/" + BUNDLE, headers={"If-None-Match": '"old"'})[0] == 200


def test_the_gzipped_and_the_plain_copy_have_tags_of_their_own():
    # A cache holding both must not hand the gzipped copy to a client that does not take gzip on the other's tag.
    packed = ask("/" + BUNDLE, headers={"Accept-Encoding": "gzip"})[1]["etag"]
    plain = ask("/" + BUNDLE)[1]["etag"]
    assert packed != plain
    assert ask("/" + BUNDLE, headers={"If-None-Match": packed})[0] == 200  # plain asked for with the gzip tag


def test_a_header_sent_on_several_lines_is_read_whole():
    tag = ask("/" + BUNDLE, headers={"Accept-Encoding": "gzip"})[1]["etag"]
    lines = [("Accept-Encoding", "br"), ("Accept-Encoding", "gzip"), ("If-None-Match", tag),
             ("If-None-Match", '"other"')]  # fmt: skip
    assert ask("/" + BUNDLE, headers=lines)[0] == 304
    assert ask("/" + BUNDLE, headers=lines[:2])[1]["content-encoding"] == "gzip"


@pytest.mark.parametrize(
    "path, method, kind",
    [("/", "GET", "http"), ("/app/static/other.js", "GET", "http"), ("/" + BUNDLE, "POST", "http"),
     ("/" + BUNDLE + ".gz", "GET", "http"), ("/_stcore/stream", "GET", "websocket"),
     ("/x/y/" + BUNDLE, "GET", "http"), ("/_stcore/" + BUNDLE, "GET", "http"), ("/../" + BUNDLE, "GET", "http"),
     ("/" + BUNDLE + "/", "GET", "http"), ("/" + BUNDLE.upper(), "GET", "http")],
)  # fmt: skip
def test_every_other_request_is_passed_on_to_streamlit(path, method, kind):
    # Streamlit's own checks of a path (traversal, other prefixes) then apply as without the middleware.
    assert ask(path, method, kind=kind) == (404, {"x-from": "streamlit"}, b"not ours")


def test_under_a_base_path_the_address_without_it_is_passed_on(base_url_path):
    base_url_path("tracker")
    assert ask("/" + BUNDLE)[0] == 404


def test_without_the_file_every_request_is_passed_on(tmp_path):
    assert Bundle.read(tmp_path / "missing.js") is None
    passing = PlotlyBundle(_passed_on, None)
    sent = []

    async def send(message):
        sent.append(message)

    run(passing({"type": "http", "method": "GET", "path": "/" + BUNDLE, "headers": []}, None, send))
    assert sent[0]["status"] == 404


def test_the_middleware_is_built_with_the_bundle_read_once_at_start():
    (built,) = middleware()
    assert built.cls is PlotlyBundle
    assert built.kwargs["bundle"] == SHARED


def test_streamlit_run_app_py_finds_the_app():
    # Streamlit finds an ASGI app by the file's syntax (an st.App(...) call assigned to a name): an app made by a
    # helper function would be run as a plain script, which shows a blank page.
    found = discover_asgi_app(ROOT / "app.py")
    assert found.is_asgi_app, found
    assert found.app_name == "app"
