"""What a change does to the picture: targets, indicators and figures compared between two revisions.

``python -m tracker diff BASE [HEAD]`` reads targets/ and data/ at two git
revisions (HEAD defaults to the working tree), builds a throw-away database
for each, and writes a Markdown report: targets added, removed and changed
field by field, figures added, changed and removed per indicator, and the
status of every affected target before and after. A removed observation file
or a mass deletion is called out at the top in bold.
"""

from __future__ import annotations

import io
import shutil
import tarfile
import tempfile
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import pandas as pd

from tracker import git, store
from tracker.assess import assess
from tracker.assess.output import status_label
from tracker.catalog import Catalogue, load_catalogue
from tracker.escape import github_code, github_text
from tracker.formatting import format_value, unit_gap
from tracker.git import GitError
from tracker.observations import OBSERVATIONS_DIR
from tracker.problems import Problem, error

MASS_DELETION_SHARE = 0.2
"""Removing at least this share of the base's figures (or targets) is called out as a mass deletion."""
MASS_DELETION_MIN = 5
TRACKED = ("targets", "data")
OBS_KEY = ["indicator", "period", "source_title", "publisher", "coverage"]
OBS_FIELDS = ["published_value", "published_unit", "qualifier", "publisher_zh", "source_url", "published", "note"]
TARGET_FIELDS = ("title", "title_zh", "indicator", "comparator", "value", "unit", "deadline", "baseline", "method",
                 "tags", "source", "interpretation")  # fmt: skip


DiffError = GitError  # the name earlier callers used
COMMENT_LIMIT = 65_536
"""GitHub refuses a comment longer than this many characters."""
LINKS_NOTE = "a link (symbolic link) in the revision, not followed; commit the file itself"


def _regular_members(tar: tarfile.TarFile, dest: Path) -> tuple[list[tarfile.TarInfo], list[str]]:
    """Files and folders to extract, and the paths of links (never followed, never extracted)."""
    keep, links = [], []
    for member in tar.getmembers():
        if member.isfile() or member.isdir():
            keep.append(member)
        else:
            links.append(member.name)
    return keep, links


def snapshot(repo: Path, rev: str | None, dest: Path) -> tuple[Path, list[str]]:
    """targets/ and data/ as they are at ``rev`` (None: the working tree), written under ``dest``;
    also the repository paths of links that were left out."""
    dest.mkdir(parents=True, exist_ok=True)
    links: list[str] = []
    if rev is None:
        for name in TRACKED:
            if (repo / name).is_dir():
                shutil.copytree(repo / name, dest / name, symlinks=True,
                                ignore=shutil.ignore_patterns("*.duckdb*", ".build-*"))  # fmt: skip
        for path in sorted(dest.rglob("*")):
            if path.is_symlink():
                links.append(path.relative_to(dest).as_posix())
                path.unlink()
        return dest, links
    commit = git.verify_commit(repo, rev)
    present = [n for n in TRACKED if git.run(repo, "ls-tree", "-d", "--name-only", commit, n).strip()]
    if present:
        archive = git.run(repo, "archive", "--format=tar", commit, *present)
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            keep, links = _regular_members(tar, dest)
            tar.extractall(dest, members=keep, filter="data")
    return dest, links


@dataclass
class Side:
    """One revision, loaded: its catalogue, figures and assessments."""

    label: str
    catalogue: Catalogue
    observations: pd.DataFrame
    assessed: pd.DataFrame
    files: set[str] = field(default_factory=set)


def _in_repository(problem: Problem, root: Path) -> Problem:
    """The problem with its path as in the repository, not in the temporary snapshot."""
    try:
        relative = Path(problem.path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return problem
    return replace(problem, path=relative)


def load_side(root: Path, label: str, as_of: date, links: list[str] | None = None) -> Side:
    targets, data = root / "targets", root / "data"
    targets.mkdir(exist_ok=True)
    data.mkdir(exist_ok=True)
    catalogue = load_catalogue(targets, data)
    catalogue.problems[:] = [_in_repository(p, root) for p in catalogue.problems]
    catalogue.problems += [error(link, 1, 0, LINKS_NOTE) for link in links or []]  # a link is a file
    db = root / "diff.duckdb"
    report = store.build(targets, data, db)
    known = set(catalogue.problems)
    catalogue.problems += [q for q in (_in_repository(p, root) for p in report.problems) if q not in known]
    con = store.connect(db)
    try:
        columns = ", ".join(OBS_KEY + OBS_FIELDS + ["source_file"])  # constants of this module
        # a stable order: the table keeps none (it is loaded in parallel), and the report lists rows in this one
        obs = store.query(con, f"SELECT {columns} FROM observations ORDER BY ALL")  # noqa: S608
        assessed = assess(con, as_of) if catalogue.targets else pd.DataFrame(columns=["id", "status"])
    finally:
        con.close()
    folder = data / OBSERVATIONS_DIR
    files = {p.name for p in folder.iterdir() if p.is_file()} if folder.is_dir() else set()
    return Side(label, catalogue, obs, assessed, files)


def _target_dict(catalogue: Catalogue, target_id: str) -> dict:
    t = catalogue.targets[target_id]
    d = t.model_dump(mode="json")
    d["policy"] = t.policy_id
    return d


def _fmt(value: object) -> str:
    if value is None or value == [] or (isinstance(value, float) and pd.isna(value)):
        return "–"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items() if v is not None)
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _cell(text: object) -> str:
    """Text from a file, shown as written in a GitHub comment (also in a table cell)."""
    return github_text(_fmt(text), limit=200)


def _key(frame: pd.DataFrame) -> pd.Series:
    if frame.empty:  # no figures at this revision (before the observations existed, or all removed)
        return pd.Series([], index=frame.index, dtype="string")
    return frame[OBS_KEY].astype("string").fillna("").agg(" | ".join, axis=1)


@dataclass
class Changes:
    """What differs between two sides: targets, indicators, figures, and the alerts they raise."""

    added_t: list[str]
    removed_t: list[str]
    changed_t: dict[str, list[tuple[str, object, object]]]
    added_i: list[str]
    removed_i: list[str]
    changed_i: list[str]
    obs_added: pd.DataFrame
    obs_removed: pd.DataFrame
    obs_changed: pd.DataFrame
    removed_files: list[str]
    alerts: list[str]

    @property
    def anything(self) -> bool:
        figures = len(self.obs_added) + len(self.obs_removed) + len(self.obs_changed)
        return bool(figures or self.added_t or self.removed_t or self.changed_t or self.added_i or self.removed_i
                    or self.changed_i or self.removed_files)  # fmt: skip

    @property
    def indicators_with_figures(self) -> list[str]:
        """Indicators whose figures were added, changed or removed."""
        return sorted(set(self.obs_added["indicator"]) | set(self.obs_removed["indicator"])
                      | set(self.obs_changed["indicator_old"]))  # fmt: skip


def _changed_targets(base: Side, head: Side) -> dict[str, list[tuple[str, object, object]]]:
    """Each target in both sides whose fields differ, with (field, old, new) per difference."""
    changed = {}
    for tid in sorted(set(base.catalogue.targets) & set(head.catalogue.targets)):
        old, new = _target_dict(base.catalogue, tid), _target_dict(head.catalogue, tid)
        fields = [(f, old.get(f), new.get(f)) for f in (*TARGET_FIELDS, "policy") if old.get(f) != new.get(f)]
        if fields:
            changed[tid] = fields
    return changed


def _figure_changes(base: Side, head: Side) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Figures added, removed, and changed (old and new side by side), matched on OBS_KEY."""
    b_obs, h_obs = base.observations.copy(), head.observations.copy()
    b_obs["key"], h_obs["key"] = _key(b_obs), _key(h_obs)
    added = h_obs[~h_obs["key"].isin(set(b_obs["key"]))]
    removed = b_obs[~b_obs["key"].isin(set(h_obs["key"]))]
    merged = b_obs.merge(h_obs, on="key", suffixes=("_old", "_new"))
    differs = pd.Series(False, index=merged.index)
    for f in OBS_FIELDS:
        old, new = merged[f"{f}_old"].astype("string").fillna(""), merged[f"{f}_new"].astype("string").fillna("")
        differs |= old != new
    return added, removed, merged[differs]


def _alerts(base: Side, removed_files: list[str], obs_removed: pd.DataFrame, removed_t: list[str]) -> list[str]:
    """Bold lines for what a reviewer must not miss: a removed observation file, a mass deletion."""
    alerts = []
    for name in removed_files:
        count = int((base.observations["source_file"].str.endswith("/" + name)).sum())
        alerts.append(f"**⚠️ Observation file removed: {github_code('data/observations/' + name)} ({count} figures).**")
    figures, targets = len(base.observations), len(base.catalogue.targets)
    if figures and len(obs_removed) >= MASS_DELETION_MIN and len(obs_removed) / figures >= MASS_DELETION_SHARE:
        alerts.append(
            f"**⚠️ Mass deletion: {len(obs_removed)} of {figures} figures removed ({len(obs_removed) / figures:.0%}).**"
        )
    if targets and len(removed_t) >= MASS_DELETION_MIN and len(removed_t) / targets >= MASS_DELETION_SHARE:
        alerts.append(f"**⚠️ Mass deletion: {len(removed_t)} of {targets} targets removed.**")
    return alerts


def compare(base: Side, head: Side) -> Changes:
    """Everything that differs between the two sides."""
    b_ids, h_ids = set(base.catalogue.targets), set(head.catalogue.targets)
    b_ind, h_ind = set(base.catalogue.indicators), set(head.catalogue.indicators)
    removed_t, removed_files = sorted(b_ids - h_ids), sorted(base.files - head.files)
    obs_added, obs_removed, obs_changed = _figure_changes(base, head)
    return Changes(
        added_t=sorted(h_ids - b_ids),
        removed_t=removed_t,
        changed_t=_changed_targets(base, head),
        added_i=sorted(h_ind - b_ind),
        removed_i=sorted(b_ind - h_ind),
        changed_i=sorted(i for i in b_ind & h_ind if base.catalogue.indicators[i] != head.catalogue.indicators[i]),
        obs_added=obs_added,
        obs_removed=obs_removed,
        obs_changed=obs_changed,
        removed_files=removed_files,
        alerts=_alerts(base, removed_files, obs_removed, removed_t),
    )


def _heading_lines(base: Side, head: Side, alerts: list[str]) -> list[str]:
    """The title, the alerts, and the problems found in the files of each side."""
    lines = [f"## Targets and data: {github_code(base.label)} → {github_code(head.label)}", ""]
    if alerts:
        lines += alerts + [""]
    base_errors = [p for p in base.catalogue.problems if p.is_error]
    if base_errors:
        lines.append(
            f"**ℹ️ {len(base_errors)} problem(s) in the files at {github_code(base.label)} under today's rules** "
            "(an older data layout, or files that were broken then); what could not be read there counts as added.\n"
        )
    head_errors = [p for p in head.catalogue.problems if p.is_error]
    if head_errors:
        lines.append(
            f"**❌ {len(head_errors)} problem(s) in the files at {github_code(head.label)}** "
            "(run `python -m tracker validate`):"
        )
        lines += [f"- {github_code(str(p), limit=300)}" for p in head_errors[:20]] + [""]
    return lines


def _target_lines(base: Side, head: Side, c: Changes) -> list[str]:
    """Targets added, removed and changed (a table of fields for each change), then indicators."""
    lines = [f"### Targets: {len(c.added_t)} added, {len(c.removed_t)} removed, {len(c.changed_t)} changed", ""]
    for tid in c.added_t:
        t = head.catalogue.targets[tid]
        parts = (t.comparator, format_value(t.value, t.unit), t.deadline and f"by {t.deadline.isoformat()}")
        goal = " ".join(part for part in parts if part)
        lines.append(f"- **Added** `{tid}`: {_cell(t.title)} ({_cell(goal)})")
    for tid in c.removed_t:
        lines.append(f"- **Removed** `{tid}`: {_cell(base.catalogue.targets[tid].title)}")
    for tid, fields in c.changed_t.items():
        lines += [f"- **Changed** `{tid}`:", "", "  | field | old | new |", "  | --- | --- | --- |"]
        lines += [f"  | {f} | {_cell(old)} | {_cell(new)} |" for f, old, new in fields]
        lines.append("")
    if c.added_i or c.removed_i or c.changed_i:
        lines += ["", "### Indicators"]
        lines += [f"- **Added** `{i}`" for i in c.added_i]
        lines += [f"- **Removed** `{i}`" for i in c.removed_i]
        lines += [f"- **Changed** `{i}`" for i in c.changed_i]
    return lines


def _figure_lines(c: Changes) -> list[str]:
    """A count per indicator, then each figure changed, added and removed."""
    added, changed, removed = c.obs_added, c.obs_changed, c.obs_removed
    lines = ["", f"### Figures: {len(added)} added, {len(changed)} changed, {len(removed)} removed", ""]
    if c.indicators_with_figures:
        lines += ["| indicator | added | changed | removed |", "| --- | ---: | ---: | ---: |"]
        for ind in c.indicators_with_figures:
            lines.append(
                f"| `{ind}` | {int((added['indicator'] == ind).sum())} | "
                f"{int((changed['indicator_old'] == ind).sum())} | {int((removed['indicator'] == ind).sum())} |"
            )
        lines.append("")
    for r in changed.itertuples(index=False):
        what = [
            f"{f}: {_cell(getattr(r, f + '_old'))} → {_cell(getattr(r, f + '_new'))}"
            for f in OBS_FIELDS
            if str(getattr(r, f + "_old")) != str(getattr(r, f + "_new"))
        ]
        lines.append(
            f"- Changed `{r.indicator_old}` {_cell(r.period_old)} ({_cell(r.source_title_old)}): {'; '.join(what)}"
        )
    for verb, frame in (("Added", added), ("Removed", removed)):
        for r in frame.itertuples(index=False):
            gap = unit_gap(r.published_unit if isinstance(r.published_unit, str) else "")  # on the unit as written
            figure = f"{_cell(r.published_value)}{gap}{_cell(r.published_unit)}"
            lines.append(f"- {verb} `{r.indicator}` {_cell(r.period)}: {figure} ({_cell(r.source_title)})")
    return lines


def _status_lines(base: Side, head: Side, c: Changes) -> list[str]:
    """Status before and after for every target the change touches (directly or through its indicator)."""
    touched = set(c.indicators_with_figures) | set(c.changed_i)
    affected = sorted(
        tid for tid, target in head.catalogue.targets.items()
        if tid in c.changed_t or tid in c.added_t or target.indicator in touched
    )  # fmt: skip
    b_status, h_status = _labels(base.assessed), _labels(head.assessed)
    rows = [(tid, b_status.get(tid), h_status.get(tid)) for tid in affected]
    rows += [(tid, b_status.get(tid), None) for tid in c.removed_t]
    if not rows:
        return []
    lines = ["", "### Effect on status", "", "| target | before | after |", "| --- | --- | --- |"]
    for tid, old, new in rows:
        mark = " (changed)" if old != new and old and new else ""
        lines.append(f"| `{tid}` | {old or '–'} | {new or '–'}{mark} |")
    return lines


def _labels(assessed: pd.DataFrame) -> dict[str, str]:
    """Each target's status as the report writes it: a target awaiting its deadline's figure with its trend in
    brackets, as ``tracker status`` does, so that a change of that trend shows as a change."""
    trends = assessed["trend_status"] if "trend_status" in assessed else [None] * len(assessed)
    return {tid: status_label(status, trend)
            for tid, status, trend in zip(assessed["id"], assessed["status"], trends, strict=True)}  # fmt: skip


def report(base: Side, head: Side) -> tuple[str, bool]:
    """The Markdown report, and whether anything relevant changed."""
    changes = compare(base, head)
    lines = _heading_lines(base, head, changes.alerts)
    if not changes.anything:
        lines.append("No changes to targets or data.")
        return "\n".join(lines) + "\n", False
    lines += _target_lines(base, head, changes) + _figure_lines(changes) + _status_lines(base, head, changes)
    return "\n".join(lines) + "\n", True


def summarise(text: str, limit: int) -> str:
    """The report cut to fit ``limit`` characters: the headings, alerts and tables first, then as
    many of the itemised lines as fit, and a note that the full report is in the workflow's artifact."""
    if len(text) <= limit:
        return text
    lines = text.splitlines()
    essential = [i for i, line in enumerate(lines) if line.startswith(("#", "**", "|", "  |")) or not line.strip()]
    note = (
        f"\n_The full report ({len(text):,} characters) is longer than a GitHub comment allows; "
        "download it from the workflow run's artifacts (`diff-report`)._\n"
    )
    budget = limit - len(note) - 200
    chosen: set[int] = set()
    used = 0
    for index in essential + [i for i in range(len(lines)) if i not in set(essential)]:
        cost = len(lines[index]) + 1
        if used + cost > budget:
            continue
        chosen.add(index)
        used += cost
    kept = [lines[i] for i in sorted(chosen)]
    left = len(lines) - len(kept)
    return "\n".join(kept) + f"\n\n… {left:,} more lines not shown." + note


def diff(
    repo: Path, base_rev: str, head_rev: str | None, as_of: date, max_chars: int | None = None
) -> tuple[str, bool]:
    """Compare two revisions of the repository at ``repo``; HEAD None means the working tree."""
    git.run(repo, "rev-parse", "--git-dir")
    git.verify_commit(repo, base_rev)
    if head_rev is not None:
        git.verify_commit(repo, head_rev)
    with tempfile.TemporaryDirectory() as tmp:
        base_root, base_links = snapshot(repo, base_rev, Path(tmp) / "base")
        head_root, head_links = snapshot(repo, head_rev, Path(tmp) / "head")
        base = load_side(base_root, base_rev, as_of, base_links)
        head = load_side(head_root, head_rev or "working tree", as_of, head_links)
        text, changed = report(base, head)
    return (summarise(text, max_chars) if max_chars else text), changed
