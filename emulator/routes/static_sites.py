"""Static sites with their env vars (bare-array list) and domains (reference §7.3)."""

from __future__ import annotations

from typing import Any

from emulator.catalog import COMPANY_ID
from emulator.crud import Context, Kind, Unique
from emulator.naming import service_name
from emulator.routes.common import ENV_KEY, ENV_VALUE, GIT_TYPE, PROJECT_ID, display_name
from emulator.routes.domains import domains_of
from emulator.store import Body
from emulator.validation import array, boolean, string

SOURCES = ("privateGit", "publicGit")
OPTIONAL_TEXT = string(nullable=True, max_len=1024)

CREATE = {
    "display_name": display_name(required=True),
    "repo_url": string(required=True, min_len=1, max_len=2048),
    "default_branch": string(required=True, min_len=1, max_len=255),
    "source": string(choices=SOURCES, default="publicGit"),
    "git_type": GIT_TYPE,
    "auto_deploy": boolean(default=True),
    "is_preview_enabled": boolean(default=False),
    "install_command": OPTIONAL_TEXT,
    "build_command": OPTIONAL_TEXT,
    "published_directory": OPTIONAL_TEXT,
    "root_directory": OPTIONAL_TEXT,
    "node_version": string(nullable=True, max_len=32),
    "index_file": string(nullable=True, max_len=255, default="index.html"),
    "error_file": string(nullable=True, max_len=255),
    "project_id": PROJECT_ID,
    "allow_deploy_paths": array(string(), default=[]),
    "ignore_deploy_paths": array(string(), default=[]),
}
UPDATE = {**CREATE, "display_name": display_name(required=False)}


def build(ctx: Context, data: dict[str, Any]) -> Body:
    name = service_name(data["display_name"])
    return {
        "company_id": COMPANY_ID,
        "name": name,
        "hostname": f"{name}.sevalla.page",
        "status": "inactive",  # nothing deployed yet
        **data,
    }


STATIC_SITES = Kind(
    name="static_sites",
    label="static site",
    path="static-sites",
    create_fields=CREATE,
    update_fields=UPDATE,
    build=build,
    summary=("id", "name", "display_name", "status", "source", "created_at", "updated_at"),
)

ENV_CREATE = {
    "key": ENV_KEY,
    "value": ENV_VALUE,
    "is_production": boolean(default=True),
    "is_preview": boolean(default=True),
    "branch": string(nullable=True, max_len=255),
}


def same_environment(one: Body, other: Body) -> bool:
    """Two variables of one key clash only for the same branch and a shared environment: the
    API keys them per environment and branch (one key for production, another for preview)."""
    shared = (one.get("is_production") and other.get("is_production")) or (
        one.get("is_preview") and other.get("is_preview")
    )
    return bool(shared) and one.get("branch") == other.get("branch")


def build_env_var(ctx: Context, data: dict[str, Any]) -> Body:
    return dict(data)


STATIC_SITE_ENV_VARS = Kind(
    name="static_site_env_vars",
    label="env var",
    path="env-vars",
    parent=STATIC_SITES,
    id_param="env_id",
    parent_field="static_site_id",
    create_fields=ENV_CREATE,
    update_fields=ENV_CREATE,
    build=build_env_var,
    list_style="array",
    update_method="PUT",
    unique=Unique(stored="key", field="key", clash=same_environment),
)

STATIC_SITE_DOMAINS = domains_of(STATIC_SITES, "static_site_domains")

KINDS = (STATIC_SITES, STATIC_SITE_ENV_VARS, STATIC_SITE_DOMAINS)
