"""The comment workflow's script, run as github-script runs it (Node, with GitHub's API stood in for):
it comments only on the pull request whose head the triggering run tested, whatever number the
artifact claims."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
import yaml

from tests.conftest import ROOT

# github-script wraps the script in an async function of (require, github, context, core).
HARNESS = r"""
const fs = require('fs');
const given = JSON.parse(fs.readFileSync('given.json', 'utf8'));
const calls = [];
const github = {
  rest: {
    pulls: { get: async ({ pull_number }) => {
      if (!(pull_number in given.pulls)) throw new Error('Not Found');
      return { data: given.pulls[pull_number] };
    } },
    issues: {
      listComments: 'listComments',
      updateComment: async (args) => calls.push(['update', args]),
      createComment: async (args) => calls.push(['create', args]),
    },
  },
  paginate: async () => given.comments,
};
const core = { setFailed: (m) => calls.push(['failed', m]), notice: (m) => calls.push(['notice', m]) };
const context = { repo: { owner: 'owner', repo: 'tracker' }, payload: { workflow_run: given.run } };
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
new AsyncFunction('require', 'github', 'context', 'core', fs.readFileSync('script.js', 'utf8'))(require, github, context, core)
  .then(() => console.log(JSON.stringify(calls)), (e) => { console.log(JSON.stringify([['threw', String(e)]])); });
"""

RUN = {"id": 77, "head_sha": "a" * 40, "head_branch": "fix-figures", "head_repository": {"full_name": "fork/tracker"}}


def _pull(sha: str = "a" * 40, ref: str = "fix-figures", repo: str = "fork/tracker") -> dict:
    return {"head": {"sha": sha, "ref": ref, "repo": {"full_name": repo}}}


def _script() -> str:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pr-comment.yml").read_text(encoding="utf-8"))
    return workflow["jobs"]["comment"]["steps"][-1]["with"]["script"]


@pytest.fixture
def comment(tmp_path):
    node = shutil.which("node")
    assert node, "Node.js runs the workflow's script here, as on GitHub's runners"

    def run(number: str, pulls: dict, comments: list | None = None) -> list:
        (tmp_path / "diff-report").mkdir(exist_ok=True)
        (tmp_path / "diff-report" / "pr-number.txt").write_text(number, encoding="utf-8")
        (tmp_path / "diff-report" / "comment.md").write_text("## Changes\n", encoding="utf-8")
        (tmp_path / "script.js").write_text(_script(), encoding="utf-8")
        given = {"run": RUN, "pulls": pulls, "comments": comments or []}
        (tmp_path / "given.json").write_text(json.dumps(given), encoding="utf-8")
        (tmp_path / "harness.js").write_text(HARNESS, encoding="utf-8")
        done = subprocess.run([node, "harness.js"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    return run


def test_the_pull_request_the_run_tested_gets_the_comment(comment):
    calls = comment("12", {"12": _pull()})
    assert [c[0] for c in calls] == ["create"]
    assert calls[0][1]["issue_number"] == 12
    assert calls[0][1]["body"] == "<!-- policy-target-tracker-diff -->\n## Changes\n"


def test_the_earlier_comment_is_updated(comment):
    mine = {"id": 5, "user": {"type": "Bot"}, "body": "<!-- policy-target-tracker-diff -->\nold"}
    calls = comment("12", {"12": _pull()}, [mine])
    assert calls == [["update", {"owner": "owner", "repo": "tracker", "comment_id": 5,
                                 "body": "<!-- policy-target-tracker-diff -->\n## Changes\n"}]]  # fmt: skip


@pytest.mark.parametrize(
    "other",
    [_pull(repo="someone/else"), _pull(ref="main"), {"head": {"sha": "a" * 40, "ref": "fix-figures", "repo": None}}],
    ids=["another-repository", "another-branch", "deleted-fork"],
)
def test_a_number_naming_another_pull_request_gets_no_comment(comment, other):
    calls = comment("13", {"12": _pull(), "13": other})
    assert calls == [["failed", "pull request #13 is not the one run 77 tested; no comment"]]


def test_a_pull_request_that_moved_on_is_left_to_its_newer_run(comment):
    calls = comment("12", {"12": _pull(sha="b" * 40)})
    assert calls == [["notice", f"pull request #12 has moved on from {'a' * 40}; its newer run will comment"]]


@pytest.mark.parametrize("number", ["12; rm -rf /", "", "-1", "12345678901"])
def test_a_malformed_number_gets_no_comment(comment, number):
    calls = comment(number, {"12": _pull()})
    assert calls == [["failed", "pr-number.txt does not hold a pull-request number"]]


def test_a_number_of_no_pull_request_gets_no_comment(comment):
    assert comment("99", {"12": _pull()}) == [["threw", "Error: Not Found"]]
