"""tracker diff on a throwaway git repository, target history, and the pull-request workflow file."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import yaml

from tests.conftest import ROOT, small_project
from tracker.cli import build_parser
from tracker.diff import diff
from tracker.history import NoHistory, change_text, target_history

AS_OF = date(2026, 11, 29)


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", "-C", str(repo), *args],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout


# The policies whose targets and figures the tests below change or name, with their indicators and figures:
# each report compares two builds, and the rest of the catalogue would only make both longer.
DIFFED = (
    "miit-industrial-equipment-renewal-plan-2024.yaml",
    "ipv6-work-plan-2023.yaml",
    "ipv6-work-plan-2025.yaml",
    "miit-mobile-iot-2024.yaml",
    "miit-quality-enterprises-2021.yaml",
)


@pytest.fixture
def repo(tmp_path):
    small_project(tmp_path, *DIFFED)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "base")
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_report_lists_targets_figures_and_status_changes(repo):
    plan = repo / "targets" / "miit-industrial-equipment-renewal-plan-2024.yaml"
    edit(plan, "    value: 75\n", "    value: 50\n")  # cnc-rate-75-by-2027 becomes achieved
    (repo / "targets" / "ipv6-work-plan-2023.yaml").unlink()
    new = (repo / "targets" / "ipv6-work-plan-2025.yaml").read_text(encoding="utf-8")
    new = new.replace("ipv6-work-plan-2025", "ipv6-work-plan-2026").replace(
        "iot-ipv6-1-1bn-by-2025", "iot-ipv6-2bn-by-2026"
    )
    (repo / "targets" / "ipv6-work-plan-2026.yaml").write_text(new, encoding="utf-8")
    edit(repo / "data" / "observations" / "little-giants.csv", "2022-09,8997,", "2022-09,8998,")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "head")
    text, changed = diff(repo, "HEAD~1", "HEAD", AS_OF)
    assert changed
    assert "## Targets and data: `HEAD~1` → `HEAD`" in text
    assert "### Targets: 1 added, 1 removed, 1 changed" in text
    assert "- **Added** `iot-ipv6-2bn-by-2026`" in text
    assert "- **Removed** `iot-ipv6-300m-by-2023`" in text
    assert "  | value | 75 | 50 |" in text
    assert "### Figures: 0 added, 1 changed, 0 removed" in text
    assert "| `little-giants` | 0 | 1 | 0 |" in text
    assert "published_value: 8997 → 8998" in text
    assert "| `cnc-rate-75-by-2027` | Insufficient data | Achieved (changed) |" in text
    assert "Mass deletion" not in text


def test_a_changed_chinese_publisher_alone_is_a_changed_figure(repo):
    """What the Chinese pages name as a figure's publisher is reviewed like the rest of its citation: a pull request
    that changes only publisher_zh lists the figure as changed, old and new side by side, escaped."""
    path = repo / "data" / "observations" / "little-giants.csv"
    head, row, rest = path.read_text(encoding="utf-8").partition("little-giants,2022-09,8997,")
    line, _, after = rest.partition("\n")
    fields = next(csv.reader([row + line]))
    i = next(csv.reader([head.splitlines()[0]])).index("publisher_zh")
    old_zh, fields[i] = fields[i], "国家统计局 <b>@team</b>"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(fields)
    path.write_text(head + buffer.getvalue() + "\n" + after, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "head")
    text, changed = diff(repo, "HEAD~1", "HEAD", AS_OF)
    assert changed and "### Figures: 0 added, 1 changed, 0 removed" in text
    line = next(x for x in text.splitlines() if x.startswith("- Changed `little-giants` 2022"))
    assert "publisher_zh: " in line and old_zh.split("；")[0] in line and "<b>" not in line and "@team" not in line


def test_removed_file_and_mass_deletion_are_called_out_first(repo):
    folder = repo / "data" / "observations"
    total = sum(sum(1 for _ in path.open(encoding="utf-8")) - 1 for path in folder.glob("*.csv"))
    removed = 0
    # Remove the two files named below, then others in name order, until at least a quarter is gone.
    names = ["mobile-iot-connections.csv", "manufacturing-champions.csv"]
    names += [p.name for p in sorted(folder.glob("*.csv")) if p.name not in names]
    for i, name in enumerate(names):
        if i >= 2 and removed >= total / 4:
            break
        with (folder / name).open(encoding="utf-8") as fh:
            removed += sum(1 for _ in fh) - 1
        (folder / name).unlink()
    text, changed = diff(repo, "HEAD", None, AS_OF)  # against the working tree
    head = text.split("###")[0]
    assert "**⚠️ Observation file removed: `data/observations/mobile-iot-connections.csv` (22 figures).**" in head
    assert "**⚠️ Observation file removed: `data/observations/manufacturing-champions.csv` (6 figures).**" in head
    assert f"**⚠️ Mass deletion: {removed} of {total} figures removed ({removed / total:.0%}).**" in head
    assert "| `mobile-iot-connections` | 0 | 0 | 22 |" in text
    assert "| `mobile-iot-3-6bn-connections-by-2027` | Acceleration needed | No data (changed) |" in text


def test_no_relevant_change(run_cli, repo):
    (repo / "README.txt").write_text("unrelated", encoding="utf-8")
    code, out, _ = run_cli("diff", "HEAD", "--repo", repo, "--as-of", "2026-11-29")
    assert code == 0
    assert out.strip().endswith("No changes to targets or data.")


def test_problems_at_head_are_reported(repo):
    edit(repo / "targets" / "miit-mobile-iot-2024.yaml", 'comparator: ">"', 'comparator: "=>"')
    text, _ = diff(repo, "HEAD", None, AS_OF)
    assert "**❌ 1 problem(s) in the files at `working tree`**" in text
    assert "comparator must be one of" in text


def test_unknown_revision_is_a_usage_error(run_cli, repo):
    code, _, err = run_cli("diff", "no-such-branch", "--repo", repo)
    assert code == 2 and "error:" in err


def test_history_of_a_target_over_two_commits(repo):
    plan = repo / "targets" / "miit-industrial-equipment-renewal-plan-2024.yaml"
    edit(plan, "    value: 75\n", "    value: 80\n")
    git(repo, "commit", "-q", "-am", "Raise the CNC goal to 80%")
    history = target_history(repo, plan, "cnc-rate-75-by-2027")
    assert [h.subject for h in history] == ["base", "Raise the CNC goal to 80%"]
    assert history[0].changes == [("target", None, "added")]
    assert change_text(*history[0].changes[0], "en") == "added to the catalogue"
    assert change_text(*history[0].changes[0], "zh") == "列入目录"
    assert change_text("value", 75, 80, "en") == "value: 75 → 80"
    assert change_text("source", None, "x" * 100, "en", size=10).startswith("source: – → xxxxxxxxx")
    assert history[1].changes == [("value", 75, 80)]


def test_history_outside_a_git_checkout(tmp_path):
    (tmp_path / "t.yaml").write_text("targets: []\n", encoding="utf-8")
    with pytest.raises(NoHistory):
        target_history(tmp_path, tmp_path / "t.yaml", "x")


def _workflow(name: str) -> dict:
    return yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8"))


def test_pull_request_workflow_runs_no_template_in_scripts_and_uploads_the_report():
    workflow = _workflow("pull-request.yml")
    assert list(workflow[True]) == ["pull_request"]  # YAML 1.1 reads the key `on` as true
    assert workflow["permissions"] == {"contents": "read"}
    steps = workflow["jobs"]["check"]["steps"]
    runs = "\n".join(s.get("run", "") for s in steps)
    assert "${{" not in runs, "values reach scripts through env, never pasted in"
    assert ".venv/bin/python -m tracker validate --format github" in runs
    assert '.venv/bin/python -m tracker diff "origin/${BASE_REF}" --max-chars 60000' in runs
    assert "make test" in runs and "GITHUB_STEP_SUMMARY" in runs
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["persist-credentials"] is False
    for step in steps:
        if "uses" in step:
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), step["uses"]
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["name"] == "diff-report"
    test = next(s for s in steps if s.get("run") == "make test")
    assert test["env"]["CHROMIUM"] == "/usr/bin/google-chrome"
    parser = build_parser()
    assert parser.parse_args(["validate", "--format", "github"]).format == "github"
    assert parser.parse_args(["diff", "origin/main", "--max-chars", "60000"]).max_chars == 60000


def test_comment_workflow_never_runs_the_pull_requests_code():
    workflow = _workflow("pr-comment.yml")
    assert workflow[True]["workflow_run"]["workflows"] == [_workflow("pull-request.yml")["name"]]
    assert workflow["permissions"] == {}
    job = workflow["jobs"]["comment"]
    assert job["permissions"] == {"actions": "read", "pull-requests": "write"}
    uses = [s["uses"] for s in job["steps"]]
    assert not any(u.startswith("actions/checkout") for u in uses)
    assert all(re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", u) for u in uses)
    script = job["steps"][-1]["with"]["script"]
    assert "/^[0-9]{1,10}$/.test(number)" in script and "updateComment" in script and "createComment" in script


def test_zizmor_finds_nothing_in_the_workflows():
    zizmor = Path(sys.executable).with_name("zizmor")
    done = subprocess.run([str(zizmor), "--offline", "--quiet", str(ROOT / ".github" / "workflows")],
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No findings" in done.stdout + done.stderr
    assert "zizmor --offline" in (ROOT / "Makefile").read_text(encoding="utf-8").split("\ntest:")[1].split("\n\n")[0]


def test_validate_github_format(run_cli, tmp_path):
    from tests.conftest import CATALOG_FIXTURES

    folder = tmp_path / "t"
    folder.mkdir()
    shutil.copy(CATALOG_FIXTURES / "bad" / "bad-comparator.yaml", folder)
    code, out, _ = run_cli("validate", "--format", "github", "--targets", folder, "--data", CATALOG_FIXTURES / "data")
    assert code == 1
    assert out.startswith("::error file=")
    assert "bad-comparator.yaml,line=14,col=17::comparator must be one of >, >=, <, <=, ==; got '=>'" in out


def test_precommit_config_runs_validate_and_ruff():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    entries = [h["entry"] for r in config["repos"] for h in r["hooks"]]
    assert ".venv/bin/python -m tracker validate" in entries
    assert ".venv/bin/python -m ruff check" in entries
    assert ".venv/bin/zizmor --offline --quiet" in entries


def test_hostile_title_stays_text_in_the_comment(repo):
    from markdown_it import MarkdownIt

    plan = repo / "targets" / "miit-industrial-equipment-renewal-plan-2024.yaml"
    text = plan.read_text(encoding="utf-8")
    title_line = next(line for line in text.splitlines() if line.startswith("    title: "))
    hostile = "@octocat ![x](https://evil.example/a.png) <img src=x> | ## ✅ passed `x"
    plan.write_text(
        text.replace(title_line, f"    title: {hostile!r}".replace("'", '"', 1)[:-1] + '"', 1), encoding="utf-8"
    )
    report, _ = diff(repo, "HEAD", None, AS_OF)
    html = MarkdownIt("gfm-like", {"linkify": True}).render(report)
    assert "<img" not in html and 'evil.example/a.png"' not in html and 'href="https://evil' not in html
    assert "@octocat" not in html  # a word joiner follows the @: no mention
    assert "@\u2060octocat" in html


def test_a_long_report_is_summarised_under_the_comment_limit(repo):
    rows = [f"little-giants,{y}-{m:02d},{1 + m / 100},万,=,,Generated source {y}-{m},Test,,,"
            for y in range(1900, 2000) for m in range(1, 13)]  # fmt: skip
    path = repo / "data" / "observations" / "many.csv"
    path.write_text("indicator,period,value,unit,qualifier,coverage,source_title,publisher,source_url,published,note\n"
                    + "\n".join(rows) + "\n", encoding="utf-8")  # fmt: skip
    full, _ = diff(repo, "HEAD", None, AS_OF)
    short, _ = diff(repo, "HEAD", None, AS_OF, max_chars=60_000)
    assert len(full) > 65_536
    assert len(short) <= 60_000
    assert "### Figures: 1200 added, 0 changed, 0 removed" in short
    assert "download it from the workflow run's artifacts (`diff-report`)" in short


def test_a_committed_link_out_of_the_tree_is_not_followed(repo):
    secret = repo.parent / "secret.txt"
    secret.write_text("TOKEN=do-not-show\n", encoding="utf-8")
    (repo / "targets" / "leak.yaml").symlink_to(secret)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "link")
    report, _ = diff(repo, "HEAD~1", "HEAD", AS_OF)
    assert "do-not-show" not in report
    assert "targets/leak.yaml" in report and "not followed" in report
    assert "/tmp" not in report, "paths are shown as in the repository"


def _own_history() -> list[str]:
    done = subprocess.run(["git", "-C", str(ROOT), "rev-list", "--reverse", "HEAD"], capture_output=True, text=True)
    return done.stdout.split() if done.returncode == 0 else []


@pytest.mark.parametrize("role", ["base", "head"])
def test_diff_across_the_projects_own_history(role, run_cli):
    """The first commit (no observations, an older indicator layout) against today, both ways."""
    commits = _own_history()
    if len(commits) < 2:
        pytest.skip("not a git checkout with history (e.g. a source archive)")
    first = commits[0]
    args = ("diff", first, "HEAD") if role == "base" else ("diff", "HEAD", first)
    code, out, err = run_cli(*args, "--repo", ROOT, "--as-of", "2026-11-29")
    assert code == 0, err
    assert "Traceback" not in out + err
    assert out.startswith("## Targets and data: ")


def test_a_change_of_the_trend_under_a_waiting_status_is_a_change_of_status():
    """Past its deadline a target awaits its figure whatever its trend: the report writes the trend in brackets, as
    ``tracker status`` does, so that a pull request that turns it from on track to acceleration needed says so."""
    from tracker.diff import _labels

    def labels(trend):
        return _labels(pd.DataFrame({"id": ["a", "b"], "status": ["awaiting_final", "achieved"],
                                     "trend_status": [trend, None]}))  # fmt: skip

    before, after = labels("on_track"), labels("acceleration_needed")
    assert before == {"a": "Awaiting final figure (on track)", "b": "Achieved"}
    assert after["a"] == "Awaiting final figure (acceleration needed)" and before["a"] != after["a"]
    assert _labels(pd.DataFrame({"id": ["a"], "status": ["on_track"]})) == {"a": "On track"}  # no trend column
