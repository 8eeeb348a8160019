"""sevalla_database_internal_connection: lets an application or another database reach a database
inside the cluster. Import id: `<database_id>/<connection_id>`.

The API has no GET for one connection: it is read from the database's list (a bare array), as the
official provider does; the client fetches that list once for every connection of the database.
Every argument forces replacement (there is no update); the display names are computed and follow
renames of either end.
"""

from __future__ import annotations

from typing import Any

import attrs
from pyvider.resources import ResourceContext, register_resource
from pyvider.schema import PvsSchema, a_str, s_resource

from provider.client.kinds import DATABASE_INTERNAL_CONNECTION
from provider.diagnostics import reported
from provider.handlers import read_existing, read_object
from provider.runtime import get_client
from resources._base import (
    Problem,
    SevallaResource,
    one_of,
    parent_id_attribute,
    split_import_id,
    typed,
)

TARGET_TYPES = ("app", "database")


@attrs.define(frozen=True)
class InternalConnectionConfig:
    database_id: str
    target_id: str
    target_type: str


@attrs.define(frozen=True)
class InternalConnectionState(InternalConnectionConfig):
    id: str | None = None
    source_type: str | None = None
    source_display_name: str | None = None
    target_display_name: str | None = None


def state_from_api(database_id: str, body: dict[str, Any]) -> InternalConnectionState:
    return InternalConnectionState(
        id=body["id"],
        database_id=database_id,
        target_id=body["target_id"],
        target_type=body["target_type"],
        source_type=body.get("source_type"),
        source_display_name=body.get("source_display_name"),
        target_display_name=body.get("target_display_name"),
    )


@register_resource("sevalla_database_internal_connection")
class DatabaseInternalConnection(SevallaResource):
    import_parent = "database_id"
    config_class = InternalConnectionConfig
    state_class = InternalConnectionState

    @classmethod
    def get_schema(cls) -> PvsSchema:
        return s_resource(
            attributes={
                "id": a_str(computed=True, description="Connection ID."),
                "database_id": parent_id_attribute("Database the connection goes to."),
                "target_id": a_str(
                    required=True,
                    requires_replace=True,
                    description="Application or database that may connect to the database.",
                ),
                "target_type": a_str(
                    required=True,
                    requires_replace=True,
                    description=f"Kind of target: {', '.join(TARGET_TYPES)}.",
                ),
                "source_type": a_str(computed=True, description="Kind of source (database)."),
                "source_display_name": a_str(computed=True, description="Display name of the database."),
                "target_display_name": a_str(computed=True, description="Display name of the target."),
            }
        )

    def check(self, config: InternalConnectionConfig) -> list[Problem]:
        return one_of("target_type", config.target_type, TARGET_TYPES)

    async def _create_apply(self, ctx: ResourceContext) -> tuple[InternalConnectionState, None]:
        config = typed(ctx.config, InternalConnectionConfig)
        body = {"target_id": config.target_id, "target_type": config.target_type}
        with reported("create database internal connection"):
            created = await get_client().create(
                DATABASE_INTERNAL_CONNECTION.collection(config.database_id), body
            )
        if "target_display_name" not in created:  # only the new id: read it from the list
            ref = DATABASE_INTERNAL_CONNECTION.ref(config.database_id, created["id"])
            created = await read_existing("read the new database internal connection", ref, fresh=True)
        return state_from_api(config.database_id, created), None

    async def read(self, ctx: ResourceContext) -> InternalConnectionState | None:
        prior = typed(ctx.state, InternalConnectionState)
        return await self._find("read", prior.database_id, str(prior.id))

    async def _delete_apply(self, ctx: ResourceContext) -> None:
        prior = typed(ctx.state, InternalConnectionState)
        with reported("delete database internal connection"):
            await get_client().delete(DATABASE_INTERNAL_CONNECTION.ref(prior.database_id, str(prior.id)))

    async def import_state(self, ctx: ResourceContext, import_id: str) -> InternalConnectionState | None:
        database_id, connection_id = split_import_id(import_id, ("database_id", "connection_id"))
        return await self._find("import", database_id, connection_id)

    async def _find(
        self, action: str, database_id: str, connection_id: str
    ) -> InternalConnectionState | None:
        ref = DATABASE_INTERNAL_CONNECTION.ref(database_id, connection_id)
        body = await read_object(f"{action} database internal connection", ref)
        return None if body is None else state_from_api(database_id, body)
