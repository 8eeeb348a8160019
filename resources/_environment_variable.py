"""An environment variable of a parent service (application, static site) or of the company
(global): the env-var sub-API is the same for all of them.

Create = POST to the collection, update = PUT of the changed fields, delete = DELETE. The API
has no single-variable GET, so a read lists the parent's variables and picks this one (a 404 on
the parent means the variable is gone too). Types differ only in their kinds and their tables:
the parent, and the flags (`is_runtime`/`is_buildtime` for applications and global variables,
`is_production`/`is_preview`/`branch` for static sites).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, ClassVar

import attrs
from pyvider.resources import ResourceContext

from provider.attributes import computed, needed_to_create, optional, required, write_only, write_only_version
from provider.client.kinds import Kind, Ref
from provider.diagnostics import reported
from provider.handlers import read_object
from provider.runtime import get_client
from resources._base import (
    Problem,
    SevallaResource,
    TableParent,
    Timestamped,
    json_ready,
    plan_changes,
    split_import_id,
    unknown_string,
)
from resources._checks import env_key, is_text


@attrs.frozen(kw_only=True)
class EnvVarState(Timestamped):
    """The environment variable table; each type adds its parent's id and its flags."""

    id: str | None = computed("Environment variable ID.")
    key: str = required("Variable name.")
    value: str | None = needed_to_create(
        "Variable value (sensitive; unset: the value it has in Sevalla).", computed=True, sensitive=True
    )
    value_wo: str | None = write_only("value")
    value_wo_version: int | None = write_only_version("value")


@attrs.frozen(kw_only=True)
class RuntimeEnvVarState(EnvVarState):
    """With an application's flags."""

    is_runtime: bool | None = optional("Available at run time (API default true).", computed=True)
    is_buildtime: bool | None = optional("Available at build time (API default true).", computed=True)


class EnvironmentVariableResource(SevallaResource):
    """Subclasses set noun, the table (an EnvVarState with the parent's id, if any, and the
    flags) and the kind."""

    noun: ClassVar[str]  # in diagnostics, e.g. "application environment variable"
    # The parent's id attribute, e.g. "application_id"; None for company-wide variables.
    parent_attribute = TableParent()
    kind: ClassVar[Kind]  # Read.LISTED: read from the parent's (or the company's) list

    @property
    def updatable(self) -> tuple[str, ...]:
        """What create sends and update may PUT: key, value and the flags."""
        return self.state_class.names(update=True)

    def parent_ids(self, values: Any) -> dict[str, Any]:
        """{parent_attribute: its value} of a configuration or state ({} for global variables)."""
        return (
            {}
            if self.parent_attribute is None
            else {self.parent_attribute: getattr(values, self.parent_attribute)}
        )

    def collection(self, values: Any) -> Ref:
        return self.kind.collection(*self.parent_ids(values).values())

    def ref(self, values: Any) -> Ref:
        return self.collection(values).item(str(values.id))

    def from_api(self, values: Any, body: dict[str, Any]) -> Any:
        """State from an API body; `values` (config or prior state) gives the parent id and what
        the API never returns (a write-only value's version)."""
        return self.state_class.from_api(body, values, **self.parent_ids(values))

    def check(self, config: Any) -> list[Problem]:
        problems = env_key("key", config.key)
        if is_text(config.value) and len(config.value) > 32768:
            problems.append(("value", "must be at most 32768 characters long"))
        return problems

    async def _update(self, ctx: ResourceContext, base_plan: dict[str, Any]) -> tuple[dict[str, Any], None]:
        if plan_changes(base_plan, ctx.state, self.updatable):
            base_plan["updated_at"] = unknown_string()
        return base_plan, None

    async def _create_apply(self, ctx: ResourceContext) -> tuple[Any, None]:
        config: Any = ctx.config
        body = {name: getattr(config, name) for name in self.updatable if getattr(config, name) is not None}
        with reported(f"create {self.noun}"):
            created = await get_client().create(self.collection(config), body)
        return self.from_api(config, created), None

    async def _update_apply(self, ctx: ResourceContext) -> tuple[Any, None]:
        planned: Any = ctx.planned_state
        prior: Any = ctx.state
        changed = plan_changes(attrs.asdict(planned), prior, self.updatable)
        with reported(f"update {self.noun}"):
            updated = await get_client().replace(
                self.ref(prior), {n: json_ready(getattr(planned, n)) for n in changed}
            )
        return self.from_api(planned, updated), None

    async def find(self, values: Any, env_var_id: str, action: str) -> Any:
        found = await read_object(f"{action} {self.noun}", self.collection(values).item(env_var_id))
        return None if found is None else self.from_api(values, found)

    async def read(self, ctx: ResourceContext) -> Any:
        prior: Any = ctx.state
        return await self.find(prior, str(prior.id), "read")

    async def _delete_apply(self, ctx: ResourceContext) -> None:
        with reported(f"delete {self.noun}"):
            await get_client().delete(self.ref(ctx.state))

    async def import_state(self, ctx: ResourceContext, import_id: str) -> Any:
        """Import id "<parent_id>/<env_var_id>", or the variable's id alone for global ones."""
        if self.parent_attribute is None:
            parent, (env_var_id,) = SimpleNamespace(), split_import_id(import_id, ("id",))
        else:
            parent_id, env_var_id = split_import_id(import_id, (self.parent_attribute, "env_var_id"))
            parent = SimpleNamespace(**{self.parent_attribute: parent_id})
        return await self.find(parent, env_var_id, "import")
