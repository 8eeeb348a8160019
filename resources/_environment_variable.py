"""An environment variable of a parent service (application, static site) or of the company
(global): the env-var sub-API is the same for all of them.

Create = POST to the collection, update = PUT of the changed fields, delete = DELETE. The API
has no single-variable GET, so a read lists the parent's variables and picks this one (a 404 on
the parent means the variable is gone too). Types differ only in their parent, their paths and
their flags (`is_runtime`/`is_buildtime` for applications, `is_production`/`is_preview`/`branch`
for static sites): class attributes of `EnvironmentVariableResource`.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, ClassVar

import attrs
from pyvider.resources import ResourceContext
from pyvider.schema import PvsAttribute, PvsSchema, a_bool, a_str, s_resource

from provider.client.kinds import Kind, Ref
from provider.diagnostics import reported
from provider.handlers import read_object
from provider.runtime import get_client
from resources._base import (
    Problem,
    SevallaResource,
    json_ready,
    parent_id_attribute,
    pick,
    plan_changes,
    split_import_id,
    timestamp_attributes,
    unknown_string,
)
from resources._checks import env_key, is_text

RUNTIME_FLAGS: dict[str, PvsAttribute] = {
    "is_runtime": a_bool(
        optional=True, computed=True, description="Available at run time (API default true)."
    ),
    "is_buildtime": a_bool(
        optional=True, computed=True, description="Available at build time (API default true)."
    ),
}


def env_var_attributes(what: str, flags: dict[str, PvsAttribute]) -> dict[str, PvsAttribute]:
    """The attributes of an environment variable type with these flags (no parent attribute)."""
    return {
        "id": a_str(computed=True, description=f"{what} ID."),
        "key": a_str(required=True, description="Variable name."),
        "value": a_str(required=True, sensitive=True, description="Variable value (sensitive)."),
        **flags,
        **timestamp_attributes(),
    }


class EnvironmentVariableResource(SevallaResource):
    """Subclasses set noun, the attrs classes (with a field named like `parent_attribute`, and
    `key` and `value` first after it), the kind, and what differs from an application's."""

    noun: ClassVar[str]  # in diagnostics, e.g. "application environment variable"
    # The parent's id attribute, e.g. "application_id"; None for company-wide variables.
    parent_attribute: ClassVar[str | None] = "application_id"
    parent_description: ClassVar[str] = "Application the variable belongs to."
    id_description: ClassVar[str] = "Environment variable"
    # The flags besides key and value (name -> schema attribute); sent on create and update.
    flags: ClassVar[dict[str, PvsAttribute]] = RUNTIME_FLAGS
    kind: ClassVar[Kind]  # Read.LISTED: read from the parent's (or the company's) list

    @classmethod
    def get_schema(cls) -> PvsSchema:
        parent = (
            {}
            if cls.parent_attribute is None
            else {cls.parent_attribute: parent_id_attribute(cls.parent_description)}
        )
        return s_resource(attributes={**parent, **env_var_attributes(cls.id_description, cls.flags)})

    @property
    def updatable(self) -> tuple[str, ...]:
        """What create sends and update may PUT."""
        return ("key", "value", *self.flags)

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
        """State from an API body; `values` (config or prior state) gives the parent id."""
        state_class: Any = self.state_class
        return state_class(
            **self.parent_ids(values), **pick(body, ("id", *self.updatable, "created_at", "updated_at"))
        )

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
        return self.from_api(prior, updated), None

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
