"""What the app's server adds to Streamlit's: Plotly's basic bundle sent gzipped, compressed once at start.

``app.py`` runs the dashboard as an ``st.App`` with ``MIDDLEWARE``. The bundle's address stays the one Streamlit's
static file serving gives it (``/app/static/plotly-basic.min.js``, under any ``server.baseUrlPath``), so the same
page works when the dashboard is run without it (``streamlit run dashboard.py``), where Streamlit sends the file
itself, compressing it again for every request.

Sent with ``Content-Encoding: gzip``, the bundle is inflated by the browser's network code, off the page's main
thread, and a plain ``<script src>`` lets Chromium compile it on a background thread while it downloads. The copy
sent starts with V8's compile hint ``//# allFunctionsCalledOnLoad`` (Chromium 136 and later; a comment elsewhere),
so that every function of the bundle is compiled then, not one by one on the main thread the first time each runs.
The file in ``static/`` stays as npm ships it. Measured against the browser inflating a gzipped copy itself and
reading it from a ``blob:`` address (the loader before this one): the chart was drawn about 0.1 s sooner after the
page's title (docs/benchmarks.md).
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from pathlib import Path

from starlette.middleware import Middleware

BUNDLE = "app/static/plotly-basic.min.js"
"""The bundle's address relative to a page's (static/, served by server.enableStaticServing in .streamlit/config.toml)."""
ROOT = Path(__file__).resolve().parents[1]
BUNDLE_FILE = ROOT / "static" / Path(BUNDLE).name
HINT = b"//# allFunctionsCalledOnLoad\n"
TYPE = b"text/javascript; charset=utf-8"


@dataclass(frozen=True)
class Bundle:
    plain: bytes
    packed: bytes
    etag: bytes

    @classmethod
    def read(cls, path: Path = BUNDLE_FILE) -> Bundle | None:
        """The file with the compile hint before it, and gzipped (about 50 ms, once); None when it cannot be read,
        and then Streamlit answers for the address as for any other."""
        try:
            plain = HINT + path.read_bytes()
        except OSError:
            return None
        etag = b'"' + hashlib.sha256(plain).hexdigest()[:24].encode() + b'"'
        return cls(plain, gzip.compress(plain, 9, mtime=0), etag)


def accepts_gzip(header: str) -> bool:
    """Whether an Accept-Encoding header takes gzip (``gzip`` or ``*``, with a quality above 0)."""
    for item in header.split(","):
        name, _, params = item.strip().partition(";")
        if name.strip().lower() not in ("gzip", "x-gzip", "*"):
            continue
        quality = params.strip().lower()
        if quality.startswith("q="):
            try:
                return float(quality[2:]) > 0
            except ValueError:
                return False
        return True
    return False


class PlotlyBundle:
    """ASGI middleware: answers GET and HEAD for the bundle's address, and passes everything else on."""

    def __init__(self, app, bundle: Bundle | None) -> None:
        self.app = app
        self.bundle = bundle
        self.suffix = "/" + BUNDLE

    async def __call__(self, scope, receive, send) -> None:
        if (
            self.bundle is None
            or scope["type"] != "http"
            or scope["method"] not in ("GET", "HEAD")
            or not scope["path"].endswith(self.suffix)
        ):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        common = [(b"content-type", TYPE), (b"cache-control", b"no-cache"), (b"etag", self.bundle.etag),
                  (b"vary", b"Accept-Encoding")]  # fmt: skip
        if self.bundle.etag.decode() in (t.strip() for t in headers.get("if-none-match", "").split(",")):
            await send({"type": "http.response.start", "status": 304, "headers": common})
            await send({"type": "http.response.body", "body": b""})
            return
        packed = accepts_gzip(headers.get("accept-encoding", ""))
        body = self.bundle.packed if packed else self.bundle.plain
        sent = (
            common
            + [(b"content-length", str(len(body)).encode())]
            + ([(b"content-encoding", b"gzip")] if packed else [])
        )
        await send({"type": "http.response.start", "status": 200, "headers": sent})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})


def middleware() -> list[Middleware]:
    """For ``st.App(..., middleware=middleware())``: the bundle is read and compressed now, as the server starts,
    not on its first request (Starlette builds the middleware on the first)."""
    return [Middleware(PlotlyBundle, bundle=Bundle.read())]
