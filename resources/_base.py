"""What every Sevalla resource shares: API-value conversion, change detection, import ids."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any, TypeVar

import attrs
from pyvider.cty import CtyNumber, CtyString, CtyValue
from pyvider.resources import BaseResource, ResourceContext
from pyvider.schema import PvsAttribute, a_obj, a_str

from provider.client import NotFoundError, SevallaError
from provider.diagnostics import attribute_error, to_terraform_error
from provider.runtime import get_client
from provider.settings import parse_duration

T = TypeVar("T")


def typed(value: Any, cls: type[T]) -> T:
    """ctx.state/config/planned_state as the resource's attrs class (pyvider types them Any)."""
    if not isinstance(value, cls):
        raise TypeError(f"expected {cls.__name__}, got {type(value).__name__}")
    return value


def json_ready(value: Any) -> Any:
    """Terraform numbers arrive as Decimal; the API wants JSON ints and floats."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {key: json_ready(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(item) for item in value]
    if attrs.has(type(value)):
        return json_ready(attrs.asdict(value))
    return value


def _comparable(value: Any) -> Any:
    return json_ready(value)


def plan_changes(base_plan: dict[str, Any], state: Any, names: list[str] | tuple[str, ...]) -> list[str]:
    """Names whose planned value differs from the prior state (unknown counts as a change)."""
    changed = []
    for name in names:
        planned = base_plan.get(name)
        if isinstance(planned, CtyValue):
            if planned.is_unknown:
                changed.append(name)
                continue
            planned = None if planned.is_null else planned.value
        if _comparable(planned) != _comparable(getattr(state, name, None)):
            changed.append(name)
    return changed


def unknown_string() -> CtyValue:
    """A planned "(known after apply)" string, e.g. updated_at on an update."""
    return CtyValue.unknown(CtyString())


def unknown_number() -> CtyValue:
    return CtyValue.unknown(CtyNumber())


def null_string() -> CtyValue:
    """A planned null that pyvider must not replace with the prior value."""
    return CtyValue.null(CtyString())


def split_import_id(import_id: str, labels: tuple[str, ...]) -> tuple[str, ...]:
    """Split "<a>/<b>" import ids, with the official provider's error text."""
    parts = tuple(import_id.split("/"))
    if len(parts) != len(labels) or not all(parts):
        expected = "/".join(f"<{label}>" for label in labels)
        raise attribute_error("id", f"Expected import ID in format '{expected}', got: {import_id}")
    return parts


def pick(body: dict[str, Any], names: tuple[str, ...] | list[str]) -> dict[str, Any]:
    return {name: body.get(name) for name in names}


Problem = tuple[str, str]  # (attribute name, message)


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


class SevallaResource(BaseResource):  # type: ignore[type-arg]
    """Base for this provider's resources."""

    def check(self, config: Any) -> list[Problem]:
        """Override: problems in a (wholly known) configuration."""
        return []

    async def _validate_config(self, config: Any) -> list[str]:
        raise_first_problem(self.check(config))
        return []


async def get_or_none(action: str, path: str) -> Any:
    """GET an object; None when the API says 404 (gone: Terraform drops it from state)."""
    try:
        return await get_client().get(path)
    except NotFoundError:
        return None
    except SevallaError as exc:
        raise to_terraform_error(action, exc) from exc


async def delete_if_present(action: str, path: str) -> None:
    """DELETE an object; one that is already gone counts as deleted."""
    try:
        await get_client().delete(path)
    except NotFoundError:
        return
    except SevallaError as exc:
        raise to_terraform_error(action, exc) from exc


def one_of(attribute: str, value: str | None, allowed: tuple[str, ...]) -> list[Problem]:
    if value is None or value in allowed:
        return []
    return [(attribute, f"must be one of {', '.join(allowed)}; got {value!r}")]


# --- timeouts = { create, update, delete } -----------------------------------------------------

TIMEOUT_OPERATIONS = ("create", "update", "delete")


def timeouts_attribute(defaults: dict[str, str]) -> PvsAttribute:
    described = ", ".join(f"{op} {defaults[op]}" for op in TIMEOUT_OPERATIONS if op in defaults)
    return a_obj(
        {op: a_str(optional=True) for op in TIMEOUT_OPERATIONS},
        optional=True,
        description=f'How long operations may wait, Go duration syntax ("10m"). Defaults: {described}.',
    )


def check_timeouts(timeouts: dict[str, Any] | None) -> list[Problem]:
    problems: list[Problem] = []
    for op, text in (timeouts or {}).items():
        if text is None:
            continue
        try:
            parse_duration(str(text))
        except ValueError as exc:
            problems.append((f"timeouts.{op}", str(exc)))
    return problems


def timeout_seconds(timeouts: dict[str, Any] | None, operation: str, defaults: dict[str, str]) -> float:
    text = (timeouts or {}).get(operation) or defaults[operation]
    return parse_duration(str(text))


class WaitTimeout(SevallaError):
    pass


async def wait_for_status(
    path: str,
    wanted: tuple[str, ...],
    *,
    within: float,
    action: str,
    interval: float = 2.0,
) -> dict[str, Any]:
    """Poll GET `path` until its status is one of `wanted`; honours the timeout and Terraform's stop."""
    from pyvider.common.stop_signal import is_stop_requested

    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    body: dict[str, Any] = {}
    while True:
        try:
            body = await get_client().get(path)
        except SevallaError as exc:
            raise to_terraform_error(action, exc) from exc
        status = body.get("status")
        if status in wanted:
            return body
        remaining = deadline - loop.time()
        if remaining <= 0 or is_stop_requested():
            reason = (
                "Terraform asked the provider to stop"
                if is_stop_requested()
                else (f"the timeout of {within:g}s passed")
            )
            raise to_terraform_error(
                action,
                WaitTimeout(
                    f"{path} is still {status!r} (waiting for {' or '.join(wanted)}): {reason}. "
                    "Raise it with timeouts = { ... } on the resource."
                ),
            )
        await asyncio.sleep(min(interval, remaining))


def replace_when_changed(
    ctx: ResourceContext, base_plan: dict[str, Any], names: tuple[str, ...], *, imported: bool
) -> None:
    """Write-once attributes the API never returns: a change forces replacement, except
    right after an import, when state has no value yet and the configuration's is adopted.

    (A schema-level requires_replace would replace every imported object on its first plan.)
    """
    if imported:
        return
    for name in plan_changes(base_plan, ctx.state, names):
        ctx.require_replace(name)
