"""A Plotly figure as plain data: what tracker.charts builds, before Plotly checks it.

Plotly's figure objects check every property as it is set, which costs about 0.1 s per chart.
The app draws a handful of charts per page and does not notice; the static site draws two per
target and two per indicator, thousands on a large catalogue. So the charts are built as a
:class:`FigureSpec` (a dict of traces and layout, with the few figure methods tracker.charts
uses), and then either handed to ``go.Figure`` (the app, which checks it once) or written to the
page as it is (the site). Both read the same spec, so the site draws the app's chart;
tests/unit/test_report.py compares the two.

The methods take nested dicts (``title=dict(text=...)``), never Plotly's ``title_text`` shorthand,
so that every chart helper works the same on a spec and on a ``go.Figure``.
"""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.io.json import to_json_plotly


def _copied(value: object) -> object:
    """``value`` with its dicts and lists copied, so that a later update of the spec never changes what the caller
    passed (a shared font dict, say). Other values are kept as they are: the charts put only immutable values
    (numbers, text, timestamps) into a spec, and copy.deepcopy rebuilt each timestamp of an axis's ticks."""
    if isinstance(value, dict):
        return {key: _copied(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copied(item) for item in value]
    return value


_AS_IS = frozenset((str, float, int, bool, type(None)))
"""Types the JSON encoder writes itself."""


def _plain(value: object) -> object:
    """``value`` with what Plotly's JSON encoder (``PlotlyJSONEncoder.default``) turns into JSON values turned into
    them here: NaT into None, a date or timestamp into its ISO text, an array of datetimes into numpy's ISO texts,
    another array into a list. Anything else is left as it is, for the encoder (tests/unit/test_report.py checks
    that the page's JSON is the same either way)."""
    kind = type(value)
    if kind is dict:
        return {key: item if type(item) in _AS_IS else _plain(item) for key, item in value.items()}
    if kind is list or kind is tuple:  # hover texts: thousands of strings, passed on without a call each
        return [item if type(item) in _AS_IS else _plain(item) for item in value]
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "M":
            return np.datetime_as_string(value).tolist()
        return _plain(value.tolist()) if value.dtype.kind == "O" else value.tolist()
    if value is pd.NaT:
        return None
    return value.isoformat() if isinstance(value, date) else value


def _merge(into: dict, new: dict) -> None:
    """Plotly's update semantics: nested dicts merge, everything else replaces."""
    for key, value in new.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = _copied(value) if isinstance(value, dict) else value


class FigureSpec:
    """The traces and layout of one chart, with the subset of ``go.Figure``'s methods the charts use."""

    def __init__(self) -> None:
        self.data: list[dict] = []
        self.layout: dict = {}

    def add_trace(self, trace: dict) -> None:
        self.data.append(trace)

    def update_layout(self, **changes: object) -> None:
        _merge(self.layout, changes)

    def update_xaxes(self, **changes: object) -> None:
        _merge(self.layout.setdefault("xaxis", {}), changes)

    def update_yaxes(self, **changes: object) -> None:
        _merge(self.layout.setdefault("yaxis", {}), changes)

    def add_shape(self, **shape: object) -> None:
        self.layout.setdefault("shapes", []).append(shape)

    def add_annotation(self, **annotation: object) -> None:
        self.layout.setdefault("annotations", []).append(annotation)

    def figure(self) -> go.Figure:
        """The checked Plotly figure (what the app draws)."""
        return go.Figure({"data": self.data, "layout": self.layout})

    def to_dict(self) -> dict:
        """The figure as ``go.Figure(...).to_dict()`` has it (with the default template), unchecked."""
        return {"data": self.data, "layout": {"template": _template(), **self.layout}}

    def to_plain_dict(self) -> dict:
        """:meth:`to_dict` with its timestamps and arrays as the values Plotly's JSON encoder writes for them (see
        :func:`_plain`): the same JSON, but the encoder no longer tries its fallbacks one by one on every date of
        an axis (about half the time of writing a site chart)."""
        return {"data": _plain(self.data), "layout": {"template": _template(), **_plain(self.layout)}}

    def to_json(self) -> str:
        return to_json_plotly(self.to_dict())


@lru_cache(maxsize=1)
def _template() -> dict:
    """The default template, as ``go.Figure`` puts it into every figure's layout. Its keys are sorted: Plotly
    lists them in the order they were first set in the process, so that pages drawn by another process would
    differ in bytes (not in looks)."""
    return json.loads(json.dumps(go.layout.Template(pio.templates[pio.templates.default]).to_plotly_json(),
                                 sort_keys=True))  # fmt: skip
