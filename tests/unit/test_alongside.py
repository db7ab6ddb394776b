"""``tracker status`` of many targets writes the last rows of its CSV or JSON in a forked copy of itself while it
writes the first ones (``tracker.assess.output.texts_in_two``, ``tracker.assess.columns.alongside``), each part's
sentences for its own rows only (``columns.lazily``): the output reads the same as when everything is written in
one process, and a copy that fails leaves the work, and its error, to the command itself."""

from __future__ import annotations

import os

import numpy as np
import pytest

from tracker.assess import columns as C
from tracker.assess.output import JSON_FIELDS, RECORD_FIELDS, texts_in_two, to_csv, to_json

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
@pytest.mark.parametrize("n", [2, 3, 7])
def test_the_csv_and_json_in_two_parts_read_as_the_whole(fields, n):
    """The pieces written one after the other (the last rows by the forked copy, the sentences of each part
    written lazily for its own rows) are the bytes of the whole written in one go; under the threshold, one piece."""
    plain = _assessed(n, C.object_column(_texts(n)))
    for fmt, whole in (("csv", to_csv(plain, fields)), ("json", to_json(plain, fields))):
        lazy = _assessed(n, None)
        lazy["explanation"] = C.lazily(_part_texts, lazy)
        pieces = list(texts_in_two(lazy, fields, fmt, 2))
        assert "".join(pieces) == whole and len(pieces) == (2 if fmt == "csv" else 3)
        assert list(texts_in_two(plain, fields, fmt, n + 1)) == [whole]


def _part_texts(part) -> list[str]:
    """The sentences of some rows (those of ``_texts``), from the row numbers in their ids ("id 3")."""
    every = _texts(int(part["id"][-1].split()[-1]) + 1)
    return [every[int(i.split()[-1])] for i in part["id"].tolist()]


def test_a_lazy_column_of_some_rows_is_written_for_those_rows_only():
    data = {"id": np.arange(10)}
    asked = []
    data["x"] = C.lazily(lambda d: asked.append(d["id"].tolist()) or [i * 2 for i in d["id"].tolist()], data)
    assert C.column(C.part(data, slice(3, 6)), "x").tolist() == [6, 8, 10] and asked == [[3, 4, 5]]
    assert C.column(C.part(C.part(data, slice(2, 9)), slice(1, 3)), "x").tolist() == [6, 8] and asked[-1] == [3, 4]
    assert C.column(data, "x").tolist() == list(range(0, 20, 2)) and asked[-1] == list(range(10))


def test_status_writes_the_sentences_in_a_copy_from_its_threshold_and_the_output_is_the_same(
    shipped_database, run_cli, monkeypatch
):
    """The shipped catalogue, once with every target over the threshold (forked) and once under it."""
    from tracker import status_command

    args = ["status", "--db", shipped_database, "--as-of", "2026-11-29"]
    forks = []
    real = C.alongside
    monkeypatch.setattr("tracker.assess.output.alongside", lambda *a: forks.append(1) or real(*a))
    outputs = {}
    for threshold in (1, 10**9):
        monkeypatch.setattr(status_command, "IN_TWO_FROM", threshold)
        outputs[threshold] = [run_cli(*args, "--format", fmt)[1] for fmt in ("csv", "json")]
    assert len(forks) == 2 and outputs[1] == outputs[10**9]
    assert "cnc-rate-75-by-2027" in outputs[1][0] and "7 figures of other coverages" in outputs[1][0]
