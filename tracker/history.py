"""When and how a target changed, read from the git history of its file."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tracker import git
from tracker.escape import shortened
from tracker.i18n import t
from tracker.yamlfile import MAX_YAML_BYTES, parse_yaml

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
        return git.text(repo, *args, timeout=60)
    except git.GitError as exc:
        raise NoHistory(str(exc)) from None


def _target_in(raw: bytes, name: str, target_id: str) -> dict | None:
    # The same guards as for the working tree: size, depth, tags, aliases.
    if len(raw) > MAX_YAML_BYTES:
        return None
    located, _ = parse_yaml(raw, Path(name))
    data = located.data if located is not None else None
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
            raw = git.run(repo, "show", f"{commit}:{name}", timeout=60)
        except git.GitError:
            raw = b""
        current = _target_in(raw, name, target_id)
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


def change_text(field_name: str, old: object, new: object, lang: str, size: int = 60) -> str:
    """One change of a target as its history lists it: a field's old and new values, shortened to ``size``
    characters each; the target's coming into or leaving the catalogue in words ("added to the catalogue", not
    "target: – → added")."""
    if field_name == "target":
        return t(f"hist.{new}", lang)
    old_text, new_text = ("–" if v is None else str(v) for v in (old, new))
    return f"{field_name}: {shortened(old_text, size)} → {shortened(new_text, size)}"
