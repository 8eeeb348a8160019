"""sevalla_database: a managed database (PostgreSQL, MySQL, MariaDB, Redis, Valkey).

Creation is asynchronous: the API answers `creating` and the database turns `ready`
later. Create and a resource-type change wait for `ready`; delete waits until the
database is in a state that can be deleted. The password is never returned by the API,
so it stays what the configuration says.
"""

from __future__ import annotations

from typing import Any

import attrs
from pyvider.resources import ResourceContext, register_resource
from pyvider.schema import PvsSchema, a_bool, a_num, a_obj, a_str, s_resource

from provider.client.kinds import DATABASE, Ref
from provider.diagnostics import reported
from provider.formatting import shown
from provider.handlers import read_object
from provider.runtime import get_client
from resources._base import (
    Problem,
    ServiceResource,
    check_timeouts,
    json_ready,
    one_of,
    pick,
    plan_changes,
    replace_when_changed,
    timeout_seconds,
    timeouts_attribute,
    timestamp_attributes,
    typed,
    unknown_number,
    unknown_string,
    wait_for_status,
)
from resources._checks import length_between, matches, not_empty

TYPES = ("postgresql", "mysql", "redis", "mariadb", "valkey", "mongodb")
TIMEOUT_DEFAULTS = {"create": "10m", "update": "10m", "delete": "10m"}
UPDATABLE = ("display_name", "resource_type_id", "project_id")
CREATE_FIELDS = (
    "display_name", "type", "version", "cluster_id", "resource_type_id", "db_name", "db_password",
    "db_user", "project_id", "extensions",
)  # fmt: skip
FROM_API = (
    "id", "display_name", "type", "version", "cluster_id", "resource_type_id", "db_name", "project_id",
    "name", "status", "is_suspended", "cluster_display_name", "cluster_location", "resource_type_name",
    "cpu_limit", "memory_limit", "storage_size", "internal_hostname", "internal_port",
    "external_hostname", "external_port", "company_id", "created_at", "updated_at",
)  # fmt: skip
DELETABLE = ("ready", "error", "suspended")
# Sent on create, never returned by the API: kept from the configuration.
WRITE_ONCE = ("db_password", "db_user", "extensions")


@attrs.define(frozen=True)
class DatabaseConfig:
    display_name: str
    type: str
    version: str
    cluster_id: str
    db_name: str
    db_password: str
    resource_type_id: str
    db_user: str | None = None
    project_id: str | None = None
    extensions: dict[str, Any] | None = None
    timeouts: dict[str, Any] | None = None


@attrs.define(frozen=True)
class DatabaseState(DatabaseConfig):
    id: str | None = None
    name: str | None = None
    status: str | None = None
    is_suspended: bool | None = None
    cluster_display_name: str | None = None
    cluster_location: str | None = None
    resource_type_name: str | None = None
    cpu_limit: int | None = None
    memory_limit: int | None = None
    storage_size: int | None = None
    internal_hostname: str | None = None
    internal_port: str | None = None
    external_hostname: str | None = None
    external_port: str | None = None
    company_id: str | None = None
    created_at: str | None = None
    updated_at: str | None = None


def state_from_api(body: dict[str, Any], kept: DatabaseState | DatabaseConfig | None) -> DatabaseState:
    """API values, plus what the API never returns (password, user, extensions, timeouts)."""
    values = pick(body, FROM_API)
    for port in ("internal_port", "external_port"):
        if values[port] is not None:
            values[port] = str(values[port])
    return DatabaseState(
        **values,
        db_password=getattr(kept, "db_password", None),  # type: ignore[arg-type]  # null after import
        db_user=getattr(kept, "db_user", None),
        extensions=getattr(kept, "extensions", None),
        timeouts=getattr(kept, "timeouts", None),
    )


@register_resource("sevalla_database")
class Database(ServiceResource):
    config_class = DatabaseConfig
    state_class = DatabaseState
    kind = DATABASE
    noun = "database"
    timeout_defaults = TIMEOUT_DEFAULTS

    @classmethod
    def get_schema(cls) -> PvsSchema:
        replace = {"required": True, "requires_replace": True}
        return s_resource(
            attributes={
                "id": a_str(computed=True, description="Database ID."),
                "display_name": a_str(required=True, description="Display name (2-64 characters)."),
                "type": a_str(**replace, description=f"Engine: {', '.join(TYPES)}."),
                "version": a_str(**replace, description='Engine version, e.g. "16".'),
                "cluster_id": a_str(**replace, description="Cluster the database runs in."),
                "db_name": a_str(**replace, description="Name of the database inside the engine."),
                "db_password": a_str(
                    required=True,
                    sensitive=True,
                    description="Password (4-100 characters; never returned by the API). Changing it replaces the database.",
                ),
                "db_user": a_str(
                    optional=True,
                    description="User name (not root/postgres). Changing it replaces the database.",
                ),
                "resource_type_id": a_str(
                    required=True, description="Size (see sevalla_database_resource_types)."
                ),
                "project_id": a_str(optional=True, description="Project the database belongs to."),
                "extensions": a_obj(
                    {
                        name: a_bool(optional=True)
                        for name in ("enable_vector", "enable_postgis", "enable_cron")
                    },
                    optional=True,
                    description="PostgreSQL extensions to enable. Changing them replaces the database.",
                ),
                "timeouts": timeouts_attribute(TIMEOUT_DEFAULTS),
                "name": a_str(computed=True, description="Unique name."),
                "status": a_str(computed=True, description="Current status (creating, ready, ...)."),
                "is_suspended": a_bool(computed=True, description="Whether the database is suspended."),
                "cluster_display_name": a_str(computed=True, description="Cluster display name."),
                "cluster_location": a_str(computed=True, description="Cluster location."),
                "resource_type_name": a_str(computed=True, description="Size name."),
                "cpu_limit": a_num(computed=True, description="CPU limit (millicores)."),
                "memory_limit": a_num(computed=True, description="Memory limit (MB)."),
                "storage_size": a_num(computed=True, description="Storage size (MB)."),
                "internal_hostname": a_str(computed=True, description="Hostname inside the cluster."),
                "internal_port": a_str(computed=True, description="Port inside the cluster."),
                "external_hostname": a_str(computed=True, sensitive=True, description="Public hostname."),
                "external_port": a_str(computed=True, description="Public port."),
                "company_id": a_str(computed=True, description="Owning company."),
                **timestamp_attributes(),
            }
        )

    def check(self, config: DatabaseConfig) -> list[Problem]:
        problems = length_between("display_name", config.display_name, 2, 64)
        problems += one_of("type", config.type, TYPES) + not_empty("version", config.version)
        problems += length_between("db_name", config.db_name, 2, 100)
        problems += matches("db_name", config.db_name, r"[a-zA-Z0-9_\-+]*", "letters, digits, _, - and +")
        problems += length_between("db_password", config.db_password, 4, 100)
        problems += not_empty("db_user", config.db_user)
        if config.db_user in ("root", "postgres"):
            problems.append(("db_user", f"{shown(config.db_user)} is reserved"))
        return problems + check_timeouts(config.timeouts)

    async def _update(self, ctx: ResourceContext, base_plan: dict[str, Any]) -> tuple[dict[str, Any], None]:
        prior = typed(ctx.state, DatabaseState)
        # db_password is required, so a null one means the object was imported.
        replace_when_changed(ctx, base_plan, WRITE_ONCE, imported=prior.db_password is None)
        changed = plan_changes(base_plan, prior, UPDATABLE)
        if changed:
            base_plan["updated_at"] = unknown_string()
        if "resource_type_id" in changed:
            base_plan["resource_type_name"] = unknown_string()
            for name in ("cpu_limit", "memory_limit", "storage_size"):
                base_plan[name] = unknown_number()
        return base_plan, None

    def from_api(self, body: dict[str, Any], kept: Any) -> DatabaseState:
        return state_from_api(body, kept)

    async def _create_apply(self, ctx: ResourceContext) -> tuple[DatabaseState, None]:
        config = typed(ctx.config, DatabaseConfig)
        body = {n: json_ready(getattr(config, n)) for n in CREATE_FIELDS if getattr(config, n) is not None}
        with reported("create database"):
            created = await get_client().create(DATABASE.collection(), body)
        ready = await wait_for_status(
            DATABASE.ref(created["id"]),
            ("ready",),
            within=timeout_seconds(config.timeouts, "create", TIMEOUT_DEFAULTS),
            action="wait for the new database to be ready",
        )
        return state_from_api(ready, config), None

    async def _update_apply(self, ctx: ResourceContext) -> tuple[DatabaseState, None]:
        planned = typed(ctx.planned_state, DatabaseState)
        prior = typed(ctx.state, DatabaseState)
        ref = DATABASE.ref(str(prior.id))
        timeout = timeout_seconds(planned.timeouts, "update", TIMEOUT_DEFAULTS)
        changed = plan_changes(attrs.asdict(planned), prior, UPDATABLE)
        if changed:
            await wait_for_status(ref, ("ready",), within=timeout, action="wait for the database to be ready")
            with reported("update database"):
                await get_client().update(ref, {n: json_ready(getattr(planned, n)) for n in changed})
        body = await wait_for_status(
            ref, ("ready",), within=timeout, action="wait for the database update to finish"
        )
        return state_from_api(body, planned), None

    async def prepare_delete(self, ref: Ref, prior: Any) -> bool:
        """A database is deleted once it is in a state that can be deleted."""
        if await read_object("read database", ref) is None:
            return False
        await wait_for_status(
            ref,
            DELETABLE,
            within=timeout_seconds(prior.timeouts, "delete", TIMEOUT_DEFAULTS),
            action="wait for the database to be deletable",
        )
        return True
