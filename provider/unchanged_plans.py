"""The plan of an unchanged resource, answered from Terraform's own bytes (issue 15).

In a plan that changes nothing -- most resources of a big configuration, on most runs -- Terraform
proposes for every resource exactly its prior state. pyvider's PlanResourceChange still decodes
the configuration, the prior and the proposed state, marks the configuration, builds the resource
context, runs the plan hook, then validates and encodes what it returned: about 0.9 ms a resource,
the largest per-resource cost left once the other speed patches are in. For a resource whose plan
of an unchanged object is that object, the answer is known from the request: the proposed state
as it came, the private state carried forward, the identity of the prior state.

`unchanged_plan(request, resource_class)` gives that answer when all of these hold, and None
otherwise (pyvider then plans as always):

- the proposed state is the prior state, byte for byte, and not null (no create, no destroy);
- the resource class says so: `plans_unchanged_as_proposed(config, prior)` (a classmethod; a class
  without one is always planned by pyvider), given both as plain values decoded from msgpack,
  the schema's defaults resolved into the configuration;
- no configured default differs from the prior state (pyvider's plan would set it);
- nothing in the configuration is unknown;
- the schema has no nested blocks (defaults inside them are not resolved here), the class keeps
  no private state and derives its identity with pyvider's own `BaseResource.get_identity`.

Terraform validates the same configuration (ValidateResourceConfig) just before it plans, so the
checks pyvider's plan would repeat have run. `tests/provider/test_unchanged_plans.py` checks the
answer against pyvider's own plan for every resource type.
"""

from __future__ import annotations

import functools
from types import SimpleNamespace
from typing import Any

import msgpack
from pyvider.conversion import marshal_identity
from pyvider.resources.base import BaseResource

NULL = b"\xc0"  # msgpack nil: a null object (a create's prior state, a destroy's proposed one)
HOOK = "plans_unchanged_as_proposed"


class _Unknown(Exception):
    """An unknown value (msgpack extension) where only known values can be."""


def _refuse_unknown(code: int, data: bytes) -> Any:
    raise _Unknown


def _plain(data: bytes) -> dict[str, Any] | None:
    """An object's attribute values from cty msgpack, or None (unknowns, not an object)."""
    try:
        values = msgpack.unpackb(data, raw=False, ext_hook=_refuse_unknown, strict_map_key=False)
    except (_Unknown, ValueError, msgpack.ExtraData):
        return None
    return values if isinstance(values, dict) else None


def _with_defaults(config: dict[str, Any], prior: dict[str, Any], block: Any) -> dict[str, Any] | None:
    """The configuration with its schema defaults, or None when one would change the prior value."""
    resolved = dict(config)
    for name, attribute in block.attributes.items():
        default = attribute.default
        if default is None or config.get(name) is not None:
            continue
        if type(default) not in (str, bool) or prior.get(name) != default:
            return None
        resolved[name] = default
    return resolved


def _identity(resource_class: Any, prior: dict[str, Any]) -> Any:
    """The planned identity pyvider would derive from this state (None: none is sent)."""
    schema = resource_class.get_identity_schema()
    if schema is None:
        return None
    values = resource_class.get_identity(SimpleNamespace(**prior))
    return None if values is None else marshal_identity(values, schema)


@functools.cache
def plans_from_bytes(resource_class: Any) -> bool:
    """Whether this class's unchanged plans may be answered here at all."""
    return (
        callable(getattr(resource_class, HOOK, None))
        and not getattr(resource_class, "private_state_class", None)
        and not getattr(resource_class, "_is_test_only", False)
        and getattr(resource_class.get_identity, "__func__", None)
        is vars(BaseResource)["get_identity"].__func__
        and not resource_class.get_schema().block.block_types
    )


def unchanged_plan(request: Any, resource_class: Any, response_class: type[Any]) -> Any:
    """The PlanResourceChange response for an unchanged resource, or None: pyvider's to plan."""
    proposed = request.proposed_new_state.msgpack
    if not proposed or proposed == NULL or proposed != request.prior_state.msgpack:
        return None
    if resource_class is None or not plans_from_bytes(resource_class):
        return None
    prior = _plain(proposed)
    config = _plain(request.config.msgpack)
    if prior is None or config is None:
        return None
    config = _with_defaults(config, prior, resource_class.get_schema().block)
    if config is None or not getattr(resource_class, HOOK)(config, prior):
        return None
    identity = _identity(resource_class, prior)
    response = response_class()
    response.planned_state.msgpack = proposed
    if request.prior_private:
        response.planned_private = request.prior_private
    if identity is not None:
        response.planned_identity.CopyFrom(identity)
    return response
