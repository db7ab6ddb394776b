"""The data model: policies, targets, indicators and observations (pydantic v2).

These models define the files users edit (``targets/*.yaml``,
``data/indicators.yaml``); ``targets/schema.json`` and
``data/indicators.schema.json`` are generated from them (``python -m tracker schema``).
Unknown keys are rejected because in hand-written YAML they are nearly always typos.
"""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, WithJsonSchema
from pydantic_core import PydanticCustomError

from tracker.escape import is_http_url
from tracker.periods import PERIOD_FORMATS, PeriodError, parse_deadline, parse_period
from tracker.vocabulary import (  # noqa: F401  (re-exported: the model's words)
    COMPARATORS,
    DIRECTIONS,
    FREQUENCIES,
    JUDGED_KINDS,
    KINDS,
    MAX_ABS_VALUE,
    MEASURES,
    PERCENT,
    QUALIFIERS,
)

_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _fail(message: str) -> PydanticCustomError:
    return PydanticCustomError("tracker", message)


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    if value is None:
        return "nothing (an empty value)"
    return repr(value)


_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""Control characters other than a tab and line breaks: nothing a reader can see, and a NUL is what the pages'
markup uses to mark where a date goes (tracker.escape.html_with_whole)."""


def _text(value: Any) -> Any:
    if not isinstance(value, str):
        raise _fail(f"must be text; got {_describe(value)}")
    if not value.strip():
        raise _fail("must not be empty")
    control = _CONTROL_RE.search(value)
    if control:
        raise _fail(f"must not hold a control character; found U+{ord(control.group()):04X} at character "
                    f"{control.start() + 1}")  # fmt: skip
    return value.strip()


def _identifier(value: Any) -> Any:
    if not isinstance(value, str) or not _ID_RE.fullmatch(value):  # fullmatch: "$" would let "id\n" through
        raise _fail(
            "must be kebab-case: lower-case letters and digits joined by single hyphens "
            f"(e.g. 'cnc-rate-2027'); got {_describe(value)}"
        )
    return value


def _number(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _fail(f"must be a number such as 85 or 3.6e9; got {_describe(value)}")
    if not math.isfinite(value):
        raise _fail(f"must be a finite number; got {value}")
    if abs(value) > MAX_ABS_VALUE:
        raise _fail(
            f"must be at most {MAX_ABS_VALUE:g} in size, in the indicator's unit (China's GDP is about 1.4e14 yuan); "
            f"got {value:g}: check the number and the unit"
        )
    return float(value)


def _http_url(value: Any) -> Any:
    value = _text(value)
    if not is_http_url(value):
        raise _fail(f"must be a web address starting with http:// or https://; got '{value}'")
    return value


def _period_text(value: Any) -> Any:
    try:
        return parse_period(value).text
    except PeriodError as exc:
        raise _fail(str(exc)) from None


def _deadline(value: Any) -> Any:
    try:
        return parse_deadline(value)
    except PeriodError as exc:
        raise _fail(str(exc)) from None


def _choice(name: str, options: tuple[str, ...]):
    def check(value: Any) -> Any:
        if value not in options:
            raise _fail(f"{name} must be one of {', '.join(options)}; got {_describe(value)}")
        return value

    return check


def _tags(value: Any) -> Any:
    if not isinstance(value, list):
        raise _fail(f"must be a list of words, e.g. [manufacturing, digitalisation]; got {_describe(value)}")
    return value


Text = Annotated[str, BeforeValidator(_text), WithJsonSchema({"type": "string", "minLength": 1})]
Identifier = Annotated[
    str,
    BeforeValidator(_identifier),
    WithJsonSchema({"type": "string", "pattern": _ID_RE.pattern}),
]
Number = Annotated[float, BeforeValidator(_number), WithJsonSchema({"type": "number"})]
HttpUrl = Annotated[str, BeforeValidator(_http_url), WithJsonSchema({"type": "string", "pattern": "^https?://"})]
PeriodText = Annotated[
    str,
    BeforeValidator(_period_text),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer"},
                {"type": "string", "pattern": r"^\d{4}(-Q[1-4]|-\d{2}(-\d{2})?)?$"},
            ],
            "description": f"A period written as {PERIOD_FORMATS}.",
        }
    ),
]
Frequency = Annotated[
    str, BeforeValidator(_choice("frequency", FREQUENCIES)), WithJsonSchema({"enum": list(FREQUENCIES)})
]
Direction = Annotated[
    str, BeforeValidator(_choice("direction", DIRECTIONS)), WithJsonSchema({"enum": list(DIRECTIONS)})
]
Tags = Annotated[list[Text], BeforeValidator(_tags)]
Measure = Annotated[str, BeforeValidator(_choice("measure", MEASURES)), WithJsonSchema({"enum": list(MEASURES)})]
Kind = Annotated[str, BeforeValidator(_choice("kind", KINDS)), WithJsonSchema({"enum": list(KINDS)})]


def _optional(check):
    def maybe(value: Any) -> Any:
        return None if value is None else check(value)

    return maybe


def _mapping_or_none(value: Any) -> Any:
    if value is not None and not isinstance(value, dict):
        raise _fail(f"must be a mapping such as {{period: 2020, value: 52.1}}; got {_describe(value)}")
    return value


OptionalText = Annotated[
    str | None, BeforeValidator(_optional(_text)), WithJsonSchema({"type": "string", "minLength": 1})
]

_HAN_RE = re.compile(r"[\u3400-\u9fff]")


def _chinese(value: Any) -> Any:
    value = _text(value)
    if not _HAN_RE.search(value):
        raise _fail(f"must be in Chinese, as the Chinese version of the English key beside it; got '{value}'")
    return value


ChineseText = Annotated[
    str | None,
    BeforeValidator(_optional(_chinese)),
    WithJsonSchema({"type": "string", "minLength": 1, "pattern": "[\u3400-\u9fff]"}),
]
"""The Chinese version of an English text of the same file: optional; pages in Chinese show it, and show
the English one marked as such where it is missing."""
OptionalNumber = Annotated[float | None, BeforeValidator(_optional(_number)), WithJsonSchema({"type": "number"})]
OptionalIdentifier = Annotated[
    str | None, BeforeValidator(_optional(_identifier)), WithJsonSchema({"type": "string", "pattern": _ID_RE.pattern})
]
OptionalComparator = Annotated[
    str | None,
    BeforeValidator(_optional(_choice("comparator", COMPARATORS))),
    WithJsonSchema({"enum": list(COMPARATORS)}),
]
OptionalDeadline = Annotated[
    date | None,
    BeforeValidator(_optional(_deadline)),
    WithJsonSchema(
        {
            "anyOf": [{"type": "integer"}, {"type": "string", "pattern": r"^\d{4}(-\d{2}-\d{2})?$"}],
            "description": "A date (YYYY-MM-DD) or a bare year, meaning 31 December of that year.",
        }
    ),
]


def _method(value: Any) -> Any:
    # The registry of methods is the one list of names; read at validation time, when it is loaded.
    from tracker.assess.methods import METHODS as registry

    return _choice("method", tuple(registry))(value)


OptionalMethod = Annotated[
    str | None,
    BeforeValidator(_optional(_method)),
    WithJsonSchema({"type": "string", "description": "A method of the registry (tracker/assess/methods.py)."}),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Policy(_Strict):
    """A policy document that sets one or more targets."""

    id: Identifier = Field(description="Unique id of the policy document, kebab-case.")
    title: Text = Field(description="Title in English.")
    title_zh: OptionalText = Field(default=None, description="Title in Chinese, where there is one.")
    issuer: Text = Field(description="Body that issued the document, e.g. MIIT.")
    issuer_zh: ChineseText = Field(default=None, description="The issuing body in Chinese, e.g. 工业和信息化部.")
    issued: PeriodText = Field(
        description="When it was issued: YYYY-MM-DD, or YYYY-MM / YYYY where the day is not known."
    )
    url: HttpUrl = Field(description="Where the document (or a report of it) can be read.")
    summary: Text = Field(description="One or two sentences on what the document does.")
    summary_zh: ChineseText = Field(default=None, description="The summary in Chinese.")
    parent: OptionalIdentifier = Field(
        default=None, description="Id of the plan this document implements (e.g. a five-year plan), if any."
    )

    @property
    def issued_date(self) -> date:
        """The first day the document may have been issued (its period's start)."""
        return parse_period(self.issued).start


class Baseline(_Strict):
    """Where progress is measured from."""

    period: PeriodText = Field(description=f"Period of the base observation: {PERIOD_FORMATS}.")
    value: OptionalNumber = Field(
        default=None, description="Base value; when left out, the observation for the period is used."
    )


class Proxy(_Strict):
    """Another coverage accepted as a stand-in for the target's own, and why."""

    coverage: Identifier = Field(description="Id of the indicator's coverage read as a stand-in.")
    why: Text = Field(description="Why the stand-in is acceptable (shown next to the status).")
    why_zh: ChineseText = Field(default=None, description="The reason in Chinese.")


class Target(_Strict):
    """A number a document sets (or a level to watch): indicator, comparator, value, unit and deadline."""

    id: Identifier = Field(description="Unique across all target files, kebab-case.")
    title: Text = Field(description="Short English title.")
    title_zh: OptionalText = Field(default=None, description="Chinese title, where there is one.")
    kind: Kind = Field(
        description="commitment (the document sets the number), expectation (an official forecast), "
        "interpreted (the document gives words; the file gives the reading), reference (a level to watch)."
    )
    indicator: Identifier = Field(description="Id of an indicator in data/indicators.yaml.")
    coverage: OptionalIdentifier = Field(
        default=None,
        description="Id of the indicator's coverage the target is about; may be left out when it has only one.",
    )
    proxy: Annotated[Proxy | None, BeforeValidator(_mapping_or_none)] = Field(
        default=None, description="Another coverage accepted as a stand-in, with the reason."
    )
    comparator: OptionalComparator = Field(
        default=None,
        description="In the document's own language: 'more than 5' (超过) is '>', '5 or more' (5个以上) is '>='. "
        "Required except for a reference level.",
    )
    value: Number = Field(description="The target value, in the indicator's unit.")
    unit: Text = Field(description="Must equal the indicator's unit.")
    deadline: OptionalDeadline = Field(default=None, description="Required except for a reference level.")
    wording: OptionalText = Field(
        default=None, description="The document's own words, for an interpreted target (e.g. 一批)."
    )
    baseline: Annotated[Baseline | None, BeforeValidator(_mapping_or_none)] = None
    method: OptionalMethod = Field(default=None, description="Assessment method; chosen automatically when left out.")
    tags: Tags = Field(default_factory=list, description="Sector and theme words.")
    source: Text = Field(description="The clause of the policy this comes from, in your own words.")
    source_zh: ChineseText = Field(default=None, description="The clause in Chinese, in your own words.")
    interpretation: OptionalText = Field(
        default=None, description="How the document's words were read; required for an interpreted target."
    )
    interpretation_zh: ChineseText = Field(
        default=None, description="The interpretation in Chinese; needs the English one."
    )

    _policy_id: str = PrivateAttr(default="")

    @property
    def policy_id(self) -> str:
        # Read from the private values' dict: through the attribute (pydantic's __getattr__) it took 2.5 µs, 25 ms
        # of the build at 10,000 targets.
        return self.__pydantic_private__["_policy_id"]  # type: ignore[index]


class TargetFile(_Strict):
    """One file in targets/: a policy document and the targets it sets."""

    policy: Policy
    targets: list[Target] = Field(min_length=1)


class Coverage(_Strict):
    """What a figure counts: which firms, sectors or places. Part of what was measured."""

    id: Identifier
    name: Text = Field(description="Name in English.")
    name_zh: OptionalText = Field(default=None, description="Name in Chinese.")


def _coverages(value: Any) -> Any:
    if not isinstance(value, list) or not value:
        raise _fail(
            "must list at least one coverage, e.g. [{id: all-industrial-firms, name: All industrial firms}]; "
            f"got {_describe(value)}"
        )
    return value


class Indicator(_Strict):
    """A measured series that targets are compared against."""

    id: Identifier
    name: Text = Field(description="Name in English.")
    name_zh: OptionalText = Field(default=None, description="Name in Chinese.")
    unit: Text = Field(description="Canonical unit; observations are converted to it when loaded.")
    unit_aliases: list[Text] = Field(
        default_factory=list,
        description="Other words for the unit as sources publish it (e.g. 户 for connections).",
    )
    frequency: Frequency
    definition: Text = Field(description="What the series covers, in your own words.")
    definition_zh: ChineseText = Field(default=None, description="The definition in Chinese.")
    direction: Direction = Field(description="Whether higher or lower values are better.")
    measure: Measure = Field(
        description="rate or level (assessed by growth rate, cagr_ratio), count or cumulative total "
        "(assessed by absolute change, linear)."
    )
    limit: OptionalNumber = Field(default=None, description="Natural ceiling, e.g. 100 for a percentage.")
    coverages: Annotated[list[Coverage], BeforeValidator(_coverages)] = Field(
        description="What the figures may count (which firms, sectors, places); every observation names one."
    )

    def coverage(self, coverage_id: str | None) -> Coverage | None:
        """The coverage with this id; with None, the only one (None when there are several)."""
        if coverage_id is None:
            return self.coverages[0] if len(self.coverages) == 1 else None
        return next((c for c in self.coverages if c.id == coverage_id), None)


class IndicatorFile(_Strict):
    """data/indicators.yaml."""

    indicators: list[Indicator] = Field(min_length=1)
