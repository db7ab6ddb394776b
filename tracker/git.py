"""The one way the tracker runs git (for ``tracker diff`` and a target's history).

Every call has a timeout, runs without a pager, prompts or the user's hooks, and
turns any failure (git missing, not a checkout, unknown revision, timeout) into
:class:`GitError` with git's own one-line reason.
"""

from __future__ import annotations

import os
from pathlib import Path

TIMEOUT_SECONDS = 120


class GitError(Exception):
    """git could not do what was asked; the message says why in one line."""


def run(repo: Path, *args: str, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """Run ``git -C repo ARGS`` and return its standard output."""
    import subprocess  # here: the command line imports GitError at start, and most commands never run git

    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat", "LC_ALL": "C"}
    try:
        done = subprocess.run(
            ["git", "-c", "core.hooksPath=/dev/null", "-C", str(repo), *args],
            capture_output=True, check=False, timeout=timeout, env=env, stdin=subprocess.DEVNULL,
        )  # fmt: skip
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} took longer than {timeout:g} s") from None
    if done.returncode != 0:
        reason = done.stderr.decode(errors="replace").strip().splitlines()
        raise GitError(reason[0] if reason else f"git {args[0]} failed")
    return done.stdout


def text(repo: Path, *args: str, timeout: float = TIMEOUT_SECONDS) -> str:
    return run(repo, *args, timeout=timeout).decode("utf-8", errors="replace")


def verify_commit(repo: Path, rev: str) -> str:
    """The full id of ``rev``; GitError naming the revision when it does not exist."""
    if rev.startswith("-"):
        raise GitError(f"'{rev}' is not a git revision")
    try:
        return text(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}").strip()
    except GitError:
        raise GitError(f"unknown git revision '{rev}' in {repo}") from None
