"""Custom domains: one sub-API shared by applications, static sites (and later load balancers)."""

from __future__ import annotations

from typing import Any

from emulator.crud import Context, Kind, Unique, merge
from emulator.store import Body
from emulator.validation import boolean, string

DOMAIN_PATTERN = r"(\*\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
CNAME_TARGET = "cname.sevalla.com"

CREATE = {
    "domain_name": string(required=True, min_len=3, max_len=253, pattern=DOMAIN_PATTERN),
    "is_wildcard": boolean(default=False),
    "custom_ssl_cert": string(nullable=True),
    "custom_ssl_key": string(nullable=True),
}
UPDATE = {
    "name": string(required=True, min_len=3, max_len=253, pattern=DOMAIN_PATTERN),
    "custom_ssl_cert": string(nullable=True),
    "custom_ssl_key": string(nullable=True),
}


def _records(name: str) -> list[dict[str, str]]:
    return [{"type": "CNAME", "name": name, "value": CNAME_TARGET}]


def build(ctx: Context, data: dict[str, Any]) -> Body:
    name = data["domain_name"].lower()
    return {
        "name": name,
        "status": "ACTIVE",
        "type": "CUSTOM",
        "is_enabled": True,
        "is_wildcard": bool(data["is_wildcard"]) or name.startswith("*."),
        "is_primary": False,
        "dns_records": _records(name),
        "errors": None,
        # The certificate and key are secrets: kept, never returned.
        "_custom_ssl_cert": data["custom_ssl_cert"],
        "_custom_ssl_key": data["custom_ssl_key"],
    }


def update(ctx: Context, current: Body, changes: dict[str, Any]) -> Body:
    body = merge(ctx, current, {})
    if "name" in changes:
        body["name"] = changes["name"].lower()
        body["dns_records"] = _records(body["name"])
    for secret in ("custom_ssl_cert", "custom_ssl_key"):
        if secret in changes:
            body[f"_{secret}"] = changes[secret]
    return body


def domains_of(parent: Kind, name: str) -> Kind:
    """The domains kind under `parent`, stored as `name` (e.g. "application_domains")."""
    return Kind(
        name=name,
        label="domain",
        path="domains",
        parent=parent,
        id_param="domain_id",
        create_fields=CREATE,
        update_fields=UPDATE,
        build=build,
        update=update,
        unique=Unique(stored="name", field="domain_name"),
        list_style="array",  # a bare array, as the official client expects
    )
