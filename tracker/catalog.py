"""The target catalogue: ``targets/*.yaml`` and ``data/indicators.yaml``, validated.

Every problem is collected (not just the first) and placed at the key or value
it concerns, so that ``python -m tracker validate`` can print
``path:line:col: error: message`` lines an editor or a CI annotation can jump to.
"""

from __future__ import annotations

import difflib
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from tracker.model import PERCENT, Indicator, IndicatorFile, Policy, Target, TargetFile
from tracker.paths import INDICATORS_FILE
from tracker.periods import parse_period
from tracker.problems import Problem, display_path, error, warning
from tracker.validation import validation_problems
from tracker.yamlfile import Loc, Located, dangling_link_problem, load_yaml, repository_root

SCHEMA_LINE = "# yaml-language-server: $schema="
TARGET_SCHEMA = "schema.json"
INDICATOR_SCHEMA = "indicators.schema.json"


@dataclass
class Catalogue:
    """Everything that validated, plus every problem found on the way.

    A file with errors contributes nothing: its policy and targets are left out
    whole, so that a half-read file never reaches the database.
    """

    policies: dict[str, Policy] = field(default_factory=dict)
    targets: dict[str, Target] = field(default_factory=dict)
    indicators: dict[str, Indicator] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    target_files: dict[str, Path] = field(default_factory=dict)
    skipped_files: list[Path] = field(default_factory=list)


def _check_schema_line(path: Path, text_head: str, schema: str) -> list[Problem]:
    first = text_head.lstrip("\ufeff").splitlines()[0] if text_head.strip() else ""
    if first.startswith(SCHEMA_LINE):
        return []
    return [
        warning(
            path,
            1,
            1,
            f"first line should be '{SCHEMA_LINE}{schema}' so that editors check the file as you type",
        )
    ]


def _head(path: Path) -> str:
    try:
        with path.open("rb") as fh:
            return fh.read(4096).decode("utf-8", errors="replace")
    except OSError:
        return ""


def load_indicators(data_dir: Path, catalogue: Catalogue) -> None:
    """Read data/indicators.yaml into the catalogue."""
    path = data_dir / INDICATORS_FILE
    if not path.is_file():
        catalogue.problems.append(
            error(path, 0, 0, "the indicator catalogue is missing; every target names an indicator defined here")
        )
        return
    located = _read(path, catalogue)
    if located is None:
        return
    catalogue.problems.extend(_check_schema_line(path, _head(path), INDICATOR_SCHEMA))
    try:
        parsed = IndicatorFile.model_validate(located.data)
    except ValidationError as exc:
        catalogue.problems.extend(validation_problems(exc, located, path, IndicatorFile))
        catalogue.skipped_files.append(path)
        return
    for index, indicator in enumerate(parsed.indicators):
        if indicator.id in catalogue.indicators:
            line, col = located.value_at(("indicators", index, "id"))
            catalogue.problems.append(error(path, line, col, f"duplicate indicator id '{indicator.id}'"))
            continue
        if indicator.unit == PERCENT and indicator.limit is not None and not 0 < indicator.limit <= 100:
            line, col = located.value_at(("indicators", index, "limit"))
            catalogue.problems.append(error(path, line, col, "limit of a percentage must be between 0 and 100"))
        ids = [c.id for c in indicator.coverages]
        for position, coverage_id in enumerate(ids):
            if coverage_id in ids[:position]:
                line, col = located.value_at(("indicators", index, "coverages", position, "id"))
                catalogue.problems.append(
                    error(path, line, col, f"duplicate coverage id '{coverage_id}' in indicator '{indicator.id}'")
                )
        catalogue.indicators[indicator.id] = indicator


def _target_problems(
    target: Target,
    index: int,
    policy: Policy | None,
    located: Located,
    path: Path,
    catalogue: Catalogue,
    issued: date | None,
) -> list[Problem]:
    """What one valid target breaks; ``issued`` is its policy's ``issued_date`` (worked out once per file)."""
    here: Loc = ("targets", index)
    problems = []

    def at(key: str, message: str, severity: str = "error") -> None:
        line, col = located.value_at(here + (key,))
        make = error if severity == "error" else warning
        problems.append(make(path, line, col, message))

    indicator = catalogue.indicators.get(target.indicator)
    problems += _kind_problems(target, here, located, path)
    if indicator is not None:
        problems += _coverage_problems(target, indicator, here, located, path)
    if indicator is None:
        known = difflib.get_close_matches(target.indicator, list(catalogue.indicators), n=1)
        hint = f"; did you mean '{known[0]}'?" if known else f" (known: {len(catalogue.indicators)} indicators)"
        at("indicator", f"unknown indicator '{target.indicator}'; add it to data/indicators.yaml{hint}")
    elif target.unit != indicator.unit:
        at("unit", f"unit must be the indicator's unit '{indicator.unit}'; got '{target.unit}'")
    if target.unit == PERCENT and not 0 <= target.value <= 100:
        at("value", f"a percentage target must lie between 0 and 100; got {target.value:g}")
    elif indicator is not None and indicator.limit is not None and target.value > indicator.limit:
        at("value", f"value {target.value:g} is above the indicator's limit of {indicator.limit:g}")
    if policy is not None and issued is not None and target.deadline is not None and target.deadline < issued:
        at(
            "deadline",
            f"deadline {target.deadline.isoformat()} is before the policy was issued ({policy.issued}); "
            "a target's deadline must fall after its policy",
        )
    if target.baseline is not None and target.deadline is not None:
        start = parse_period(target.baseline.period).start
        if start > target.deadline:
            line, col = located.value_at(here + ("baseline", "period"))
            message = (f"baseline period {target.baseline.period} starts after the deadline "
                       f"{target.deadline.isoformat()}; a baseline is where progress is measured from")  # fmt: skip
            problems.append(error(path, line, col, message))
    base = target.baseline.value if target.baseline is not None else None
    if base is not None and target.unit == PERCENT and not 0 <= base <= 100:
        line, col = located.value_at(here + ("baseline", "value"))
        problems.append(error(path, line, col, "a percentage baseline must lie between 0 and 100"))
    return problems


def _kind_problems(target: Target, here: Loc, located: Located, path: Path) -> list[Problem]:
    """What each kind of target must state: a reference level needs no comparator or deadline;
    an interpreted target shows the document's words and the reading made of them."""
    problems = []
    missing = []
    if target.kind != "reference":
        missing += [key for key in ("comparator", "deadline") if getattr(target, key) is None]
    if target.kind == "interpreted":
        missing += [key for key in ("wording", "interpretation") if getattr(target, key) is None]
    for key in missing:
        line, col = located.value_at(here)
        need = {
            "comparator": "the comparison the document's words imply ('5个以上' is '>=')",
            "deadline": "the date the document sets",
            "wording": "the document's own words that the number is read from",
            "interpretation": "how those words were turned into a number",
        }[key]
        problems.append(
            error(path, line, col, f"missing required key '{key}' for a target of kind {target.kind}: {need}")
        )
    if target.interpretation_zh is not None and target.interpretation is None:
        line, col = located.value_at(here + ("interpretation_zh",))
        problems.append(error(path, line, col, "'interpretation_zh' translates 'interpretation', which is missing: "
                              "write the English reading too, or leave both out"))  # fmt: skip
    return problems


def _coverage_problems(target: Target, indicator: Indicator, here: Loc, located: Located, path: Path) -> list[Problem]:
    """The target's coverage and its proxy must be coverages of its indicator."""
    problems = []

    def known() -> str:  # the indicator's coverages, for a message (worked out only when there is one)
        return ", ".join(c.id for c in indicator.coverages)

    if target.coverage is None and indicator.coverage(None) is None:
        message = f"missing required key 'coverage': indicator '{indicator.id}' lists several ({known()})"
        problems.append(error(path, *located.value_at(here), message))
    elif target.coverage is not None and indicator.coverage(target.coverage) is None:
        message = f"unknown coverage '{target.coverage}' of indicator '{indicator.id}'; use one of {known()}"
        problems.append(error(path, *located.value_at(here + ("coverage",)), message))
    if target.proxy is not None:
        own = target.coverage or (indicator.coverage(None).id if indicator.coverage(None) else None)
        message = None
        if indicator.coverage(target.proxy.coverage) is None:
            message = (
                f"unknown proxy coverage '{target.proxy.coverage}' of indicator '{indicator.id}'; use one of {known()}"
            )
        elif target.proxy.coverage == own:
            message = "the proxy coverage is the target's own coverage; leave the proxy out"
        if message is not None:  # positions are looked up only for a problem (a clean file is never read for them)
            problems.append(error(path, *located.value_at(here + ("proxy", "coverage")), message))
    return problems


def _parent_problems(catalogue: Catalogue, parents: dict[str, tuple[Path, Located]]) -> list[Problem]:
    """Every parent names a known policy, and no plan is its own ancestor."""
    problems = []
    for policy_id, (path, located) in parents.items():
        parent = catalogue.policies[policy_id].parent
        if parent not in catalogue.policies:
            hint = difflib.get_close_matches(str(parent), list(catalogue.policies), n=1)
            more = f"; did you mean '{hint[0]}'?" if hint else ""
            problems.append(
                error(path, *located.value_at(("policy", "parent")), f"unknown parent policy '{parent}'{more}")
            )
            continue
        seen = {policy_id}
        while parent is not None and parent in catalogue.policies:
            if parent in seen:
                message = (f"parent '{catalogue.policies[policy_id].parent}' leads back to '{policy_id}'; "
                           "plans cannot contain themselves")  # fmt: skip
                problems.append(error(path, *located.value_at(("policy", "parent")), message))
                break
            seen.add(parent)
            parent = catalogue.policies[parent].parent
    return problems


def _parse_part(
    model: type[BaseModel], data: Any, prefix: Loc, located: Located, path: Path, problems: list[Problem]
) -> Any:
    """Validate one part of a file (the policy, or one target); None when it has errors."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems.extend(validation_problems(exc, located, path, model, prefix))
        return None


def _parse_target_file(located: Located, path: Path, problems: list[Problem]) -> tuple[Any, list[Any]]:
    """Check the file's outline, then the policy and each target on its own, so one
    broken target does not hide the problems of the others."""
    data = located.data
    for key in data:
        if key not in TargetFile.model_fields:
            line, col = located.key_at((key,))
            problems.append(
                error(path, line, col, f"unknown key '{key}' at the top of the file; allowed: policy, targets")
            )
    policy = None
    if "policy" not in data:
        problems.append(
            error(path, *located.value_at(()), "missing required key 'policy' (the document the targets come from)")
        )
    elif not isinstance(data["policy"], dict):
        line, col = located.value_at(("policy",))
        problems.append(error(path, line, col, "policy must be a mapping of keys to values"))
    else:
        policy = _parse_part(Policy, data["policy"], ("policy",), located, path, problems)
    items = data.get("targets")
    targets: list[Any] = []
    if "targets" not in data:
        problems.append(
            error(path, *located.value_at(()), "missing required key 'targets' (a list of at least one target)")
        )
    elif not isinstance(items, list) or not items:
        line, col = located.value_at(("targets",))
        problems.append(error(path, line, col, "targets must be a list of at least one target"))
    else:
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                line, col = located.value_at(("targets", index))
                problems.append(error(path, line, col, f"targets[{index}] must be a mapping of keys to values"))
                targets.append(None)
                continue
            targets.append(_parse_part(Target, item, ("targets", index), located, path, problems))
    return policy, targets


def _read(path: Path, catalogue: Catalogue, root: Path | None = None) -> Located | None:
    """Parse one YAML file of the catalogue, recording it and its problems; None when it cannot be read."""
    catalogue.files.append(path)
    located, problems = load_yaml(path, root=root)
    catalogue.problems.extend(problems)
    if located is None:
        catalogue.skipped_files.append(path)
    return located


def load_target_file(
    path: Path, catalogue: Catalogue, parents: dict[str, tuple[Path, Located]] | None = None, root: Path | None = None
) -> None:
    """Validate one policy file; add its policy and targets only when it has no error (``root``: the
    repository holding it, worked out once for the folder; links out of it are not read)."""
    located = _read(path, catalogue, root)
    if located is None:
        return
    problems = _check_schema_line(path, _head(path), TARGET_SCHEMA)
    policy, targets = _parse_target_file(located, path, problems)
    if policy is not None:
        if policy.id in catalogue.policies:
            line, col = located.value_at(("policy", "id"))
            problems.append(error(path, line, col, f"duplicate policy id '{policy.id}'; policy ids must be unique"))
        if path.stem != policy.id:
            line, col = located.value_at(("policy", "id"))
            problems.append(warning(path, line, col, f"the file name should match the policy id: {policy.id}.yaml"))
    seen_here: dict[str, int] = {}  # target id -> its index in the file
    issued = policy.issued_date if policy is not None else None
    for index, target in enumerate(targets):
        if target is None:
            continue
        first = catalogue.target_files.get(target.id)
        if first is not None or target.id in seen_here:
            where = display_path(first) if first is not None else (
                f"line {located.value_at(('targets', seen_here[target.id], 'id'))[0]}")  # fmt: skip
            message = f"duplicate target id '{target.id}' (also on {where}); ids must be unique"
            problems.append(error(path, *located.value_at(("targets", index, "id")), message))
        seen_here[target.id] = index
        problems.extend(_target_problems(target, index, policy, located, path, catalogue, issued))
    catalogue.problems.extend(problems)
    if policy is None or any(p.is_error for p in problems):
        catalogue.skipped_files.append(path)
        return
    catalogue.policies[policy.id] = policy
    if policy.parent is not None and parents is not None:
        parents[policy.id] = (path, located)
    for target in targets:
        target._policy_id = policy.id
        catalogue.targets[target.id] = target
        catalogue.target_files[target.id] = path


def load_catalogue(targets_dir: Path, data_dir: Path) -> Catalogue:
    """Read and validate the indicator catalogue and every target file."""
    catalogue = Catalogue()
    load_indicators(data_dir, catalogue)
    load_targets(targets_dir, catalogue)
    return catalogue


def load_targets(targets_dir: Path, catalogue: Catalogue) -> None:
    """Read and validate every target file against the indicators already in ``catalogue``.

    Apart from :func:`load_catalogue` so that the build can load the observations, which need
    only the indicators, while the target files are read."""
    if not targets_dir.is_dir():
        catalogue.problems.append(error(targets_dir, 0, 0, "the targets folder does not exist"))
        return
    files = sorted(p for p in targets_dir.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    for ignored in sorted(p for p in targets_dir.iterdir() if p.suffix.lower() in (".yaml", ".yml") and p not in files):
        if ignored.is_symlink():
            catalogue.problems.append(dangling_link_problem(ignored))
        else:
            catalogue.problems.append(
                warning(ignored, 0, 0, "not read: target files end in .yaml (lower case) and are regular files")
            )
    if not files:
        catalogue.problems.append(warning(targets_dir, 0, 0, "no target files (*.yaml) in this folder"))
    parents: dict[str, tuple[Path, Located]] = {}
    root = repository_root(targets_dir)
    with collector_paused():
        for path in files:
            load_target_file(path, catalogue, parents, root)
    catalogue.problems.extend(_parent_problems(catalogue, parents))
    catalogue.problems.sort(key=lambda p: (p.path, p.line, p.col))


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while the target files are read (and during a build): they
    make a few hundred thousand small objects that live on (values, positions, models) and few
    cycles, and the collector's passes over them cost about a tenth of the reading's CPU (10,000
    targets, measured). Whatever cycles they leave are collected when it runs again."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
