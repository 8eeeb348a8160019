"""What resources and data sources share: typed contexts, id checks before any request, and
reads that turn client errors into diagnostics (resource-only helpers: resources/_base.py)."""

from __future__ import annotations

from typing import Any, TypeVar

import attrs

from provider.client import SevallaError
from provider.client.kinds import Ref, id_problem
from provider.diagnostics import attribute_error, reported
from provider.formatting import shown
from provider.runtime import get_client

T = TypeVar("T")
Problem = tuple[str, str]  # (attribute path, message)


def typed(value: Any, cls: type[T]) -> T:
    """ctx.state/config/planned_state as the handler's attrs class (pyvider types them Any)."""
    if not isinstance(value, cls):
        raise TypeError(f"expected {cls.__name__}, got {type(value).__name__}")
    return value


def id_problems(config: Any) -> list[Problem]:
    """Configured ids that are not safe path segments: `id` and every `*_id` string attribute.

    Ids go into API paths, so `application_id = "a/b"` must fail at plan, on the attribute,
    rather than call another endpoint at apply. Unknown and null values are skipped."""
    if config is None or not attrs.has(type(config)):
        return []
    problems: list[Problem] = []
    for field in attrs.fields(type(config)):
        value = getattr(config, field.name)
        if (field.name == "id" or field.name.endswith("_id")) and isinstance(value, str):
            problem = id_problem(value)
            if problem:
                problems.append((field.name, f"{problem}; got {shown(value)}"))
    return problems


def raise_first_problem(problems: list[Problem]) -> None:
    """Report configuration problems as a diagnostic on the first offending attribute.

    pyvider turns plain validation strings into resource-level diagnostics; an error
    with an attribute path makes Terraform underline the attribute itself.
    """
    if not problems:
        return
    attribute, message = problems[0]
    others = "".join(f"; also {name}: {text}" for name, text in problems[1:])
    raise attribute_error(attribute, f"Invalid {attribute}", message + others)


async def read_object(action: str, ref: Ref, *, fresh: bool = False) -> dict[str, Any] | None:
    """The client's read (None: gone), its errors as diagnostics naming `action`."""
    with reported(action):
        return await get_client().read(ref, fresh=fresh)


class Gone(SevallaError):
    """An object a write or a wait needs is no longer there."""


async def read_existing(action: str, ref: Ref, *, fresh: bool = False) -> dict[str, Any]:
    """An object an apply is working on (after a write whose answer is not the whole object):
    gone is an error here, not a removal from the state."""
    with reported(action):
        found = await get_client().read(ref, fresh=fresh)
        if found is None:
            raise Gone(f"The {ref.kind.name} {ref.path} is no longer there.")
    return found
