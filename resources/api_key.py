"""sevalla_api_key: an API key of the company, with roles and/or capabilities (permissions,
optionally limited to one resource). Import id: the key's id.

The API shows the key's `token` once, in the answer to its creation: it is kept in state
(sensitive) and is null after an import. `expires_at` is the API's `expired_at`; `role_ids` is
read back from the key's `roles`. Every argument is changed in place (PATCH).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs
from pyvider.cty import CtyValue
from pyvider.resources import ResourceContext, register_resource
from pyvider.schema import a_list, a_obj, a_str

from provider.attributes import computed, declared, optional, or_kept, projected, required, switchable
from provider.client import SevallaError
from provider.client.creates import forget_made
from provider.client.kinds import API_KEY
from provider.diagnostics import reported
from provider.handlers import read_existing
from provider.runtime import get_client
from resources._base import (
    Problem,
    ServiceResource,
    Timestamped,
    json_ready,
    length_between,
    plan_changes,
    typed,
    unknown_string,
)
from resources._checks import UNKNOWN, iso_timestamp, known_items, matches, not_empty

TOKEN_TRIES = 2
ROLE_FIELDS = ("id", "name", "description")

PERMISSION_PATTERN = r"[A-Za-z0-9_.*-]+:[A-Za-z0-9_.*-]+"


def _instant(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def expiry(expired_at: Any, kept: Any) -> Any:
    """The API's `expired_at`, spelled as the configuration does when it is the same instant."""
    if kept is not None and _instant(kept) == _instant(expired_at) is not None:
        return kept
    return expired_at


def ids_of_roles(roles: Any, kept: Any) -> list[str] | None:
    """`role_ids` from the key's `roles`, in the configured order when they are the same roles."""
    role_ids = [str(role["id"]) for role in roles or []]
    if kept is not None and sorted(kept) == sorted(role_ids):
        return list(kept)  # same roles: keep the configured order ([] included)
    return role_ids or None


@attrs.frozen(kw_only=True)
class ApiKeyState(Timestamped):
    id: str | None = computed("API key ID.")
    name: str = required("Name (1-255 characters).")
    expires_at: str | None = optional(
        'When the key stops working (ISO 8601, e.g. "2030-01-01T00:00:00Z"); never when unset.',
        api="expired_at",
        read=expiry,
    )
    capabilities: list[dict[str, Any]] | None = declared(
        a_list(
            a_obj(
                {
                    "permission": a_str(
                        required=True,
                        description=(
                            "Permission name, <resource>:<action> such as app:read (see the "
                            "sevalla_api_key_permissions data source; the set is not documented)."
                        ),
                    ),
                    "id_resource": a_str(
                        optional=True, description="Limit the permission to this resource's id."
                    ),
                }
            ),
            optional=True,
            computed=True,
            description="Permissions granted directly: [{ permission, id_resource }].",
        ),
        read=projected("permission", "id_resource"),
    )
    role_ids: list[str] | None = optional(
        "Roles granted (see sevalla_api_key_roles).", api="roles", read=ids_of_roles
    )
    # Shown once, in the answer to the create: kept (null after an import).
    token: str | None = computed(
        "The key itself. Only returned when the key is created (null after an import).",
        sensitive=True,
        read=or_kept,
    )
    roles: list[dict[str, Any]] | None = declared(
        a_list(
            a_obj({name: a_str() for name in ROLE_FIELDS}),
            computed=True,
            description="Roles granted: [{ id, name, description }].",
        ),
        read=projected(*ROLE_FIELDS),
    )
    enabled: bool | None = switchable(
        "Whether the key is enabled.",
        "Set true or false to enable or disable it (unset: as it is in Sevalla).",
        api="is_enabled",
    )
    source: str | None = computed("How the key was created.")
    last_used_at: str | None = computed("Last use (ISO 8601).")
    company_id: str | None = computed("Owning company.")


UPDATABLE = ApiKeyState.names(update=True)


def _wire(name: str, value: Any) -> tuple[str, Any]:
    """A Terraform argument as the API field."""
    if name == "expires_at":
        return "expired_at", value
    if name == "capabilities":
        return name, [
            {key: item[key] for key in ("permission", "id_resource") if item.get(key) is not None}
            for item in json_ready(value) or []
        ]
    if name == "role_ids":
        return name, list(value or [])
    return name, value


class TokenLost(SevallaError):
    """Every create of the key came back without its token."""


async def _create_with_token(body: dict[str, Any], name: str) -> dict[str, Any]:
    """POST the key; reconciled like every create, but a key found that way (after an ambiguous
    failure, or left by an interrupted run) comes without its token, which only the create's
    answer ever carries. Nobody has that token: the key is deleted and made again."""
    client = get_client()
    for _ in range(TOKEN_TRIES):
        created: dict[str, Any] = await client.create(API_KEY.collection(), body)
        if created.get("token"):
            return created
        await client.delete(API_KEY.ref(str(created["id"])))
        forget_made()  # the deleted key must not go into the state as the one made
    raise TokenLost(
        f"API key {name!r} was created {TOKEN_TRIES} times without an answer carrying its token "
        "(each was deleted again). Apply again."
    )


@register_resource("sevalla_api_key")
class ApiKey(ServiceResource):
    config_class = state_class = ApiKeyState
    noun = "API key"
    kind = API_KEY

    def check(self, config: ApiKeyState) -> list[Problem]:
        problems = length_between("name", config.name, 1, 255) + iso_timestamp(
            "expires_at", config.expires_at
        )
        # Permission names are not documented alike (app:read, APP:READ, DATABASE:CREATE): only the
        # form <resource>:<action> is checked, not the name.
        for index, capability in enumerate(known_items(config.capabilities)):
            permission = json_ready(capability.get("permission")) if isinstance(capability, dict) else UNKNOWN
            attribute = f"capabilities[{index}].permission"
            if permission is None or permission == "":
                problems.append((attribute, "must not be empty"))
            problems += matches(
                attribute, permission, PERMISSION_PATTERN, "<resource>:<action>, e.g. app:read"
            )
        for index, role_id in enumerate(known_items(config.role_ids)):
            problems += not_empty(f"role_ids[{index}]", role_id)
        return problems

    async def _update(self, ctx: ResourceContext, base_plan: dict[str, Any]) -> tuple[dict[str, Any], None]:
        prior = typed(ctx.state, ApiKeyState)
        changed = plan_changes(base_plan, prior, UPDATABLE)
        if changed:
            base_plan["updated_at"] = unknown_string()
        if "role_ids" in changed:
            base_plan["roles"] = CtyValue.unknown(self.get_schema().block.attributes["roles"].type)
        return base_plan, None

    async def _create_apply(self, ctx: ResourceContext) -> tuple[ApiKeyState, None]:
        config = typed(ctx.config, ApiKeyState)
        body = dict(
            _wire(name, getattr(config, name)) for name in UPDATABLE if getattr(config, name) is not None
        )
        with reported("create API key"):
            created = await _create_with_token(body, config.name)
        # The client read the rest back (the POST answers only {id, token, name}).
        return ApiKeyState.from_api(created, attrs.evolve(config, token=created["token"])), None

    async def _update_apply(self, ctx: ResourceContext) -> tuple[ApiKeyState, None]:
        planned = typed(ctx.planned_state, ApiKeyState)
        prior = typed(ctx.state, ApiKeyState)
        changed = plan_changes(attrs.asdict(planned), prior, UPDATABLE)
        ref = API_KEY.ref(str(prior.id))
        body = None
        if changed:
            with reported("update API key"):
                body = await get_client().update(
                    ref, dict(_wire(name, getattr(planned, name)) for name in changed)
                )
        if body is None:  # nothing to send, or an answer without a body
            body = await read_existing("read API key", ref, fresh=True)
        return ApiKeyState.from_api(body, attrs.evolve(planned, token=prior.token)), None
