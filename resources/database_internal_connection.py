"""sevalla_database_internal_connection: lets an application or another database reach a database
inside the cluster. Import id: `<database_id>/<connection_id>`.

The API has no GET for one connection: it is read from the database's list (a bare array), as the
official provider does; the client fetches that list once for every connection of the database.
Every argument forces replacement (there is no update); the display names are computed and follow
renames of either end. The API answers a create with only the new id, so the connection is read
back from the list; the list spells `target_type` `appResource` / `dbResource` where the create
sends `app` / `database`: read as the configuration spells it, or every plan would replace.
"""

from __future__ import annotations

from typing import Any

import attrs
from pyvider.resources import ResourceContext, register_resource

from provider.attributes import Table, computed, parent, required
from provider.client.kinds import DATABASE_INTERNAL_CONNECTION
from provider.diagnostics import reported
from provider.handlers import read_object
from provider.runtime import get_client
from resources._base import (
    Problem,
    SevallaResource,
    one_of,
    split_import_id,
    typed,
)

TARGET_TYPES = ("app", "database")
# How the API's list spells each target type.
TARGET_TYPE_READ_BACK = {"appResource": "app", "dbResource": "database"}


def target_type(value: Any, kept: Any) -> Any:
    """The API's target_type as the configuration spells it (app, database); a state written
    with the API's spelling (appResource, dbResource) reads as the configuration's too."""
    return TARGET_TYPE_READ_BACK.get(value, value)


@attrs.frozen(kw_only=True)
class InternalConnectionState(Table):
    id: str | None = computed("Connection ID.")
    database_id: str = parent("Database the connection goes to.")
    target_id: str = required(
        "Application or database that may connect to the database.", requires_replace=True
    )
    target_type: str = required(
        f"Kind of target: {', '.join(TARGET_TYPES)}.", requires_replace=True, read=target_type
    )
    source_type: str | None = computed("Kind of source (database).")
    source_display_name: str | None = computed("Display name of the database.")
    target_display_name: str | None = computed("Display name of the target.")


@register_resource("sevalla_database_internal_connection")
class DatabaseInternalConnection(SevallaResource):
    kind = DATABASE_INTERNAL_CONNECTION
    import_parent = "database_id"
    config_class = state_class = InternalConnectionState

    def check(self, config: InternalConnectionState) -> list[Problem]:
        return one_of("target_type", config.target_type, TARGET_TYPES)

    async def _create_apply(self, ctx: ResourceContext) -> tuple[InternalConnectionState, None]:
        config = typed(ctx.config, InternalConnectionState)
        body = {"target_id": config.target_id, "target_type": config.target_type}
        with reported("create database internal connection"):
            created = await get_client().create(
                DATABASE_INTERNAL_CONNECTION.collection(config.database_id), body
            )
        # The client read it back from the list (the POST answers only the new id).
        return InternalConnectionState.from_api(created, database_id=config.database_id), None

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
        return None if body is None else InternalConnectionState.from_api(body, database_id=database_id)
