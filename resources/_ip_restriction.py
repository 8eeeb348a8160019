"""IP restrictions, shared by sevalla_application_ip_restriction and sevalla_database_ip_restriction.

Which client IPs may (allow) or may not (deny) reach a service. It has no id: it is keyed by its
parent's id (import id: the parent id). Every parent always has a restriction in the API
(disabled, with an empty list, until set), so create and update are the same PUT, and delete PUTs
it back to that state: `is_enabled = false` with an empty `ip_list`. Import refuses a parent whose
restriction is in that never-set state ("Cannot import non-existent remote object").
"""

from __future__ import annotations

from typing import Any, ClassVar

import attrs
from pyvider.resources import ResourceContext

from provider.attributes import Table, listed, required
from provider.client import NotFoundError, SevallaError
from provider.diagnostics import reported, to_terraform_error
from provider.runtime import get_client
from resources._base import SevallaResource, TableParent, get_or_none, split_import_id
from resources._checks import Problem, ip_or_cidr_list, one_of


def truth(value: Any, kept: Any) -> bool:
    return bool(value)


@attrs.frozen(kw_only=True)
class IpRestrictionState(Table):
    """The restriction table; each type adds its parent's id."""

    type: str = required("allow (only these IPs) or deny (all but these).")
    is_enabled: bool = required("Whether the restriction is enforced.", read=truth)
    ip_list: list[str] = required("IP addresses and CIDR ranges.", read=listed)


class IpRestrictionResource(SevallaResource):
    """Subclasses set the noun, the table (an IpRestrictionState with the parent's id) and the
    API path."""

    parent_attribute = TableParent()  # e.g. "database_id"
    noun: ClassVar[str]  # in diagnostics, e.g. "database IP restriction"

    def path(self, parent_id: str) -> str:
        raise NotImplementedError

    def check(self, config: Any) -> list[Problem]:
        return one_of("type", config.type, ("allow", "deny")) + ip_or_cidr_list("ip_list", config.ip_list)

    def from_api(self, parent_id: str, body: dict[str, Any]) -> Any:
        return self.state_class.from_api(body, None, **{self.parent_attribute: parent_id})

    @staticmethod
    def exists(body: dict[str, Any]) -> bool:
        """The API answers for restrictions that were never set: disabled with an empty list."""
        return bool(body.get("is_enabled") or body.get("ip_list"))

    async def read(self, ctx: ResourceContext) -> Any:
        parent_id = getattr(ctx.state, self.parent_attribute)
        body = await get_or_none(f"read {self.noun}", self.path(parent_id))
        return None if body is None else self.from_api(parent_id, body)

    async def import_state(self, ctx: ResourceContext, import_id: str) -> Any:
        (parent_id,) = split_import_id(import_id, (self.parent_attribute,))
        body = await get_or_none(f"import {self.noun}", self.path(parent_id))
        return None if body is None or not self.exists(body) else self.from_api(parent_id, body)

    async def _put(self, ctx: ResourceContext, action: str) -> tuple[Any, None]:
        planned: Any = ctx.planned_state
        parent_id = getattr(planned, self.parent_attribute)
        body = {"type": planned.type, "is_enabled": planned.is_enabled, "ip_list": list(planned.ip_list)}
        with reported(action):
            answer = await get_client().put(self.path(parent_id), body)
        return self.from_api(parent_id, answer), None

    async def _create_apply(self, ctx: ResourceContext) -> tuple[Any, None]:
        return await self._put(ctx, f"set {self.noun}")

    async def _update_apply(self, ctx: ResourceContext) -> tuple[Any, None]:
        return await self._put(ctx, f"update {self.noun}")

    async def _delete_apply(self, ctx: ResourceContext) -> None:
        prior: Any = ctx.state
        try:
            await get_client().put(
                self.path(getattr(prior, self.parent_attribute)),
                {"type": prior.type, "is_enabled": False, "ip_list": []},
            )
        except NotFoundError:
            return  # the parent is gone, and the restriction with it
        except SevallaError as exc:
            raise to_terraform_error(f"remove {self.noun}", exc) from exc
