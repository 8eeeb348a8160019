"""sevalla_load_balancer_destination: where a load balancer sends traffic (an application, static
site, bucket, another load balancer, or an external URL).

The API has no GET and no update for a single destination: a read lists the load balancer's
destinations (all pages) and picks this one (a 404 on the load balancer means it is gone too);
create = POST. `weight`, `url`, `latitude` and `longitude` are optional + computed as in the
official provider; since the API cannot change them, a configured change replaces the
destination (forced in the plan, so it shows as "must be replaced"). `is_enabled` is the one
in-place change: optional + computed (computed only in the official provider), turned by the
API's toggle route (kinds.Switch).
"""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from typing import Any

import attrs
from pyvider.resources import ResourceContext, register_resource

from provider.attributes import computed, optional, parent, required, switchable
from provider.client.kinds import LOAD_BALANCER_DESTINATION
from provider.diagnostics import reported
from provider.handlers import read_existing, read_object
from provider.runtime import get_client
from resources._base import (
    Problem,
    SevallaResource,
    Timestamped,
    json_ready,
    one_of,
    plan_changes,
    split_import_id,
    typed,
)
from resources._checks import http_url, number_between, whole_number

SERVICE_TYPES = ("APP", "STATIC_SITE", "OBJECT_STORAGE", "EXTERNAL", "LOAD_BALANCER")
RANGES = {"weight": (0, 100), "latitude": (-90, 90), "longitude": (-180, 180)}


def whole(value: Any, kept: Any) -> int | None:
    return None if value is None else int(value)


def coordinate(value: Any, known: Any) -> Any:
    """The API's JSON float, or the value Terraform already has (configuration or state) when
    it is the same number: a float such as 48.85 is not exactly the decimal 48.85 Terraform
    holds, and a read must not turn one into the other."""
    if value is None:
        return None
    if known is not None and float(known) == float(value):
        return known
    return Decimal(str(value))


# The API cannot change a setting: a configured change replaces the destination (in the plan).
setting = partial(optional, computed=True, update=False)


@attrs.frozen(kw_only=True)
class DestinationState(Timestamped):
    id: str | None = computed("Destination ID.")
    load_balancer_id: str = parent("Load balancer the destination belongs to.")
    service_type: str = required(f"Kind of destination: {', '.join(SERVICE_TYPES)}.", requires_replace=True)
    service_id: str | None = optional(
        "ID of the application, static site, bucket or load balancer (not for EXTERNAL).",
        computed=True,
        requires_replace=True,
    )
    weight: int | None = setting("Share of traffic (0-100, API default 1). Changing it replaces.", read=whole)
    url: str | None = setting("URL of an EXTERNAL destination. Changing it replaces.")
    latitude: Decimal | float | None = setting(
        "Latitude for GEO routing (-90..90). Changing it replaces.", read=coordinate
    )
    longitude: Decimal | float | None = setting(
        "Longitude for GEO routing (-180..180). Changing it replaces.", read=coordinate
    )
    is_enabled: bool | None = switchable(
        "Whether traffic is sent to the destination.",
        "Set true or false to enable or disable it in place (unset: as it is in Sevalla).",
    )


CREATE_FIELDS = DestinationState.names(create=True)
SETTINGS = DestinationState.names(create=True, requires_replace=False)


@register_resource("sevalla_load_balancer_destination")
class LoadBalancerDestination(SevallaResource):
    import_parent = "load_balancer_id"
    kind = LOAD_BALANCER_DESTINATION
    config_class = state_class = DestinationState
    noun = "load balancer destination"

    def check(self, config: DestinationState) -> list[Problem]:
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
        return (
            None
            if found is None
            else DestinationState.from_api(found, kept, load_balancer_id=load_balancer_id)
        )

    async def _update(self, ctx: ResourceContext, base_plan: dict[str, Any]) -> tuple[dict[str, Any], None]:
        for name in plan_changes(base_plan, ctx.state, SETTINGS):
            ctx.require_replace(name)
        return base_plan, None

    async def _create_apply(self, ctx: ResourceContext) -> tuple[DestinationState, None]:
        config = typed(ctx.config, DestinationState)
        body = {
            name: json_ready(getattr(config, name))
            for name in CREATE_FIELDS
            if getattr(config, name) is not None
        }
        with reported(f"create {self.noun}"):
            created = await get_client().create(
                LOAD_BALANCER_DESTINATION.collection(config.load_balancer_id), body
            )
        # The planned values, not the configuration's: pyvider plans numbers through a float.
        return DestinationState.from_api(
            created, ctx.planned_state, load_balancer_id=config.load_balancer_id
        ), None

    async def _update_apply(self, ctx: ResourceContext) -> tuple[DestinationState, None]:
        # Every configurable change replaces; nothing to send. Re-read what the API has.
        planned = typed(ctx.planned_state, DestinationState)
        ref = LOAD_BALANCER_DESTINATION.ref(planned.load_balancer_id, str(planned.id))
        found = await read_existing(f"update {self.noun}", ref)
        return DestinationState.from_api(found, planned, load_balancer_id=planned.load_balancer_id), None

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
