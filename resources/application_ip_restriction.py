"""sevalla_application_ip_restriction: which client IPs may (allow) or may not (deny) reach an
application. It has no id: it is keyed by application_id (import id: the application id).

Every application always has a restriction in the API (disabled, with an empty list, until set),
so create and update are the same PUT, and delete PUTs it back to that state: `is_enabled =
false` with an empty `ip_list`. Import refuses an application whose restriction is in that
never-set state ("Cannot import non-existent remote object").
"""

from __future__ import annotations

import ipaddress
from typing import Any

import attrs
from pyvider.resources import ResourceContext, register_resource
from pyvider.schema import PvsSchema, a_bool, a_list, a_str, s_resource

from provider.client import NotFoundError, SevallaError, endpoints
from provider.diagnostics import reported, to_terraform_error
from provider.runtime import get_client
from resources._base import ApplicationSingleton, Problem, application_id_attribute, one_of, typed

FIELDS = ("type", "is_enabled", "ip_list")


@attrs.define(frozen=True)
class IpRestrictionConfig:
    application_id: str
    type: str
    is_enabled: bool
    ip_list: list[str]


def _not_an_ip(text: str) -> bool:
    try:
        ipaddress.ip_network(text, strict=False)
    except ValueError:
        return True
    return False


@register_resource("sevalla_application_ip_restriction")
class ApplicationIpRestriction(ApplicationSingleton):
    config_class = IpRestrictionConfig
    state_class = IpRestrictionConfig
    noun = "application IP restriction"

    @classmethod
    def get_schema(cls) -> PvsSchema:
        return s_resource(
            attributes={
                "application_id": application_id_attribute("Application the restriction applies to."),
                "type": a_str(required=True, description="allow (only these IPs) or deny (all but these)."),
                "is_enabled": a_bool(required=True, description="Whether the restriction is enforced."),
                "ip_list": a_list(a_str(), required=True, description="IP addresses and CIDR ranges."),
            }
        )

    def check(self, config: IpRestrictionConfig) -> list[Problem]:
        problems = one_of("type", config.type, ("allow", "deny"))
        bad = [text for text in config.ip_list if _not_an_ip(text)]
        if bad:
            problems.append(("ip_list", f"not IP addresses or CIDR ranges: {', '.join(bad)}"))
        return problems

    def path(self, application_id: str) -> str:
        return endpoints.application_ip_restriction(application_id)

    def from_api(self, application_id: str, body: dict[str, Any]) -> IpRestrictionConfig:
        return IpRestrictionConfig(
            application_id=application_id,
            type=body["type"],
            is_enabled=bool(body["is_enabled"]),
            ip_list=list(body.get("ip_list") or []),
        )

    def exists(self, body: dict[str, Any]) -> bool:
        return bool(body.get("is_enabled") or body.get("ip_list"))

    async def _put(self, ctx: ResourceContext, action: str) -> tuple[IpRestrictionConfig, None]:
        planned = typed(ctx.planned_state, IpRestrictionConfig)
        body = {"type": planned.type, "is_enabled": planned.is_enabled, "ip_list": list(planned.ip_list)}
        with reported(action):
            answer = await get_client().put(self.path(planned.application_id), body)
        return self.from_api(planned.application_id, answer), None

    async def _create_apply(self, ctx: ResourceContext) -> tuple[IpRestrictionConfig, None]:
        return await self._put(ctx, "set application IP restriction")

    async def _update_apply(self, ctx: ResourceContext) -> tuple[IpRestrictionConfig, None]:
        return await self._put(ctx, "update application IP restriction")

    async def _delete_apply(self, ctx: ResourceContext) -> None:
        prior = typed(ctx.state, IpRestrictionConfig)
        try:
            await get_client().put(
                self.path(prior.application_id), {"type": prior.type, "is_enabled": False, "ip_list": []}
            )
        except NotFoundError:
            return  # the application is gone, and the restriction with it
        except SevallaError as exc:
            raise to_terraform_error("remove application IP restriction", exc) from exc
