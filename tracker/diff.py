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
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from tracker import store
from tracker.assess import assess
from tracker.catalog import Catalogue, load_catalogue
from tracker.formatting import format_value
from tracker.observations import OBSERVATIONS_DIR
from tracker.status import STATUS_LABELS

MASS_DELETION_SHARE = 0.2
"""Removing at least this share of the base's figures (or targets) is called out as a mass deletion."""
MASS_DELETION_MIN = 5
TRACKED = ("targets", "data")
OBS_KEY = ["indicator", "period", "source_title", "publisher", "coverage"]
OBS_FIELDS = ["published_value", "published_unit", "qualifier", "source_url", "published", "note"]
TARGET_FIELDS = ("title", "title_zh", "indicator", "comparator", "value", "unit", "deadline", "baseline", "method",
                 "tags", "source", "interpretation")  # fmt: skip


class DiffError(Exception):
    """A revision that cannot be read (unknown revision, not a git checkout)."""


def _git(repo: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False, timeout=120)
    except FileNotFoundError:
        raise DiffError("git is not installed") from None
    if done.returncode != 0:
        raise DiffError(done.stderr.decode(errors="replace").strip() or f"git {' '.join(args)} failed")
    return done.stdout


def snapshot(repo: Path, rev: str | None, dest: Path) -> Path:
    """targets/ and data/ as they are at ``rev`` (None: the working tree), written under ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    if rev is None:
        for name in TRACKED:
            if (repo / name).is_dir():
                shutil.copytree(repo / name, dest / name, ignore=shutil.ignore_patterns("*.duckdb*", ".build-*"))
        return dest
    _git(repo, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    present = [n for n in TRACKED if _git(repo, "ls-tree", "-d", "--name-only", rev, n).strip()]
    if present:
        archive = _git(repo, "archive", "--format=tar", rev, *present)
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(dest, filter="data")
    return dest


@dataclass
class Side:
    """One revision, loaded: its catalogue, figures and assessments."""

    label: str
    catalogue: Catalogue
    observations: pd.DataFrame
    assessed: pd.DataFrame
    files: set[str] = field(default_factory=set)


def load_side(root: Path, label: str, as_of: date) -> Side:
    targets, data = root / "targets", root / "data"
    targets.mkdir(exist_ok=True)
    data.mkdir(exist_ok=True)
    catalogue = load_catalogue(targets, data)
    db = root / "diff.duckdb"
    store.build(targets, data, db)
    con = store.connect(db)
    try:
        columns = ", ".join(OBS_KEY + OBS_FIELDS + ["source_file"])  # constants of this module
        obs = store.query(con, f"SELECT {columns} FROM observations")  # noqa: S608
        assessed = assess(con, as_of)
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
    """Text from a file, safe inside a Markdown table cell."""
    return _fmt(text).replace("|", "\\|").replace("\n", " ").replace("<", "&lt;").replace(">", "&gt;")


def _key(frame: pd.DataFrame) -> pd.Series:
    return frame[OBS_KEY].astype("string").fillna("").agg(" | ".join, axis=1)


def report(base: Side, head: Side) -> tuple[str, bool]:
    """The Markdown report, and whether anything relevant changed."""
    lines: list[str] = []
    alerts: list[str] = []
    b_ids, h_ids = set(base.catalogue.targets), set(head.catalogue.targets)
    added_t, removed_t = sorted(h_ids - b_ids), sorted(b_ids - h_ids)
    changed_t = {}
    for tid in sorted(b_ids & h_ids):
        old, new = _target_dict(base.catalogue, tid), _target_dict(head.catalogue, tid)
        fields = [(f, old.get(f), new.get(f)) for f in (*TARGET_FIELDS, "policy") if old.get(f) != new.get(f)]
        if fields:
            changed_t[tid] = fields

    b_obs, h_obs = base.observations.copy(), head.observations.copy()
    b_obs["key"], h_obs["key"] = _key(b_obs), _key(h_obs)
    b_keys, h_keys = set(b_obs["key"]), set(h_obs["key"])
    obs_added = h_obs[~h_obs["key"].isin(b_keys)]
    obs_removed = b_obs[~b_obs["key"].isin(h_keys)]
    merged = b_obs.merge(h_obs, on="key", suffixes=("_old", "_new"))
    differs = pd.Series(False, index=merged.index)
    for f in OBS_FIELDS:
        old, new = merged[f"{f}_old"].astype("string").fillna(""), merged[f"{f}_new"].astype("string").fillna("")
        differs |= old != new
    obs_changed = merged[differs]

    removed_files = sorted(base.files - head.files)
    for name in removed_files:
        count = int((base.observations["source_file"].str.endswith("/" + name)).sum())
        alerts.append(f"**⚠️ Observation file removed: `data/observations/{name}` ({count} figures).**")
    if len(b_obs) and len(obs_removed) >= MASS_DELETION_MIN and len(obs_removed) / len(b_obs) >= MASS_DELETION_SHARE:
        alerts.append(
            f"**⚠️ Mass deletion: {len(obs_removed)} of {len(b_obs)} figures removed "
            f"({len(obs_removed) / len(b_obs):.0%}).**"
        )
    if len(b_ids) and len(removed_t) >= MASS_DELETION_MIN and len(removed_t) / len(b_ids) >= MASS_DELETION_SHARE:
        alerts.append(f"**⚠️ Mass deletion: {len(removed_t)} of {len(b_ids)} targets removed.**")
    b_ind, h_ind = set(base.catalogue.indicators), set(head.catalogue.indicators)
    ind_changed = sorted(i for i in b_ind & h_ind if base.catalogue.indicators[i] != head.catalogue.indicators[i])

    anything = any([added_t, removed_t, changed_t, len(obs_added), len(obs_removed), len(obs_changed),
                    removed_files, b_ind ^ h_ind, ind_changed])  # fmt: skip
    head_errors = [p for p in head.catalogue.problems if p.is_error]
    lines.append(f"## Targets and data: `{base.label}` → `{head.label}`")
    lines.append("")
    if alerts:
        lines += alerts + [""]
    if head_errors:
        lines.append(
            f"**❌ {len(head_errors)} problem(s) in the files at `{head.label}`** (run `python -m tracker validate`):"
        )
        lines += [f"- `{_cell(str(p))}`" for p in head_errors[:20]] + [""]
    if not anything:
        lines.append("No changes to targets or data.")
        return "\n".join(lines) + "\n", False

    lines.append(f"### Targets: {len(added_t)} added, {len(removed_t)} removed, {len(changed_t)} changed")
    lines.append("")
    for tid in added_t:
        t = head.catalogue.targets[tid]
        goal = f"{t.comparator} {format_value(t.value, t.unit)} by {t.deadline.isoformat()}"
        lines.append(f"- **Added** `{tid}`: {_cell(t.title)} ({_cell(goal)})")
    for tid in removed_t:
        lines.append(f"- **Removed** `{tid}`: {_cell(base.catalogue.targets[tid].title)}")
    for tid, fields in changed_t.items():
        lines.append(f"- **Changed** `{tid}`:")
        lines.append("")
        lines.append("  | field | old | new |")
        lines.append("  | --- | --- | --- |")
        lines += [f"  | {f} | {_cell(old)} | {_cell(new)} |" for f, old, new in fields]
        lines.append("")
    if b_ind ^ h_ind or ind_changed:
        lines.append("")
        lines.append("### Indicators")
        lines += [f"- **Added** `{i}`" for i in sorted(h_ind - b_ind)]
        lines += [f"- **Removed** `{i}`" for i in sorted(b_ind - h_ind)]
        lines += [f"- **Changed** `{i}`" for i in ind_changed]
    lines.append("")
    lines.append(f"### Figures: {len(obs_added)} added, {len(obs_changed)} changed, {len(obs_removed)} removed")
    lines.append("")
    indicators = sorted(set(obs_added["indicator"]) | set(obs_removed["indicator"]) | set(obs_changed["indicator_old"]))
    if indicators:
        lines.append("| indicator | added | changed | removed |")
        lines.append("| --- | ---: | ---: | ---: |")
        for ind in indicators:
            lines.append(
                f"| `{ind}` | {int((obs_added['indicator'] == ind).sum())} | "
                f"{int((obs_changed['indicator_old'] == ind).sum())} | {int((obs_removed['indicator'] == ind).sum())} |"
            )
        lines.append("")
    for r in obs_changed.itertuples(index=False):
        what = [
            f"{f}: {_cell(getattr(r, f + '_old'))} → {_cell(getattr(r, f + '_new'))}"
            for f in OBS_FIELDS
            if str(getattr(r, f + "_old")) != str(getattr(r, f + "_new"))
        ]
        lines.append(
            f"- Changed `{r.indicator_old}` {_cell(r.period_old)} ({_cell(r.source_title_old)}): {'; '.join(what)}"
        )
    for verb, frame in (("Added", obs_added), ("Removed", obs_removed)):
        for r in frame.itertuples(index=False):
            figure = f"{_cell(r.published_value)} {_cell(r.published_unit)}"
            lines.append(f"- {verb} `{r.indicator}` {_cell(r.period)}: {figure} ({_cell(r.source_title)})")

    touched_ind = set(indicators) | set(ind_changed)
    affected = sorted(
        tid for tid in h_ids
        if tid in changed_t or tid in added_t or head.catalogue.targets[tid].indicator in touched_ind
    )  # fmt: skip
    b_status = dict(zip(base.assessed["id"], base.assessed["status"], strict=True))
    h_status = dict(zip(head.assessed["id"], head.assessed["status"], strict=True))
    rows = [(tid, b_status.get(tid), h_status.get(tid)) for tid in affected]
    rows += [(tid, b_status.get(tid), None) for tid in removed_t]
    if rows:
        lines.append("")
        lines.append("### Effect on status")
        lines.append("")
        lines.append("| target | before | after |")
        lines.append("| --- | --- | --- |")
        for tid, old, new in rows:
            mark = " (changed)" if old != new and old and new else ""
            lines.append(
                f"| `{tid}` | {STATUS_LABELS.get(old, '–') if old else '–'} | "
                f"{STATUS_LABELS.get(new, '–') if new else '–'}{mark} |"
            )
    return "\n".join(lines) + "\n", True


def diff(repo: Path, base_rev: str, head_rev: str | None, as_of: date) -> tuple[str, bool]:
    """Compare two revisions of the repository at ``repo``; HEAD None means the working tree."""
    _git(repo, "rev-parse", "--git-dir")
    with tempfile.TemporaryDirectory() as tmp:
        base = load_side(snapshot(repo, base_rev, Path(tmp) / "base"), base_rev, as_of)
        head = load_side(snapshot(repo, head_rev, Path(tmp) / "head"), head_rev or "working tree", as_of)
        return report(base, head)
