"""Docker registry credentials (reference §7.7): generic CRUD on `/docker-registries`.

POST `{name*, username*, secret*, registry}`; PATCH any of them. The secret is stored as
bookkeeping (`_secret`) and never returned; `registry` defaults to `dockerHub`. The list is
summaries `{id, name, registry, created_at, updated_at}`.
"""

from __future__ import annotations

from typing import Any

from emulator.catalog import COMPANY_ID
from emulator.crud import Context, Kind, merge
from emulator.store import Body
from emulator.validation import string

REGISTRIES = ("gcr", "ecr", "dockerHub", "github", "gitlab", "digitalOcean", "custom")
DEFAULT_REGISTRY = "dockerHub"

CREATE = {
    "name": string(required=True, min_len=1, max_len=255),
    "username": string(required=True, min_len=1, max_len=255),
    "secret": string(required=True, min_len=1, max_len=4096),
    "registry": string(choices=REGISTRIES, default=DEFAULT_REGISTRY),
}
UPDATE = {name: field for name, field in CREATE.items()}


def build(ctx: Context, data: dict[str, Any]) -> Body:
    return {
        "company_id": COMPANY_ID,
        "name": data["name"],
        "registry": data["registry"],
        "username": data["username"],
        "_secret": data["secret"],
    }


def update(ctx: Context, current: Body, changes: dict[str, Any]) -> Body:
    secret = changes.pop("secret", None)
    body = merge(ctx, current, changes)
    if secret is not None:
        body["_secret"] = secret
    return body


DOCKER_REGISTRIES = Kind(
    name="docker_registries",
    label="docker registry",
    path="docker-registries",
    create_fields=CREATE,
    update_fields=UPDATE,
    build=build,
    update=update,
    summary=("id", "name", "registry", "created_at", "updated_at"),
)

KINDS = (DOCKER_REGISTRIES,)
