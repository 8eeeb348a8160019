"""Declarative request-body validation that produces the API's 422 field messages.

A `Field` describes one JSON value; `validate()` checks a body against a dict of fields and returns
the accepted values, or raises one 422 listing every problem. Unknown top-level keys are ignored
(the real API tolerates extra fields); nested objects with declared fields reject unknown keys, so
a client sending snake_case where the API wants camelCase finds out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from emulator.errors import invalid

# A custom check returns a problem ("must be ...") or None.
Check = Callable[[Any], str | None]

_MISSING = object()


@attrs.frozen
class Field:
    type: str  # "string" | "boolean" | "integer" | "array" | "object"
    required: bool = False
    nullable: bool = False
    default: Any = None  # applied on create when the field is absent (None: stored as null)
    min_len: int | None = None
    max_len: int | None = None
    pattern: str | None = None
    choices: tuple[str, ...] | None = None
    min_value: int | None = None
    max_value: int | None = None
    item: Field | None = None  # arrays: the item's description
    fields: Mapping[str, Field] | None = None  # objects: declared keys (others rejected)
    check: Check | None = None


def string(
    *,
    required: bool = False,
    nullable: bool = False,
    default: Any = None,
    min_len: int | None = None,
    max_len: int | None = None,
    pattern: str | None = None,
    choices: tuple[str, ...] | None = None,
    check: Check | None = None,
) -> Field:
    return Field(
        "string",
        required=required,
        nullable=nullable,
        default=default,
        min_len=min_len,
        max_len=max_len,
        pattern=pattern,
        choices=choices,
        check=check,
    )


def boolean(*, required: bool = False, default: Any = None) -> Field:
    return Field("boolean", required=required, default=default)


def integer(
    *,
    required: bool = False,
    nullable: bool = False,
    default: Any = None,
    min_value: int | None = None,
    max_value: int | None = None,
) -> Field:
    return Field(
        "integer",
        required=required,
        nullable=nullable,
        default=default,
        min_value=min_value,
        max_value=max_value,
    )


def number(
    *, nullable: bool = False, default: Any = None, min_value: int | None = None, max_value: int | None = None
) -> Field:
    """A JSON number (integer or fraction), e.g. a latitude."""
    return Field("number", nullable=nullable, default=default, min_value=min_value, max_value=max_value)


def array(
    item: Field | None = None, *, required: bool = False, min_len: int | None = None, default: Any = None
) -> Field:
    return Field("array", required=required, item=item, min_len=min_len, default=default)


def obj(
    fields: Mapping[str, Field] | None = None,
    *,
    required: bool = False,
    nullable: bool = False,
    default: Any = None,
    check: Check | None = None,
) -> Field:
    return Field("object", required=required, nullable=nullable, default=default, fields=fields, check=check)


def validate(body: Mapping[str, Any], fields: Mapping[str, Field], *, partial: bool) -> dict[str, Any]:
    """Accepted values of `body`. On create (`partial=False`) absent fields get their defaults;
    on update only the fields present are returned, and nothing is required."""
    problems: dict[str, list[str]] = {}
    accepted: dict[str, Any] = {}
    for name, field in fields.items():
        value = body.get(name, _MISSING)
        if value is _MISSING:
            if partial:
                continue
            if field.required:
                problems.setdefault(name, []).append("is required")
                continue
            accepted[name] = _copy(field.default)
            continue
        _check_value(name, value, field, problems, required_here=field.required)
        accepted[name] = value
    if problems:
        raise invalid(problems)
    return accepted


def _copy(value: Any) -> Any:
    """Defaults such as [] must not be shared between objects."""
    if isinstance(value, list):
        return list(value)
    if isinstance(value, dict):
        return dict(value)
    return value


def _check_value(
    name: str, value: Any, field: Field, problems: dict[str, list[str]], *, required_here: bool
) -> None:
    def fail(problem: str) -> None:
        problems.setdefault(name, []).append(problem)

    if value is None:
        if required_here:
            fail("is required")
        elif not field.nullable:
            fail(f"must be {_a(field.type)}")
        return
    if not _has_type(value, field.type):
        fail(f"must be {_a(field.type)}")
        return
    if field.type == "string":
        _check_string(value, field, fail)
    elif field.type in ("integer", "number"):
        if field.min_value is not None and value < field.min_value:
            fail(f"must be at least {field.min_value}")
        if field.max_value is not None and value > field.max_value:
            fail(f"must be at most {field.max_value}")
    elif field.type == "array":
        if field.min_len is not None and len(value) < field.min_len:
            fail(f"must have at least {field.min_len} item(s)")
        if field.item is not None:
            for index, item in enumerate(value):
                _check_value(f"{name}[{index}]", item, field.item, problems, required_here=True)
    elif field.type == "object" and field.fields is not None:
        for key in value:
            if key not in field.fields:
                problems.setdefault(f"{name}.{key}", []).append("is not a known field")
        for key, sub in field.fields.items():
            if key in value:
                _check_value(f"{name}.{key}", value[key], sub, problems, required_here=sub.required)
            elif sub.required:
                problems.setdefault(f"{name}.{key}", []).append("is required")
    if field.check is not None and name not in problems:
        problem = field.check(value)
        if problem is not None:
            fail(problem)


def _check_string(value: str, field: Field, fail: Callable[[str], None]) -> None:
    if field.choices is not None and value not in field.choices:
        fail("must be one of: " + ", ".join(field.choices))
        return
    low, high = field.min_len, field.max_len
    if low is not None and high is not None and not low <= len(value) <= high:
        fail(f"must be between {low} and {high} characters")
    elif low is not None and len(value) < low:
        fail(f"must be at least {low} characters")
    elif high is not None and len(value) > high:
        fail(f"must be at most {high} characters")
    elif field.pattern is not None and re.fullmatch(field.pattern, value) is None:
        fail(f"must match {field.pattern}")


def _has_type(value: Any, type_name: str) -> bool:
    if type_name == "string":
        return isinstance(value, str)
    if type_name == "boolean":
        return isinstance(value, bool)
    if type_name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if type_name == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if type_name == "array":
        return isinstance(value, list)
    if type_name == "object":
        return isinstance(value, dict)
    raise ValueError(f"unknown field type {type_name}")


def _a(type_name: str) -> str:
    return {"integer": "an integer", "array": "an array", "object": "an object"}.get(
        type_name, f"a {type_name}"
    )
