"""The workflows that publish the site: Pages on every merge, the built site attached to every pull request."""

from __future__ import annotations

import re

import yaml

from tests.conftest import ROOT
from tracker.cli import build_parser

PINNED = re.compile(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}")


def _workflow(name: str) -> dict:
    return yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8"))


def _steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


def test_pages_workflow_tests_builds_and_deploys_with_the_official_pages_actions(tmp_path):
    workflow = _workflow("pages.yml")
    assert workflow[True]["push"] == {"branches": ["main"]}  # YAML 1.1 reads the key `on` as true
    assert workflow["permissions"] == {}
    build, deploy = _steps(workflow, "build"), _steps(workflow, "deploy")
    uses = [s["uses"] for s in build + deploy if "uses" in s]
    assert all(PINNED.fullmatch(u) for u in uses), uses
    names = [u.split("@")[0] for u in uses]
    assert names == ["actions/checkout", "actions/setup-python", "actions/configure-pages",
                     "actions/upload-pages-artifact", "actions/deploy-pages"]  # fmt: skip
    runs = [s.get("run", "") for s in build]
    assert "make test" in runs
    report = next(r for r in runs if "tracker report" in r)
    assert runs.index("make test") < runs.index(report), "the site is built only after the tests pass"
    assert "${{" not in "\n".join(runs), "values reach scripts through env, never pasted in"
    upload = next(s for s in build if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    args = report.split("tracker ", 1)[1].split()
    (tmp_path / "published").mkdir()
    # The pages name their published address (link previews) from the Pages action's base_url.
    step = next(s for s in build if "tracker report" in s.get("run", ""))
    assert step["env"]["SITE_URL"] == "${{ steps.pages.outputs.base_url }}" and '"${SITE_URL}"' in args
    args = [a.replace('"${SITE_URL}"', "https://org.github.io/repo") for a in args]
    parsed = build_parser().parse_args([a.replace("published", str(tmp_path / "published")) for a in args])
    assert str(parsed.out) == upload["with"]["path"] == "_site"
    assert parsed.base_url == "https://org.github.io/repo/"
    assert workflow["jobs"]["build"]["permissions"] == {"contents": "read"}
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert workflow["jobs"]["deploy"]["needs"] == "build"
    assert workflow["jobs"]["deploy"]["environment"]["name"] == "github-pages"


def test_pull_requests_carry_the_built_site_for_review():
    steps = _steps(_workflow("pull-request.yml"), "check")
    build = next(s for s in steps if "tracker report" in s.get("run", ""))
    assert build["run"].strip() == ".venv/bin/python -m tracker report --out _site"
    upload = next(s for s in steps if s.get("with", {}).get("name") == "site")
    assert PINNED.fullmatch(upload["uses"]) and upload["uses"].startswith("actions/upload-artifact@")
    assert upload["with"]["path"] == "_site/"
    assert steps.index(build) < steps.index(upload)
