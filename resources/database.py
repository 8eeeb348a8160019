"""sevalla_database: a managed database (PostgreSQL, MySQL, MariaDB, Redis, Valkey).

Creation is asynchronous: the API answers `creating` and the database turns `ready`
later. Create and a resource-type change wait for `ready`, and end at once when it is in
a status it does not leave by itself (`error`, `suspended`, `deleting`). Delete waits until
the database can be deleted (`ready`, `error` or `suspended`, as the official provider),
sends the DELETE, and waits until the database is gone: the API deletes asynchronously
(`deleting`, then 404). The password is never returned by the API, so it stays what the
configuration says.
"""

from __future__ import annotations

from typing import Any

import attrs
from pyvider.resources import ResourceContext, register_resource
from pyvider.schema import a_bool, a_obj

from provider.attributes import (
    computed,
    declared,
    needed_to_create,
    optional,
    present,
    required,
    switchable,
    write_only,
    write_only_version,
)
from provider.client.kinds import DATABASE
from provider.diagnostics import reported
from provider.formatting import shown
from provider.runtime import get_client
from resources._base import (
    Problem,
    ServiceResource,
    Timestamped,
    check_timeouts,
    json_ready,
    one_of,
    plan_changes,
    poll_until,
    replace_when_changed,
    timeout_seconds,
    timeouts_field,
    typed,
    unknown_number,
    unknown_string,
    wait_for_status,
    wait_until_gone,
    without_nulls,
)
from resources._checks import length_between, matches, not_empty

TYPES = ("postgresql", "mysql", "redis", "mariadb", "valkey", "mongodb")
TIMEOUT_DEFAULTS = {"create": "10m", "update": "10m", "delete": "10m"}
DELETABLE = ("ready", "error", "suspended")
# Statuses a database does not leave by itself: a wait for "ready" that meets one ends at once.
STUCK = ("error", "suspended", "deleting")


def port_text(value: Any, kept: Any) -> str | None:
    """Ports are strings in the schema; the API may answer numbers."""
    return None if value is None else str(value)


@attrs.frozen(kw_only=True)
class DatabaseState(Timestamped):
    id: str | None = computed("Database ID.")
    display_name: str = required("Display name (2-64 characters).")
    type: str = required(f"Engine: {', '.join(TYPES)}.", requires_replace=True)
    version: str = required('Engine version, e.g. "16".', requires_replace=True)
    cluster_id: str = required("Cluster the database runs in.", requires_replace=True)
    db_name: str = required("Name of the database inside the engine.", requires_replace=True)
    # Sent on create, never returned by the API: kept from the configuration (null after an
    # import); a change replaces the database (see _update).
    db_password: str | None = needed_to_create(
        "Password (4-100 characters; never returned by the API: null after an import, and may stay "
        "unset then). Changing it replaces the database.",
        sensitive=True,
        api=None,
        update=False,
    )
    db_password_wo: str | None = write_only("db_password")
    db_password_wo_version: int | None = write_only_version("db_password")
    db_user: str | None = optional(
        "User name (not root/postgres). Changing it replaces the database.", api=None, update=False
    )
    resource_type_id: str = required("Size (see sevalla_database_resource_types).")
    project_id: str | None = optional("Project the database belongs to.")
    extensions: dict[str, Any] | None = declared(
        a_obj(
            {name: a_bool(optional=True) for name in ("enable_vector", "enable_postgis", "enable_cron")},
            optional=True,
            description="PostgreSQL extensions to enable. Changing them replaces the database.",
        ),
        api=None,
        update=False,
    )
    timeouts: dict[str, Any] | None = timeouts_field(TIMEOUT_DEFAULTS)
    name: str | None = computed("Unique name.")
    status: str | None = computed(
        "Current status: creating, ready, updating, suspended, error, deleting (and others the API "
        "may add). Waits end at ready; error ends them with a diagnostic."
    )
    is_suspended: bool | None = switchable(
        "Whether the database is suspended.",
        "Set true to suspend it, false to activate it (unset: as it is in Sevalla); activation "
        "comes before any other change, suspension after.",
    )
    external_connection_enabled: bool | None = switchable(
        "Whether the database is reachable from outside Sevalla (external_hostname and "
        "external_port are then set).",
        "Set true or false to turn the external connection on or off (unset: as it is in Sevalla).",
        api="external_hostname",
        read=present,
    )
    cluster_display_name: str | None = computed("Cluster display name.")
    cluster_location: str | None = computed("Cluster location.")
    resource_type_name: str | None = computed("Size name.")
    cpu_limit: int | None = computed("CPU limit (millicores).")
    memory_limit: int | None = computed("Memory limit (MB).")
    storage_size: int | None = computed("Storage size (MB).")
    internal_hostname: str | None = computed("Hostname inside the cluster.")
    internal_port: str | None = computed("Port inside the cluster.", read=port_text)
    external_hostname: str | None = computed("Public hostname.", sensitive=True)
    external_port: str | None = computed("Public port.", read=port_text)
    company_id: str | None = computed("Owning company.")


UPDATABLE = DatabaseState.names(update=True)
CREATE_FIELDS = DatabaseState.names(create=True)
WRITE_ONCE = DatabaseState.names(create=True, update=False, returned=False)


@register_resource("sevalla_database")
class Database(ServiceResource):
    config_class = state_class = DatabaseState
    kind = DATABASE
    noun = "database"
    timeout_defaults = TIMEOUT_DEFAULTS

    def check(self, config: DatabaseState) -> list[Problem]:
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

    async def _create_apply(self, ctx: ResourceContext) -> tuple[DatabaseState, None]:
        config = typed(ctx.config, DatabaseState)
        # Unset extensions are left out, not sent as null (as the official client does).
        body = {n: without_nulls(getattr(config, n)) for n in CREATE_FIELDS if getattr(config, n) is not None}
        with reported("create database"):
            created = await get_client().create(DATABASE.collection(), body)
        ready = await wait_for_status(
            DATABASE.ref(created["id"]),
            ("ready",),
            within=timeout_seconds(config.timeouts, "create", TIMEOUT_DEFAULTS),
            action="wait for the new database to be ready",
            failed=STUCK,
        )
        return DatabaseState.from_api(ready, config), None

    async def _update_apply(self, ctx: ResourceContext) -> tuple[DatabaseState, None]:
        planned = typed(ctx.planned_state, DatabaseState)
        prior = typed(ctx.state, DatabaseState)
        ref = DATABASE.ref(str(prior.id))
        timeout = timeout_seconds(planned.timeouts, "update", TIMEOUT_DEFAULTS)
        changed = plan_changes(attrs.asdict(planned), prior, UPDATABLE)
        # One that stays suspended (or is suspended after this change) is settled suspended too.
        settled = ("ready", "suspended") if planned.is_suspended else ("ready",)
        stuck = tuple(status for status in STUCK if status not in settled)
        if changed:
            await wait_for_status(
                ref, settled, within=timeout, action="wait for the database to be ready", failed=stuck
            )
            with reported("update database"):
                await get_client().update(ref, {n: json_ready(getattr(planned, n)) for n in changed})
        body = await wait_for_status(
            ref, settled, within=timeout, action="wait for the database update to finish", failed=stuck
        )
        return DatabaseState.from_api(body, planned), None

    async def _delete_apply(self, ctx: ResourceContext) -> None:
        """Wait until it can be deleted (gone already: done; already deleting: no second DELETE),
        DELETE, then wait until it is gone, all within the delete timeout: a destroy returns once
        the database is gone, so a re-create of the same name or a dependent does not collide."""
        prior = typed(ctx.state, DatabaseState)
        ref = DATABASE.ref(str(prior.id))
        within = timeout_seconds(prior.timeouts, "delete", TIMEOUT_DEFAULTS)
        found = await poll_until(
            ref,
            lambda body: body is None or body.get("status") in (*DELETABLE, "deleting"),
            within=within,
            action="wait for the database to be deletable",
            waiting_for=" or ".join(DELETABLE),
        )
        if found is None:
            return
        if found.get("status") != "deleting":
            with reported("delete database"):
                await get_client().delete(ref)
        await wait_until_gone(ref, within=within, action="wait for the database to be deleted")
