"""The statuses: ids, English labels, colours, icons, urgency and groups, in one place.

Labels in other languages come from the i18n catalogue (key ``status.<id>``); the English ones here
are what the terminal, the static report and the tests read. Colours pass WCAG AA against white text
or are used with a dark outline; each status also has a plain shape so that it reads without an emoji
font.
"""

from __future__ import annotations

STATUSES: tuple[str, ...] = (
    "achieved",
    "on_track",
    "acceleration_needed",
    "limited_progress",
    "deteriorating",
    "missed",
    "awaiting_final",
    "insufficient_data",
    "no_data",
    "not_assessed",
)
JUDGED_STATUSES: tuple[str, ...] = STATUSES[:-1]
"""The statuses a commitment or an expectation can have; reference levels and readings are not_assessed."""
STATUS_LABELS = {
    "achieved": "Achieved",
    "on_track": "On track",
    "acceleration_needed": "Acceleration needed",
    "limited_progress": "Limited progress",
    "deteriorating": "Deteriorating",
    "missed": "Missed",
    "awaiting_final": "Awaiting final figure",
    "insufficient_data": "Insufficient data",
    "no_data": "No data",
    "not_assessed": "Not assessed",
}
STATUS_COLORS = {
    "achieved": "#116329",
    "on_track": "#1a7f37",
    "acceleration_needed": "#9a6700",
    "limited_progress": "#bc4c00",
    "deteriorating": "#cf222e",
    "missed": "#82071e",
    "awaiting_final": "#0a6c74",
    "insufficient_data": "#57606a",
    "no_data": "#6e7781",
    "not_assessed": "#6639ba",
}
"""Each at least 4.5:1 against white, so that a status name in its colour passes WCAG AA as text
(tests/unit/test_charts.py checks it); achieved and on track share a hue and differ in shape."""
STATUS_SHAPES = {
    "achieved": "✔",
    "on_track": "▲",
    "acceleration_needed": "◆",
    "limited_progress": "▼",
    "deteriorating": "✖",
    "missed": "■",
    "awaiting_final": "◷",
    "insufficient_data": "◐",
    "no_data": "○",
    "not_assessed": "·",
}
"""A plain shape character per status for text without icons (CSV, Excel, terminals); the pages draw
the same shapes as inline SVG (views.widgets.status_icon), which needs no font."""
STATUS_MARKERS = {
    "achieved": "hexagon",
    "on_track": "triangle-up",
    "acceleration_needed": "diamond",
    "limited_progress": "triangle-down",
    "deteriorating": "x",
    "missed": "square",
    "awaiting_final": "hourglass",
    "insufficient_data": "circle",
    "no_data": "circle-open",
    "not_assessed": "line-ew-open",
}
"""The Plotly marker of each status on the overview's charts: the shape of STATUS_SHAPES where Plotly has one
(it has no tick: achieved is a hexagon, not a star, which a target's chart draws for the target itself), so that two
statuses of one hue (achieved and on track, or the greys of insufficient data and no data) differ by shape, not
colour alone."""
STATUS_ICONS = {
    "achieved": "✅",
    "on_track": "🟢",
    "acceleration_needed": "🟡",
    "limited_progress": "🟠",
    "deteriorating": "🔴",
    "missed": "⛔",
    "awaiting_final": "⏳",
    "insufficient_data": "⚪",
    "no_data": "⬜",
    "not_assessed": "◻️",
}
URGENCY = {status: rank for rank, status in enumerate(
    ("deteriorating", "limited_progress", "acceleration_needed", "insufficient_data", "no_data", "on_track",
     "awaiting_final", "missed", "achieved", "not_assessed")
)}  # fmt: skip
"""Within a group of the scorecard, the soonest deadline first, then the worst status."""
AT_RISK: tuple[str, ...] = ("deteriorating", "limited_progress", "acceleration_needed")
"""Open targets behind pace: the overview's "Needs attention" list."""
AWAITING = "awaiting_final"
"""A judged target past its deadline with no figure for the deadline yet, neither achieved nor missed: no verdict
until that figure is out. What the figures up to the deadline pointed to is its ``trend_status`` (one of
TREND_STATUSES), said under the status, never as the status: "On track" a year after the deadline read as a
result."""
TREND_STATUSES: tuple[str, ...] = ("on_track", "acceleration_needed", "limited_progress", "deteriorating",
                                   "insufficient_data")  # fmt: skip
"""Statuses that rest on the latest figure's trend, not on a verdict."""
TREND_LABELS = {
    "on_track": "↑ strong",
    "acceleration_needed": "↗ moderate",
    "limited_progress": "→ little",
    "deteriorating": "↓ worsening",
}
"""A series' own trend without a target (tracker.assess.no_target), in words."""
