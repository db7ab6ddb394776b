"""Default locations, relative to the project folder (not to the working folder), and how the terminal names a
path (``display_path``: from the working folder). No third-party import: the command line reads this at start."""

import functools
import os
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import quote

from tracker.escape import is_http_url

ROOT = Path(__file__).resolve().parent.parent
TARGETS_DIR = ROOT / "targets"
DATA_DIR = ROOT / "data"
DB_PATH = DATA_DIR / "tracker.duckdb"
INDICATORS_FILE = "indicators.yaml"
"""The indicator catalogue, in the data folder."""
OBSERVATIONS_DIR = "observations"
"""The folder of observation files, in the data folder."""

SITE_URL_VARIABLE = "TRACKER_SITE_URL"
"""Where the public site (``tracker report``) is published, e.g. https://owner.github.io/repo/; optional."""


def site_url(environ: Mapping[str, str] = os.environ) -> tuple[str | None, str | None]:
    """The configured address of the public site, and a message when the setting is unusable.

    (None, None) when it is not set; (None, message) when it is not an http(s) address.
    """
    value = (environ.get(SITE_URL_VARIABLE) or "").strip()
    if not value:
        return None, None
    if not is_http_url(value):
        return None, f"{SITE_URL_VARIABLE} must be a web address starting with http:// or https://; got '{value}'"
    return value.rstrip("/") + "/", None


def public_target_url(site: str, lang: str, target_id: str) -> str:
    """A target's page on the public site: the layout tracker.report writes (LANG/targets/ID.html)."""
    return f"{site.rstrip('/')}/{quote(lang)}/targets/{quote(target_id)}.html"


def display_path(path: str | os.PathLike[str]) -> str:
    """The path as a user would type it: relative to the working folder when below it."""
    return _display_path(str(path), os.getcwd())


@functools.lru_cache(maxsize=4096)
def _display_path(path: str, cwd: str) -> str:
    p = Path(path)
    try:  # the path itself, not where a link leads: a link is named by its own name
        return str(Path(os.path.abspath(p)).relative_to(os.path.abspath(cwd)))
    except ValueError:
        pass
    try:  # the same folder reached through links (a linked /tmp, say)
        return str(p.resolve().relative_to(Path(cwd).resolve()))
    except (ValueError, OSError, RuntimeError):  # outside the folder, or a link loop
        return str(p)
