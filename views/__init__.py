"""The dashboard's pages: the one list that dashboard.py navigates and the tests open.

Each page is a module of its own under views/ that composes UI from ``views.cached``
(the data) and ``views.widgets`` (shared pieces); none computes anything of its own.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    """A page: its script, the path in the URL, the catalogue key of its title, its Material icon."""

    script: str
    url_path: str
    title_key: str
    icon: str
    default: bool = False
    in_menu: bool = True


PAGES: tuple[PageSpec, ...] = (
    PageSpec("views/overview.py", "overview", "page.overview", ":material/dashboard:", default=True),
    PageSpec("views/target.py", "target", "page.target", ":material/flag:"),
    PageSpec("views/policies.py", "policies", "page.policies", ":material/description:"),
    PageSpec("views/timeline.py", "timeline", "page.timeline", ":material/event:"),
    PageSpec("views/indicators.py", "indicators", "page.indicators", ":material/show_chart:"),
    PageSpec("views/data_quality.py", "data-quality", "page.data_quality", ":material/fact_check:"),
    PageSpec("views/methodology.py", "methodology", "page.methodology", ":material/functions:"),
)
SCRIPTS: tuple[str, ...] = tuple(p.script for p in PAGES)
BY_SCRIPT = {p.script: p for p in PAGES}
