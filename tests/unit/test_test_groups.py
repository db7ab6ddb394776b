"""The suite's own scheduling: tests of one ``xdist_group`` must reach ``--dist loadgroup`` as one group."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from _pytest.nodeid import coerce_node_id

from tests.conftest import ROOT, pytest_collection_modifyitems


class _Item:
    def __init__(self, nodeid: str, *groups: str) -> None:
        self._id = coerce_node_id(nodeid)
        self._marks = [pytest.mark.xdist_group(name).mark for name in groups]
        self.path = ROOT / nodeid.split("::")[0]

    def add_marker(self, mark) -> None:
        self._marks.append(mark.mark)

    @property
    def nodeid(self) -> str:
        return str(self._id)

    def iter_markers(self, name: str):
        return iter(self._marks) if name == "xdist_group" else iter(())


def _run(loadgroup: bool, items: list[_Item]) -> list[str]:
    pytest_collection_modifyitems(SimpleNamespace(option=SimpleNamespace(loadgroup=loadgroup)), items)
    return [item.nodeid for item in items]


def test_a_worker_of_loadgroup_gives_grouped_tests_the_id_the_scheduler_groups_by():
    items = [_Item("tests/e2e/test_browser.py::test_a[phone-zh]", "browser"), _Item("tests/unit/test_x.py::test_b"),
             _Item("tests/e2e/test_site.py::test_c", "site", "browser")]  # fmt: skip
    assert _run(True, items) == [
        "tests/e2e/test_browser.py::test_a[phone-zh]@browser",
        "tests/unit/test_x.py::test_b",
        "tests/e2e/test_site.py::test_c@browser_site",
    ]
    assert _run(True, items)[0].count("@") == 1, "a second pass adds nothing"


def test_other_runs_keep_the_ids():
    assert _run(False, [_Item("tests/e2e/test_browser.py::test_a", "browser")]) == ["tests/e2e/test_browser.py::test_a"]


def test_the_apptests_are_one_group_and_nothing_else_joins_it():
    from tests.app.conftest import pytest_collection_modifyitems as group_the_apptests

    items = [_Item("tests/app/test_pages.py::test_a[views/target.py-zh]"), _Item("tests/unit/test_x.py::test_b"),
             _Item("tests/app/test_signin.py::test_c")]  # fmt: skip
    group_the_apptests(None, items)
    assert _run(True, items) == [
        "tests/app/test_pages.py::test_a[views/target.py-zh]@app",
        "tests/unit/test_x.py::test_b",
        "tests/app/test_signin.py::test_c@app",
    ]
