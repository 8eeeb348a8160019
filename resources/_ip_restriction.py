"""IP restrictions, shared by sevalla_application_ip_restriction and sevalla_database_ip_restriction.

Which client IPs may (allow) or may not (deny) reach a service. It has no id: it is keyed by its
parent's id (import id: the parent id). Every parent always has a restriction in the API
(disabled, with an empty list, until set), so create and update are the same PUT, and delete PUTs
it back to that state: `is_enabled = false` with an empty `ip_list`. Import refuses a parent whose
restriction is in that never-set state ("Cannot import non-existent remote object").
"""

from __future__ import annotations

from typing import Any

import attrs
from pyvider.resources import ResourceContext

from provider.attributes import Table, listed, required
from provider.diagnostics import reported
from provider.runtime import get_client
from resources._base import SingletonResource, TableParent
from resources._checks import Problem, ip_or_cidr_list, one_of


def truth(value: Any, kept: Any) -> bool:
    return bool(value)


@attrs.frozen(kw_only=True)
class IpRestrictionState(Table):
    """The restriction table; each type adds its parent's id."""

    type: str = required("allow (only these IPs) or deny (all but these).")
    is_enabled: bool = required("Whether the restriction is enforced.", read=truth)
    ip_list: list[str] = required("IP addresses and CIDR ranges.", read=listed)


class IpRestrictionResource(SingletonResource):
    """Subclasses set the noun, the table (an IpRestrictionState with the parent's id) and the
    kind (a singleton of the parent)."""

    parent_attribute = TableParent()  # e.g. "database_id"

    def check(self, config: Any) -> list[Problem]:
        return one_of("type", config.type, ("allow", "deny")) + ip_or_cidr_list("ip_list", config.ip_list)

    def exists(self, body: dict[str, Any]) -> bool:
        """The API answers for restrictions that were never set: disabled with an empty list."""
        return bool(body.get("is_enabled") or body.get("ip_list"))

    async def _put(self, ctx: ResourceContext, action: str) -> tuple[Any, None]:
        planned: Any = ctx.planned_state
        parent_id = getattr(planned, self.parent_attribute)
        body = {"type": planned.type, "is_enabled": planned.is_enabled, "ip_list": list(planned.ip_list)}
        with reported(action):
            answer = await get_client().replace(self.kind.ref(parent_id), body)
        return self.from_api(parent_id, answer), None

    async def _create_apply(self, ctx: ResourceContext) -> tuple[Any, None]:
        return await self._put(ctx, f"set {self.noun}")

    async def _update_apply(self, ctx: ResourceContext) -> tuple[Any, None]:
        return await self._put(ctx, f"update {self.noun}")

    async def _delete_apply(self, ctx: ResourceContext) -> None:
        """PUT back to the never-set state; a parent that is gone took the restriction with it."""
        prior: Any = ctx.state
        with reported(f"remove {self.noun}"):
            await get_client().delete(
                self.kind.ref(getattr(prior, self.parent_attribute)),
                reset_to={"type": prior.type, "is_enabled": False, "ip_list": []},
            )
