"""``tracker status`` of many targets writes the sentences in a forked copy of itself while it writes the other
columns (``tracker.assess.columns.alongside``): the records read the same as when everything is written in one
process, and a copy that fails leaves the work, and its error, to the command itself."""

from __future__ import annotations

import os

import numpy as np
import pytest

from tracker.assess import columns as C
from tracker.assess.output import JSON_FIELDS, RECORD_FIELDS, to_csv, to_json

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")


def _texts(n: int) -> list[str]:
    return [f'sentence {i}, with "quotes"\nand a line, 中文 \ud800' for i in range(n)]


def test_a_column_written_by_the_forked_copy_is_the_column_itself():
    """Texts come back through the pipe as they were (a lone surrogate too); texts holding the separator, and
    values that are not texts, come back pickled."""
    for values in (_texts(3), ["a\x00b", "", "c"], [1.5, None, "x"], []):
        later = C.alongside(lambda v: list(v), values)
        got = C.column({"x": later}, "x")
        assert got.dtype == object and got.tolist() == values


def test_a_failing_copy_leaves_the_work_and_its_error_to_the_command(tmp_path):
    marker = tmp_path / "calls"

    def fails_once_in_the_copy() -> list[str]:
        with marker.open("a") as fh:
            fh.write(f"{os.getpid()}\n")
        raise ValueError("the rule broke")

    later = C.alongside(fails_once_in_the_copy)
    with pytest.raises(ValueError, match="the rule broke"):
        later()
    pids = marker.read_text().split()
    assert len(pids) == 2 and pids[1] == str(os.getpid()) != pids[0], "once in the copy, then here"


def _assessed(n: int, explanation) -> dict:
    data = {key: np.array([f"{key} {i}" for i in range(n)], dtype=object) for key in JSON_FIELDS}
    for key in ("score", "ratio", "latest_value", "target_value"):
        data[key] = np.linspace(-1.0, 2.0, n)
    data["flags"] = C.object_column([["qualified_figures", "awaiting_final_data"][: i % 3] for i in range(n)])
    data["qualified_points"] = C.object_column([[] for _ in range(n)])
    data["explanation"] = explanation
    return data


@pytest.mark.parametrize(
    "fields",
    [RECORD_FIELDS, ("explanation", "id", "score"), ("id", "explanation", "flags"), ("explanation",), ("id",)],
)
def test_the_csv_and_json_read_the_same_whether_the_sentences_are_being_written_elsewhere_or_not(fields):
    """The CSV joins the other cells of each row while the sentences are written when they come last, and the
    columns in their own order otherwise; either way, the same bytes."""
    plain = _assessed(5, C.object_column(_texts(5)))
    forked = _assessed(5, C.alongside(_texts, 5))
    assert to_csv(forked, fields) == to_csv(plain, fields)
    forked = _assessed(5, C.alongside(_texts, 5))
    assert to_json(forked, fields) == to_json(plain, fields)


def test_status_writes_the_sentences_in_a_copy_from_its_threshold_and_the_output_is_the_same(
    shipped_database, run_cli, monkeypatch
):
    """The shipped catalogue, once with every target over the threshold (forked) and once under it."""
    from tracker import cli

    args = ["status", "--db", shipped_database, "--as-of", "2026-11-29"]
    forks = []
    real = C.alongside
    monkeypatch.setattr("tracker.assess.frame.alongside", lambda *a: forks.append(1) or real(*a))
    outputs = {}
    for threshold in (1, 10**9):
        monkeypatch.setattr(cli, "SENTENCES_ALONGSIDE_FROM", threshold)
        outputs[threshold] = [run_cli(*args, "--format", fmt)[1] for fmt in ("csv", "json")]
    assert len(forks) == 2 and outputs[1] == outputs[10**9]
    assert "cnc-rate-75-by-2027" in outputs[1][0] and "7 figures of other coverages" in outputs[1][0]
