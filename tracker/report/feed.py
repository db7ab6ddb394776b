"""An Atom feed of status changes between builds, so that a stakeholder can subscribe.

Each build compares its statuses with the previous build's ``data/statuses.json`` (kept in the
output folder) and adds one entry per target whose status moved: from which status to which, and
why (the new explanation). Entries accumulate in ``data/changes.json``, newest first.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from tracker.escape import html_text
from tracker.i18n import t

KEEP = 500
"""Entries kept in the feed; older ones drop off."""


def changes(previous: dict[str, dict], assessed: pd.DataFrame, titles: dict[str, str], when: str,
            version: str) -> list[dict]:  # fmt: skip
    """Entries for every status that differs from the previous build's (none on a first build)."""
    if not previous:
        return []
    found = []
    now = dict(zip(assessed["id"], zip(assessed["status"], assessed["explanation"], strict=True), strict=True))
    for target_id, (status, why) in now.items():
        old = previous.get(target_id, {}).get("status")
        if old != status:
            found.append({"target": target_id, "title": titles.get(target_id, target_id), "old": old, "new": status,
                          "why": why, "updated": when, "version": version})  # fmt: skip
    for target_id in sorted(set(previous) - set(now)):
        found.append({"target": target_id, "title": target_id, "old": previous[target_id].get("status"), "new": None,
                      "why": "", "updated": when, "version": version})  # fmt: skip
    return found


def history(path: Path) -> list[dict]:
    """The entries an earlier build kept (data/changes.json), newest first."""
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [e for e in entries if isinstance(e, dict) and isinstance(e.get("target"), str)]


def write_changes(path: Path, entries: list[dict]) -> None:
    path.write_text(json.dumps(entries[:KEEP], indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _status(value: object) -> str:
    if value is None:
        return ""
    return t(f"status.{value}")


def atom(entries: list[dict], updated: str) -> str:
    """The feed document; links are relative to the feed (the site root), so it works on any host."""
    x = html_text
    parts = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom">',
             f"<title>{x(t('site.feed_title'))}</title>", "<id>urn:policy-target-tracker:status-changes</id>",
             f"<updated>{x(updated)}</updated>", '<link rel="alternate" href="en/index.html"/>',
             '<link rel="self" href="feed.xml"/>', "<author><name>Policy target tracker</name></author>"]  # fmt: skip
    for e in entries[:KEEP]:
        old = _status(e["old"]) or t("site.feed_first")
        new = _status(e["new"]) or t("site.feed_removed")
        link = f"en/targets/{e['target']}.html" if e["new"] else "en/index.html"
        parts += ["<entry>", f"<title>{x(t('site.feed_entry', title=e['title'], old=old, new=new))}</title>",
                  f"<id>urn:policy-target-tracker:{x(e['target'])}:{x(e['version'])}:{x(e['new'] or 'removed')}</id>",
                  f"<updated>{x(e['updated'])}</updated>", f'<link rel="alternate" href="{x(link)}"/>',
                  f'<category term="{x(e["new"] or "removed")}"/>',
                  f"<summary>{x(e['why'] or new)}</summary>", "</entry>"]  # fmt: skip
    parts.append("</feed>")
    return "\n".join(parts) + "\n"
