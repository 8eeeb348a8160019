"""Object storage buckets and their CORS policies (reference §7.4; singular path `object-storage`)."""

from __future__ import annotations

import secrets
from typing import Any

from emulator.catalog import COMPANY_ID
from emulator.crud import Context, Kind, message, without
from emulator.naming import service_name
from emulator.routes.common import PROJECT_ID, display_name
from emulator.store import Body
from emulator.validation import array, boolean, string

LOCATIONS = ("apac", "eeur", "enam", "oc", "weur", "wnam")
JURISDICTIONS = ("default", "eu", "fedramp")
CORS_METHODS = ("GET", "PUT", "POST", "DELETE", "HEAD")
ENDPOINT = "https://emulator.r2.cloudflarestorage.com"

CREATE = {
    "display_name": display_name(required=True),
    "location": string(choices=LOCATIONS, default="enam"),
    "jurisdiction": string(choices=JURISDICTIONS, default="default"),
    "public_access": boolean(default=False),
    "project_id": PROJECT_ID,
}
UPDATE = {
    "display_name": display_name(required=False),
    "project_id": PROJECT_ID,
}


def build(ctx: Context, data: dict[str, Any]) -> Body:
    name = service_name(data["display_name"])
    return {
        "company_id": COMPANY_ID,
        "project_id": data["project_id"],
        "name": name,
        "display_name": data["display_name"],
        "status": "ready",  # buckets are created synchronously
        "location": data["location"],
        "jurisdiction": data["jurisdiction"],
        "public_access": data["public_access"],
        "domain": f"{name}.sevalla.storage" if data["public_access"] else None,
        "endpoint": ENDPOINT,
        "access_key": secrets.token_hex(16),
        "secret_key": secrets.token_hex(32),
        "bucket_name": name,
    }


OBJECT_STORAGE = Kind(
    name="object_storage",
    label="object storage",
    path="object-storage",
    create_fields=CREATE,
    update_fields=UPDATE,
    build=build,
    summary=("id", "name", "display_name", "status", "created_at", "updated_at"),
    # The real API's PATCH answer leaves these out (a GET shows them).
    update_answer=without("bucket_name", "endpoint", "access_key", "secret_key"),
)

CORS_CREATE = {
    "origins": array(string(min_len=1), required=True, min_len=1),
    "methods": array(string(choices=CORS_METHODS), required=True, min_len=1),
    "headers": array(string(min_len=1), default=[]),
}


def build_cors(ctx: Context, data: dict[str, Any]) -> Body:
    return dict(data)


CORS_POLICIES = Kind(
    name="object_storage_cors_policies",
    label="cors policy",
    path="cors-policies",
    parent=OBJECT_STORAGE,
    id_param="policy_id",
    parent_field="object_storage_id",
    create_fields=CORS_CREATE,
    update_fields=CORS_CREATE,
    build=build_cors,
    # The real API answers a create and an update with only a message (no id).
    create_answer=message("CORS policy created"),
    update_answer=message("CORS policy updated"),
)

KINDS = (OBJECT_STORAGE, CORS_POLICIES)
