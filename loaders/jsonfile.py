"""JSON observation files: a list of objects with the canonical column names as keys.

Rows are numbered by their position in the list, starting at 1.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from loaders.numbered import LoadResult, load_rows
from loaders.rows import COLUMNS, header_problems, size_problem
from tracker.model import Indicator
from tracker.problems import Problem, error
from tracker.yamlfile import utf16_problem

MAX_JSON_DEPTH = 16
_STRUCTURE = re.compile(rb'\\.|[\[\]{}"]', re.DOTALL)


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _depth_problem(raw: bytes, path: Path) -> Problem | None:
    """Nesting deeper than MAX_JSON_DEPTH, found by counting brackets outside strings, before parsing."""
    depth, in_string = 0, False
    # Only brackets, quotes and escapes matter; the regular expression skips everything else in C.
    for match in _STRUCTURE.finditer(raw):
        char = match.group()
        if char == b'"':
            in_string = not in_string
        elif in_string or len(char) == 2:  # inside a string, or an escaped character
            continue
        elif char in (b"[", b"{"):
            depth += 1
            if depth > MAX_JSON_DEPTH:
                offset = match.start()
                line = raw.count(b"\n", 0, offset) + 1
                col = offset - (raw.rfind(b"\n", 0, offset) + 1) + 1
                return error(path, line, col, f"the JSON nests lists or objects more than {MAX_JSON_DEPTH} levels "
                             "deep; observations are a list of flat objects")  # fmt: skip
        else:
            depth -= 1
    return None


def load(path: Path, indicators: dict[str, Indicator], indicator: str | None = None) -> LoadResult:
    too_big = size_problem(path)
    if too_big is not None:
        return LoadResult.failed(path, too_big)
    raw = path.read_bytes()
    utf16 = utf16_problem(raw, path, "JSON")
    if utf16 is not None:
        return LoadResult.failed(path, utf16)
    too_deep = _depth_problem(raw, path)
    if too_deep is not None:
        return LoadResult.failed(path, too_deep)
    try:
        # Numbers stay text: the row rules read them (and bound their digits) like any other loader's.
        data = json.loads(raw.decode("utf-8-sig"), parse_int=str, parse_float=str, parse_constant=str)
    except UnicodeDecodeError:
        return LoadResult.failed(path, error(path, 0, 0, "the file is not UTF-8 text; JSON must be saved as UTF-8"))
    except json.JSONDecodeError as exc:
        return LoadResult.failed(path, error(path, exc.lineno, exc.colno, f"not valid JSON: {exc.msg}"))
    except RecursionError:  # pragma: no cover - _depth_problem refuses deep files first
        return LoadResult.failed(path, error(path, 1, 1, "the JSON nests too deeply"))
    if not isinstance(data, list):
        kind = type(data).__name__.replace("dict", "an object").replace("str", "a string")
        return LoadResult.failed(
            path, error(path, 1, 1, f"the JSON holds {kind}; it must be a list of objects, one per observation")
        )
    not_objects = [i for i, item in enumerate(data, start=1) if not isinstance(item, dict)]
    if not_objects:
        return LoadResult.failed(
            path,
            *(
                error(path, i, 0, f"item {i} is not an object with keys such as {', '.join(COLUMNS[:4])}")
                for i in not_objects[:20]
            ),
        )
    keys: list[str] = []
    for item in data:
        keys += [k for k in item if k not in keys]
    problems = header_problems(keys, path, indicator)
    if any(p.is_error for p in problems):
        return LoadResult.failed(path, *problems)
    frame = None
    if data:
        import pandas as pd  # here, not above: the bulk build never needs pandas

        frame = pd.DataFrame([{k.lower(): _text(v) for k, v in item.items()} for item in data], dtype="string")
    return load_rows(path, frame, list(range(1, len(data) + 1)), indicators, indicator, problems)
