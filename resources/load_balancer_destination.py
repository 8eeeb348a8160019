"""sevalla_load_balancer_destination: where a load balancer sends traffic (an application, static
site, bucket, another load balancer, or an external URL).

The API has no GET and no update for a single destination: a read lists the load balancer's
destinations (all pages) and picks this one (a 404 on the load balancer means it is gone too);
create = POST. `weight`, `url`, `latitude` and `longitude` are optional + computed as in the
official provider; since the API cannot change them, a configured change replaces the
destination (forced in the plan, so it shows as "must be replaced"). `is_enabled` is computed
(the API's toggle is not exposed, as in the official provider).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs
from pyvider.resources import ResourceContext, register_resource
from pyvider.schema import PvsSchema, a_bool, a_num, a_str, s_resource

from provider.client.kinds import LOAD_BALANCER_DESTINATION
from provider.diagnostics import reported
from provider.handlers import read_existing, read_object
from provider.runtime import get_client
from resources._base import (
    Problem,
    SevallaResource,
    json_ready,
    one_of,
    parent_id_attribute,
    plan_changes,
    split_import_id,
    timestamp_attributes,
    typed,
)
from resources._checks import http_url, number_between, whole_number

SERVICE_TYPES = ("APP", "STATIC_SITE", "OBJECT_STORAGE", "EXTERNAL", "LOAD_BALANCER")
SETTINGS = ("weight", "url", "latitude", "longitude")
RANGES = {"weight": (0, 100), "latitude": (-90, 90), "longitude": (-180, 180)}


@attrs.define(frozen=True)
class DestinationConfig:
    load_balancer_id: str
    service_type: str
    service_id: str | None = None
    weight: int | None = None
    url: str | None = None
    latitude: Decimal | float | None = None
    longitude: Decimal | float | None = None


@attrs.define(frozen=True)
class DestinationState(DestinationConfig):
    id: str | None = None
    is_enabled: bool | None = None
    created_at: str | None = None
    updated_at: str | None = None


def _coordinate(value: Any, known: Any) -> Any:
    """The API's JSON float, or the value Terraform already has (configuration or state) when
    it is the same number: a float such as 48.85 is not exactly the decimal 48.85 Terraform
    holds, and a read must not turn one into the other."""
    if value is None:
        return None
    if known is not None and float(known) == float(value):
        return known
    return Decimal(str(value))


def state_from_api(load_balancer_id: str, body: dict[str, Any], kept: Any = None) -> DestinationState:
    """`kept`: the configuration or prior state (None on import), for the coordinates' exact form."""
    weight = body.get("weight")
    return DestinationState(
        load_balancer_id=load_balancer_id,
        id=body.get("id"),
        service_type=body.get("service_type", ""),
        service_id=body.get("service_id"),
        weight=None if weight is None else int(weight),
        url=body.get("url"),
        latitude=_coordinate(body.get("latitude"), getattr(kept, "latitude", None)),
        longitude=_coordinate(body.get("longitude"), getattr(kept, "longitude", None)),
        is_enabled=body.get("is_enabled"),
        created_at=body.get("created_at"),
        updated_at=body.get("updated_at"),
    )


@register_resource("sevalla_load_balancer_destination")
class LoadBalancerDestination(SevallaResource):
    import_parent = "load_balancer_id"
    config_class = DestinationConfig
    state_class = DestinationState
    noun = "load balancer destination"

    @classmethod
    def get_schema(cls) -> PvsSchema:
        oc = {"optional": True, "computed": True}
        return s_resource(
            attributes={
                "id": a_str(computed=True, description="Destination ID."),
                "load_balancer_id": parent_id_attribute("Load balancer the destination belongs to."),
                "service_type": a_str(
                    required=True,
                    requires_replace=True,
                    description=f"Kind of destination: {', '.join(SERVICE_TYPES)}.",
                ),
                "service_id": a_str(
                    **oc,
                    requires_replace=True,
                    description="ID of the application, static site, bucket or load balancer (not for EXTERNAL).",
                ),
                "weight": a_num(
                    **oc, description="Share of traffic (0-100, API default 1). Changing it replaces."
                ),
                "url": a_str(**oc, description="URL of an EXTERNAL destination. Changing it replaces."),
                "latitude": a_num(
                    **oc, description="Latitude for GEO routing (-90..90). Changing it replaces."
                ),
                "longitude": a_num(
                    **oc, description="Longitude for GEO routing (-180..180). Changing it replaces."
                ),
                "is_enabled": a_bool(
                    computed=True, description="Whether traffic is sent to the destination."
                ),
                **timestamp_attributes(),
            }
        )

    def check(self, config: DestinationConfig) -> list[Problem]:
        problems = one_of("service_type", config.service_type, SERVICE_TYPES)
        if config.service_type == "EXTERNAL":
            if config.url is None:
                problems.append(("url", "is required when service_type is EXTERNAL"))
            if config.service_id is not None:
                problems.append(("service_id", "must not be set when service_type is EXTERNAL"))
        elif config.service_type in SERVICE_TYPES and config.service_id is None:
            problems.append(("service_id", f"is required when service_type is {config.service_type}"))
        problems += whole_number("weight", config.weight)
        for name, (low, high) in RANGES.items():
            problems += number_between(name, getattr(config, name), low, high)
        return problems + http_url("url", config.url)

    async def find(
        self, load_balancer_id: str, destination_id: str, action: str, kept: Any
    ) -> DestinationState | None:
        ref = LOAD_BALANCER_DESTINATION.ref(load_balancer_id, destination_id)
        found = await read_object(f"{action} {self.noun}", ref)
        return None if found is None else state_from_api(load_balancer_id, found, kept)

    async def _update(self, ctx: ResourceContext, base_plan: dict[str, Any]) -> tuple[dict[str, Any], None]:
        for name in plan_changes(base_plan, ctx.state, SETTINGS):
            ctx.require_replace(name)
        return base_plan, None

    async def _create_apply(self, ctx: ResourceContext) -> tuple[DestinationState, None]:
        config = typed(ctx.config, DestinationConfig)
        body = {
            name: json_ready(getattr(config, name))
            for name in ("service_type", "service_id", *SETTINGS)
            if getattr(config, name) is not None
        }
        with reported(f"create {self.noun}"):
            created = await get_client().create(
                LOAD_BALANCER_DESTINATION.collection(config.load_balancer_id), body
            )
        # The planned values, not the configuration's: pyvider plans numbers through a float.
        return state_from_api(config.load_balancer_id, created, ctx.planned_state), None

    async def _update_apply(self, ctx: ResourceContext) -> tuple[DestinationState, None]:
        # Every configurable change replaces; nothing to send. Re-read what the API has.
        planned = typed(ctx.planned_state, DestinationState)
        ref = LOAD_BALANCER_DESTINATION.ref(planned.load_balancer_id, str(planned.id))
        found = await read_existing(f"update {self.noun}", ref)
        return state_from_api(planned.load_balancer_id, found, planned), None

    async def read(self, ctx: ResourceContext) -> DestinationState | None:
        prior = typed(ctx.state, DestinationState)
        return await self.find(prior.load_balancer_id, str(prior.id), "read", prior)

    async def _delete_apply(self, ctx: ResourceContext) -> None:
        prior = typed(ctx.state, DestinationState)
        with reported(f"delete {self.noun}"):
            await get_client().delete(LOAD_BALANCER_DESTINATION.ref(prior.load_balancer_id, str(prior.id)))

    async def import_state(self, ctx: ResourceContext, import_id: str) -> DestinationState | None:
        load_balancer_id, destination_id = split_import_id(import_id, ("load_balancer_id", "destination_id"))
        return await self.find(load_balancer_id, destination_id, "import", None)
