"""When and how a target changed, read from the git history of its file."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tracker.yamlfile import _SafeLoader

FIELDS = ("title", "indicator", "comparator", "value", "unit", "deadline", "baseline", "method", "source",
          "interpretation")  # fmt: skip


class NoHistory(Exception):
    """The app does not run inside a git checkout (or git is missing)."""


@dataclass
class Change:
    commit: str
    date: str
    subject: str
    changes: list[tuple[str, object, object]] = field(default_factory=list)


def _git(repo: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, timeout=60)
    except (FileNotFoundError, subprocess.TimeoutExpired) as exc:
        raise NoHistory(f"git is not available ({exc})") from None
    if done.returncode != 0:
        raise NoHistory(done.stderr.strip() or "not a git checkout")
    return done.stdout


def _target_in(text: str, target_id: str) -> dict | None:
    try:
        data = yaml.load(text, Loader=_SafeLoader)  # noqa: S506 - the project's safe loader
    except yaml.YAMLError:
        return None
    for item in (data or {}).get("targets") or [] if isinstance(data, dict) else []:
        if isinstance(item, dict) and item.get("id") == target_id:
            return item
    return None


def target_history(repo: Path, path: Path, target_id: str) -> list[Change]:
    """Every commit that changed this target, oldest first, with its fields old -> new."""
    repo = repo.resolve()
    _git(repo, "rev-parse", "--git-dir")
    try:
        relative = str(path.resolve().relative_to(repo))
    except ValueError:
        raise NoHistory(f"{path} is not inside the repository") from None
    log = _git(repo, "log", "--follow", "--name-only", "--format=%x1e%H%x1f%ad%x1f%s", "--date=short", "--", relative)
    commits = []
    for record in log.split("\x1e")[1:]:
        head, *names = [line for line in record.strip().splitlines() if line.strip()]
        commit, day, subject = head.split("\x1f", 2)
        commits.append((commit, day, subject, names[-1] if names else relative))
    history: list[Change] = []
    previous: dict | None = None
    for commit, day, subject, name in reversed(commits):
        try:
            text = _git(repo, "show", f"{commit}:{name}")
        except NoHistory:
            text = ""
        current = _target_in(text, target_id)
        if current == previous:
            continue
        change = Change(commit[:8], day, subject)
        if previous is None:
            change.changes.append(("target", None, "added"))
        elif current is None:
            change.changes.append(("target", "present", "removed"))
        else:
            for key in FIELDS:
                if previous.get(key) != current.get(key):
                    change.changes.append((key, previous.get(key), current.get(key)))
        if change.changes:
            history.append(change)
        previous = current
    return history
