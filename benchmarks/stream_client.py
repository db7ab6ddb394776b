"""A Streamlit session over the app's own websocket protocol, as the browser's frontend drives it.

The frontend opens ``/_stcore/stream`` (subprotocol ``streamlit``) and asks for a run of a page
with a ``BackMsg`` whose ``rerun_script`` carries the client state: the page's URL path
(``page_name``, empty for the default page) and its query string. The server answers with
``ForwardMsg``s: ``new_session``, the page's elements (``delta``), and ``script_finished`` when the
run is over. A page is rendered when its run finished successfully without showing an exception.
No cached-message hashes are sent, so the server sends every element in full (as to a new visitor).
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

TARGET_IDS = re.compile(r'data-target="([^"]+)"')
"""A scorecard row names its target (views/overview.py): where a reader's click would lead."""


@dataclass
class Render:
    """What one run of a page sent: its texts, the exceptions it showed, and how it ended."""

    texts: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    page_not_found: bool = False
    finished: str | None = None
    """The name of the ScriptFinishedStatus that ended the run (None while it runs)."""
    seconds: float = 0.0

    @property
    def error(self) -> str | None:
        """Why this render is not what a reader should see, or None."""
        if self.exceptions:
            return "exception: " + self.exceptions[0][:200]
        if self.page_not_found:
            return "page not found"
        if self.finished != "FINISHED_SUCCESSFULLY":
            return f"run ended with {self.finished}"
        return None


def rerun_request(page: str, query: str = "") -> bytes:
    """The BackMsg a browser sends to show ``/{page}?{query}``."""
    msg = BackMsg()
    msg.rerun_script.page_name = page
    msg.rerun_script.query_string = query
    msg.rerun_script.context_info.url = f"http://localhost/{page}" + (f"?{query}" if query else "")
    msg.rerun_script.context_info.timezone = "UTC"
    msg.rerun_script.context_info.locale = "en-US"
    return msg.SerializeToString()


def absorb(render: Render, data: bytes) -> bool:
    """Record one ForwardMsg in ``render``; True when it ends the run (a run cut short for a
    rerun does not: the rerun that follows ends it)."""
    msg = ForwardMsg.FromString(data)
    kind = msg.WhichOneof("type")
    if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
        element = msg.delta.new_element
        which = element.WhichOneof("type")
        if which == "exception":
            render.exceptions.append(f"{element.exception.type}: {element.exception.message}")
        elif which == "markdown":
            render.texts.append(element.markdown.body)
        elif which == "heading":
            render.texts.append(element.heading.body)
        elif which == "alert":
            render.texts.append(element.alert.body)
        elif which == "bidi_component" and element.bidi_component.json:  # the app's markup (views/markup.py)
            render.texts.append(str(json.loads(element.bidi_component.json).get("markup", "")))
    elif kind == "page_not_found":
        render.page_not_found = True
    elif kind == "script_finished":
        render.finished = ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished)
        return msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN
    return False


class Session:
    """One visitor: a websocket to the server, on which pages are shown one after another."""

    def __init__(self, url: str):
        self.url = url.replace("http://", "ws://").rstrip("/") + "/_stcore/stream"
        self.socket = None

    async def __aenter__(self) -> Session:
        import websockets

        self.socket = await websockets.connect(self.url, subprotocols=["streamlit"], max_size=None,
                                               open_timeout=120, ping_interval=None)  # fmt: skip
        return self

    async def __aexit__(self, *exc) -> None:
        await self.socket.close()

    async def show(self, page: str, query: str = "", timeout: float = 300) -> Render:
        """Ask for a page and read the answer until its run is over (or ``timeout`` seconds pass)."""
        render = Render()
        start = time.perf_counter()
        await self.socket.send(rerun_request(page, query))
        async with asyncio.timeout(timeout):
            while not absorb(render, await self.socket.recv()):
                pass
        render.seconds = time.perf_counter() - start
        return render
