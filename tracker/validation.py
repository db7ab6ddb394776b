"""pydantic's validation errors turned into problems placed at the offending key or value."""

from __future__ import annotations

import difflib
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from tracker.problems import Problem, error
from tracker.yamlfile import Loc, Located


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _model_at(root: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    model: type[BaseModel] | None = root
    for part in loc:
        if isinstance(part, int) or model is None:
            continue
        info = model.model_fields.get(part)
        model = _model_in(info.annotation) if info is not None else None
    return model


def _name(loc: Loc) -> str:
    parts = [str(p) for p in loc if isinstance(p, str)]
    last = parts[-1] if parts else "file"
    if loc and isinstance(loc[-1], int):
        return f"{last}[{loc[-1]}]"
    return last


def _what(node: str) -> str:
    return {"targets": "target", "indicators": "indicator"}.get(node, node)


def _describe_input(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "an empty value"
    return repr(value)


def validation_problems(
    exc: ValidationError, located: Located, path: Path, root: type[BaseModel], prefix: Loc = ()
) -> list[Problem]:
    """Turn pydantic's errors into problems placed at the offending key or value."""
    problems = []
    for err in exc.errors():
        loc: Loc = prefix + tuple(err["loc"])
        kind = err["type"]
        name = _name(loc)
        if kind == "extra_forbidden":
            model = _model_at(root, tuple(err["loc"])[:-1])
            allowed = sorted(model.model_fields) if model else []
            hint = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
            text = f"unknown key '{loc[-1]}'"
            if hint:
                text += f"; did you mean '{hint[0]}'?"
            if allowed:
                text += f" Keys allowed here: {', '.join(allowed)}"
            line, col = located.key_at(loc)
        elif kind == "missing":
            parent = loc[:-1]
            where = _what(str(next((p for p in reversed(parent) if isinstance(p, str)), "file")))
            text = f"missing required key '{loc[-1]}'" + (f" in this {where}" if parent else "")
            line, col = located.value_at(parent)
        else:
            if kind == "tracker":
                msg = err["msg"]
            elif kind in ("model_type", "dict_type", "model_attributes_type"):
                msg = f"must be a mapping of keys to values; got {_describe_input(err.get('input'))}"
            elif kind == "list_type":
                msg = f"must be a list; got {_describe_input(err.get('input'))}"
            elif kind == "too_short":
                msg = f"must list at least one {_what(name)}"
            else:
                msg = err["msg"].removeprefix("Value error, ")
            if msg.split(" ", 1)[0] == name:
                text = msg
            elif msg.startswith("must"):
                text = f"{name} {msg}"
            else:
                text = f"{name}: {msg}"
            line, col = located.value_at(loc)
        problems.append(error(path, line, col, text))
    return problems
