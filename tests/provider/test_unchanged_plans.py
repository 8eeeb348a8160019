"""The plan of an unchanged resource answered from the request (provider/unchanged_plans.py) is
the plan pyvider makes, for every resource type of this provider: for configurations and states
Terraform would send (optional values set or left to the state, nulls, defaults), wherever the
answer is given it has pyvider's planned state, identity and private state, and pyvider plans
no replacement and reports nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
import pyvider.protocols.tfprotov6.protobuf as pb
from pyvider.conversion import unmarshal
from pyvider.cty import CtyValue
from pyvider.cty.codec import cty_to_msgpack
from pyvider.protocols.tfprotov6.handlers import plan_resource_change

from provider import unchanged_plans
from provider.pyvider_patches import ORIGINAL
from resources import RESOURCES
from resources.application import Application
from tests.provider.test_cty_conversion import sample

Request = pb.PlanResourceChange.Request
Response = pb.PlanResourceChange.Response
PYVIDER_PLAN = getattr(
    plan_resource_change._plan_resource_change_impl,
    ORIGINAL,
    plan_resource_change._plan_resource_change_impl,
)


# Values the resources' checks accept, by attribute name (a nested one too), then by type.
VALID: dict[str, Any] = {
    "expires_at": "2030-01-31T00:00:00Z",
    "permission": "app:read",
    "source": "publicGit",
    "git_type": "github",
    "build_type": "dockerfile",
    "pack_builder": None,
    "nixpacks_version": None,
    "create": "5m",
    "update": "5m",
    "delete": "5m",
    "name": "app.example.com",
    "ip_list": ["10.0.0.0/8"],
    "target_type": "app",
    "service_type": "EXTERNAL",
    "url": "https://example.com",
    "endpoint": "https://example.com/hook",
    "allowed_methods": ["GET"],
    "allowed_origins": ["*"],
    "location": "enam",
    "jurisdiction": "default",
    "schedule": "0 * * * *",
    "job_start_policy": "beforeDeployment",
    "ingress_protocol": "http",
    "scaling_strategy": lambda value: {
        **dict.fromkeys(value),
        "type": "manual",
        "instance_count": Decimal(1),
    },
    "is_primary": True,
    **{
        f"{probe}.{way}": None
        for probe in ("liveness_probe", "readiness_probe")
        for way in ("exec", "http_get")
    },
}
VALID_BY_TYPE: dict[str, dict[str, Any]] = {
    "sevalla_application_ip_restriction": {"type": "allow"},
    "sevalla_database_ip_restriction": {"type": "allow"},
    "sevalla_application_process": {"type": "web"},
    "sevalla_database": {"type": "postgresql"},
    "sevalla_pipeline": {"type": "trunk"},
    "sevalla_load_balancer": {"type": "DEFAULT"},
    "sevalla_webhook": {"allowed_events": ["app.created"]},
    "sevalla_load_balancer_destination": {"service_id": None, "url": "https://example.com"},
}


def valid(values: Any, overrides: dict[str, Any], path: str = "") -> Any:
    """`values` with the accepted ones put in by path or name (or made from the value by a
    function), numbers whole, all the way down."""
    if isinstance(values, dict):
        accepted = {}
        for name, value in values.items():
            here = f"{path}{name}"
            key = here if here in overrides else name
            if key not in overrides or value is None:
                accepted[name] = valid(value, overrides, f"{here}.")
            else:
                override = overrides[key]
                accepted[name] = override(value) if callable(override) else override
        return accepted
    if isinstance(values, list):
        return [valid(item, overrides, path) for item in values]
    if isinstance(values, Decimal):
        return Decimal(1) if values != values.to_integral_value() else values
    return values


def with_write_only(state: dict[str, Any], block: Any) -> dict[str, Any]:
    """A secret given write-only (its version set) is null in the state, as is its plain twin."""
    state = dict(state)
    for name, attribute in block.attributes.items():
        if attribute.write_only:
            state[name] = None
            if state.get(f"{name}_version") is not None:
                state[name.removesuffix("_wo")] = None
    return state


def states_of(resource: Any) -> list[dict[str, Any]]:
    """Plain prior states: every attribute set (three variants), optional ones null, and each
    schema default held."""
    block = resource.get_schema().block
    cty_type = block.to_cty_type()
    overrides = {**VALID, **VALID_BY_TYPE.get(resource._registered_name, {})}
    full = [valid(sample(cty_type, variant), overrides) for variant in range(3)]
    optional_null = {
        name: None if block.attributes[name].optional and not block.attributes[name].required else value
        for name, value in full[0].items()
    }
    defaults = {
        **full[1],
        **{name: a.default for name, a in block.attributes.items() if a.default is not None},
    }
    return [with_write_only(state, block) for state in (*full, optional_null, defaults)]


def configs_of(resource: Any, state: dict[str, Any]) -> list[dict[str, Any]]:
    """Configurations whose proposal is `state` unchanged: computed-only attributes null, each
    optional+computed one either as in the state or left null (the state's value carried), a
    write-only one given where its version is."""
    block = resource.get_schema().block
    kept, left = {}, {}
    for name, attribute in block.attributes.items():
        computed_only = attribute.computed and not attribute.optional and not attribute.required
        value = None if computed_only else state[name]
        if attribute.write_only:
            value = "secret" if state.get(f"{name}_version") is not None else None
        kept[name] = value
        left[name] = None if attribute.computed else value
    return [kept, left]


def request_of(resource: Any, config: dict[str, Any], state: dict[str, Any]) -> Any:
    cty_type = resource.get_schema().block.to_cty_type()
    prior = cty_to_msgpack(cty_type.validate(state), cty_type)
    return Request(
        type_name=resource._registered_name,
        config=pb.DynamicValue(msgpack=cty_to_msgpack(cty_type.validate(config), cty_type)),
        prior_state=pb.DynamicValue(msgpack=prior),
        proposed_new_state=pb.DynamicValue(msgpack=prior),
        prior_private=b"kept-as-it-came",
    )


def decoded(resource: Any, value: Any) -> CtyValue:
    return unmarshal(value, schema=resource.get_schema().block)


def identity_of(response: Any) -> bytes:
    return bytes(response.planned_identity.identity_data.msgpack)


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda r: r._registered_name)
async def test_an_unchanged_plan_is_pyvider_s_plan(resource: Any, provider_registered: None) -> None:
    answered = planned_by_pyvider = 0
    for state in states_of(resource):
        for config in configs_of(resource, state):
            request = request_of(resource, config, state)
            expected = await PYVIDER_PLAN(request, None)
            ours = unchanged_plans.unchanged_plan(request, resource, Response)
            if any(d.severity == pb.Diagnostic.ERROR for d in expected.diagnostics):
                continue  # a configuration ValidateResourceConfig refuses before any plan
            planned_by_pyvider += 1
            if ours is None:
                continue
            answered += 1
            assert decoded(resource, ours.planned_state) == decoded(resource, expected.planned_state)
            assert identity_of(ours) == identity_of(expected)
            assert ours.planned_private == expected.planned_private == b"kept-as-it-came"
            assert list(expected.requires_replace) == []
            assert list(expected.diagnostics) == []
    assert planned_by_pyvider > 0, "no configuration pyvider plans: the comparison checks nothing"
    assert answered > 0, "never answered from the request"


async def test_a_changed_configuration_is_pyvider_s_to_plan(provider_registered: None) -> None:
    resource = Application
    state = states_of(resource)[0]
    request = request_of(resource, configs_of(resource, state)[0], state)
    assert unchanged_plans.unchanged_plan(request, resource, Response) is not None
    changed = Request()
    changed.CopyFrom(request)
    changed.proposed_new_state.msgpack = request_of(
        resource, {**state, "display_name": "renamed"}, {**state, "display_name": "renamed"}
    ).prior_state.msgpack
    assert unchanged_plans.unchanged_plan(changed, resource, Response) is None


async def test_a_create_and_a_destroy_are_pyvider_s_to_plan(provider_registered: None) -> None:
    resource = Application
    state = states_of(resource)[0]
    request = request_of(resource, configs_of(resource, state)[0], state)
    for prior, proposed in ((b"\xc0", request.proposed_new_state.msgpack), (b"\xc0", b"\xc0"), (b"", b"")):
        other = Request()
        other.CopyFrom(request)
        other.prior_state.msgpack, other.proposed_new_state.msgpack = prior, proposed
        assert unchanged_plans.unchanged_plan(other, resource, Response) is None


async def test_an_unknown_in_the_configuration_is_pyvider_s_to_plan(provider_registered: None) -> None:
    resource = Application
    state = states_of(resource)[0]
    config = configs_of(resource, state)[0]
    cty_type = resource.get_schema().block.to_cty_type()
    request = request_of(resource, config, state)
    request.config.msgpack = cty_to_msgpack(
        cty_type.validate(
            {**config, "display_name": CtyValue.unknown(cty_type.attribute_types["display_name"])}
        ),
        cty_type,
    )
    assert unchanged_plans.unchanged_plan(request, resource, Response) is None


async def test_a_default_the_state_does_not_hold_is_pyvider_s_to_plan(provider_registered: None) -> None:
    """build_type defaults to dockerfile: left out of a configuration whose application builds
    with nixpacks, the plan changes it back."""
    resource = Application
    state = {**states_of(resource)[0], "build_type": "nixpacks"}
    config = {**configs_of(resource, state)[0], "build_type": None}
    request = request_of(resource, config, state)
    assert unchanged_plans.unchanged_plan(request, resource, Response) is None
    expected = await PYVIDER_PLAN(request, None)
    assert decoded(resource, expected.planned_state).value["build_type"].value == "dockerfile"


async def test_a_build_field_of_another_build_type_is_pyvider_s_to_plan(provider_registered: None) -> None:
    resource = Application
    state = {**states_of(resource)[0], "build_type": "nixpacks", "dockerfile_path": "Dockerfile"}
    config = {**configs_of(resource, state)[0], "dockerfile_path": None, "docker_context": None}
    assert not Application.plans_unchanged_as_proposed(config, state)
    request = request_of(resource, config, state)
    assert unchanged_plans.unchanged_plan(request, resource, Response) is None
    expected = await PYVIDER_PLAN(request, None)
    assert decoded(resource, expected.planned_state).value["dockerfile_path"].is_null


def test_only_classes_that_say_so_are_answered_from_the_request() -> None:
    class Quiet:
        pass

    assert not unchanged_plans.plans_from_bytes(Quiet)
    assert all(unchanged_plans.plans_from_bytes(resource) for resource in RESOURCES)
