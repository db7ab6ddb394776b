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
reading it from a ``blob:`` address (the loader before this one): the overview drawn 0.13-0.25 s sooner in three runs
(docs/benchmarks.md), from the title to the chart 437 against 553 ms in a probe (docs/benchmarks-log.md).
"""

from __future__ import annotations

import gzip
import hashlib
import re
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
    tag: str  # of the plain copy; the gzipped one's ends in "-gz" (each representation its own strong tag)

    @classmethod
    def read(cls, path: Path = BUNDLE_FILE) -> Bundle | None:
        """The file with the compile hint before it, and gzipped (about 50 ms, once); None when it cannot be read,
        and then Streamlit answers for the address as for any other."""
        try:
            plain = HINT + path.read_bytes()
        except OSError:
            return None
        return cls(plain, gzip.compress(plain, 9, mtime=0), hashlib.sha256(plain).hexdigest()[:24])

    def etag(self, packed: bool) -> str:
        return f'"{self.tag}-gz"' if packed else f'"{self.tag}"'


_QUALITY = re.compile(r"q=(0(\.\d{0,3})?|1(\.0{0,3})?)", re.IGNORECASE)


def _quality(params: list[str]) -> float:
    """An Accept-Encoding entry's weight (RFC 9110 12.4.2): 1 without one, 0 for a malformed one."""
    for param in params:
        param = param.strip()
        if param[:2].lower() == "q=":
            return float(param[2:]) if _QUALITY.fullmatch(param) else 0.0
    return 1.0


def accepts_gzip(header: str) -> bool:
    """Whether an Accept-Encoding header takes gzip: its own entry (``gzip`` or ``x-gzip``) decides, else ``*``'s;
    a weight of 0 refuses."""
    named, anything = None, None
    for item in header.split(","):
        name, *params = item.split(";")
        name = name.strip().lower()
        if name in ("gzip", "x-gzip"):
            named = max(named or 0.0, _quality(params))
        elif name == "*":
            anything = _quality(params)
    chosen = named if named is not None else anything
    return bool(chosen)


def _none_match(header: str, etag: str) -> bool:
    """If-None-Match against the copy that would be sent: ``*``, or its tag by weak comparison (W/ ignored)."""
    tags = [t.strip() for t in header.split(",")]
    return "*" in tags or etag in (t[2:] if t.startswith("W/") else t for t in tags)


class PlotlyBundle:
    """ASGI middleware: answers GET and HEAD for the bundle's address (under ``server.baseUrlPath``, exactly as the
    page asks for it), and passes everything else on to Streamlit, its path checks included."""

    def __init__(self, app, bundle: Bundle | None) -> None:
        self.app = app
        self.bundle = bundle

    @staticmethod
    def address() -> str:
        from streamlit import config  # read per request: the server's options are set after this module loads

        base = (config.get_option("server.baseUrlPath") or "").strip("/")
        return f"/{base}/{BUNDLE}" if base else f"/{BUNDLE}"

    async def __call__(self, scope, receive, send) -> None:
        if (
            self.bundle is None
            or scope["type"] != "http"
            or scope["method"] not in ("GET", "HEAD")
            or not scope["path"].endswith(BUNDLE)  # the cheap test first: every request of the app passes here
            or scope["path"] != self.address()
        ):
            await self.app(scope, receive, send)
            return
        headers: dict[str, str] = {}
        for key, value in scope.get("headers", []):  # a header sent on several lines is one list
            name = key.decode("latin-1").lower()
            headers[name] = (
                f"{headers[name]}, {value.decode('latin-1')}" if name in headers else value.decode("latin-1")
            )
        packed = accepts_gzip(headers.get("accept-encoding", ""))
        etag = self.bundle.etag(packed)
        common = [(b"cache-control", b"no-cache"), (b"etag", etag.encode()), (b"vary", b"Accept-Encoding")]
        if _none_match(headers.get("if-none-match", ""), etag):
            await send({"type": "http.response.start", "status": 304, "headers": common})
            await send({"type": "http.response.body", "body": b""})
            return
        body = self.bundle.packed if packed else self.bundle.plain
        sent = common + [(b"content-type", TYPE), (b"x-content-type-options", b"nosniff"),
                         (b"content-length", str(len(body)).encode())]  # fmt: skip
        if packed:
            sent.append((b"content-encoding", b"gzip"))
        await send({"type": "http.response.start", "status": 200, "headers": sent})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})


def middleware() -> list[Middleware]:
    """For ``st.App(..., middleware=middleware())``: the bundle is read and compressed now, as the server starts,
    not on its first request (Starlette builds the middleware on the first)."""
    return [Middleware(PlotlyBundle, bundle=Bundle.read())]
