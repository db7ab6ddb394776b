"""Templates of the string catalogues filled a column at a time, for the sentences of every target at once.

A sentence is a list of parts, each a template (``explain.pace``) and what its fields are bound to: a named
column of texts, or another part (a template inside a template: ``{pace_text}`` in ``explain.pace`` is
``explain.pace_growth`` or ``explain.pace_text``). ``flatten`` splices the parts of one shape of sentence into
one list of pieces, literal texts and fields, once; ``render`` then makes each row's sentence by joining its
pieces (a loop in C), instead of one ``format`` call per template and row. The texts are what ``str.format``
writes: a field with a format spec or a conversion, or a value that is not a text, is formatted as ``format``
would, value by value.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple, Union

Part = tuple[str, Mapping[str, Union[str, "Part"]] | None]
"""A template's text and its bindings (field -> column name or a part); bindings None: a text used as it is,
not read as a template (as ``explain.end`` is appended after a sentence)."""


class Field(NamedTuple):
    column: str
    """The column it reads ('' for a field bound to nothing: an empty text, as a missing field always read)."""
    written: str
    """The field as the template writes it, without its braces ('figure', 'growth:.1%', 'a!r')."""
    root: str
    """Its name without attribute or index ('a' of 'a.b')."""
    plain: bool
    """A name alone: no spec, no conversion, no attribute or index."""
    sub: tuple[str | Field, ...] | None = None
    """The pieces of a template bound to a field that is not plain: rendered first, then formatted."""


Pieces = tuple[str | Field, ...]


def flatten(parts: Sequence[Part]) -> Pieces:
    """The pieces of a sentence made of ``parts``: templates parsed once, a template bound to a plain field
    spliced into its place, neighbouring literals joined."""
    pieces: list[str | Field] = []
    for text, bindings in parts:
        if bindings is None:
            pieces.append(text)
            continue
        for literal, name, spec, conversion in string.Formatter().parse(text):
            if literal:
                pieces.append(literal)
            if name is None:
                continue
            written = name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            plain = name.isidentifier() and not spec and not conversion
            root = _root(name)
            bound = bindings.get(root, "")
            if isinstance(bound, str):
                pieces.append(Field(bound, written, root, plain))
            elif plain:
                pieces.extend(flatten([bound]))
            else:
                pieces.append(Field("", written, root, False, flatten([bound])))
    merged: list[str | Field] = []
    for piece in pieces:
        if isinstance(piece, str) and merged and isinstance(merged[-1], str):
            merged[-1] += piece
        elif piece != "":
            merged.append(piece)
    return tuple(merged)


def _root(name: str) -> str:
    """The field's own name, without its attribute or index ('a' of 'a.b' and 'a[0]')."""
    return name.split(".", 1)[0].split("[", 1)[0]


def columns_of(pieces: Pieces) -> set[str]:
    """The columns a sentence reads."""
    names: set[str] = set()
    for piece in pieces:
        if isinstance(piece, Field):
            names |= columns_of(piece.sub) if piece.sub is not None else {piece.column} - {""}
    return names


def render(pieces: Pieces, n: int, values: Callable[[str], list[Any]]) -> list[str]:
    """Each of n rows' sentence: its pieces joined, ``values(column)`` giving a column's n values."""
    columns: list[list[Any]] = []
    for piece in pieces:
        if isinstance(piece, str):
            columns.append([piece] * n)
        elif piece.plain:
            columns.append(values(piece.column) if piece.column else [""] * n)
        else:
            columns.append(_formatted(piece, n, values))
    if not columns:
        return [""] * n
    try:
        return list(map("".join, zip(*columns, strict=True)))
    except TypeError:  # a None or a number in a column: written as format writes it
        texts = [c if all(isinstance(v, str) for v in c) else [format(v, "") for v in c] for c in columns]
        return list(map("".join, zip(*texts, strict=True)))


def _formatted(field: Field, n: int, values: Callable[[str], list[Any]]) -> list[str]:
    """A field with a spec, a conversion, an attribute or an index, value by value as str.format writes it."""
    if field.sub is not None:
        column = render(field.sub, n, values)
    else:
        column = values(field.column) if field.column else [""] * n
    template = "{" + field.written + "}"
    return [template.format_map({field.root: value}) for value in column]


def fill(template: str, n: int, **fields: Any) -> list[str]:
    """``template.format(**row)`` for each of n rows, a field being a column (a list) or one value for every
    row; a field the template names and ``fields`` does not is an empty text."""
    pieces = flatten([(template, {name: name for name in fields})])
    return render(pieces, n, lambda name: fields[name] if isinstance(fields[name], list) else [fields[name]] * n)
