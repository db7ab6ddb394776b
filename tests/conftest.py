from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

# On CI the generated examples are the same on every run, so that a red run can be reproduced;
# on a developer's machine they differ from run to run and keep exploring.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
CATALOG_FIXTURES = FIXTURES / "catalog"


@pytest.fixture
def run_cli(capsys):
    """Run ``python -m tracker`` in-process; returns (exit code, stdout, stderr)."""
    from tracker.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse usage errors
            code = exc.code
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def targets_with(tmp_path):
    """A targets folder holding copies of the given fixture files."""

    def make(*files: Path) -> Path:
        folder = tmp_path / "targets"
        folder.mkdir(exist_ok=True)
        for f in files:
            shutil.copy(f, folder / f.name)
        return folder

    return make
