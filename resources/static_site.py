"""sevalla_static_site: a static site built from a git repository.

Create = POST with every configured field; update = PATCH with the changed ones (the API
accepts the same fields on both). Settings the configuration leaves out are whatever the API
chose (optional + computed).
"""

from __future__ import annotations

from typing import Any

import attrs
from pyvider.resources import register_resource
from pyvider.schema import PvsSchema, a_bool, a_str, s_resource

from provider.client.kinds import STATIC_SITE
from resources._base import (
    PatchedServiceResource,
    Problem,
    length_between,
    one_of,
    pick,
    timestamp_attributes,
)

SOURCES = ("privateGit", "publicGit")
DEFAULT_SOURCE = "publicGit"
GIT_TYPES = ("github", "bitbucket", "gitlab")
# Optional + computed settings, with their descriptions.
SETTINGS = {
    "git_type": f"Git host: {', '.join(GIT_TYPES)}.",
    "project_id": "Project the site belongs to.",
    "install_command": 'Dependency install command, e.g. "npm ci".',
    "build_command": 'Build command, e.g. "npm run build".',
    "published_directory": 'Directory the build writes the site to, e.g. "dist".',
    "root_directory": "Directory of the site in the repository.",
    "node_version": 'Node.js version used to build, e.g. "20".',
    "index_file": 'Page served for a directory (API default "index.html").',
    "error_file": 'Page served when nothing matches, e.g. "404.html".',
}
FLAGS = {
    "auto_deploy": "Deploy on every push to the default branch (API default true).",
    "is_preview_enabled": "Build preview deployments for other branches (API default false).",
}
WRITABLE = ("display_name", "repo_url", "default_branch", "source", *FLAGS, *SETTINGS)
FROM_API = (*WRITABLE, "id", "name", "status", "hostname", "company_id", "created_at", "updated_at")
LENGTHS = {
    "display_name": (2, 64),
    "repo_url": (1, 2048),
    "default_branch": (1, 255),
    "node_version": (0, 32),
}


@attrs.define(frozen=True)
class StaticSiteConfig:
    display_name: str
    repo_url: str
    default_branch: str
    source: str | None = None
    git_type: str | None = None
    project_id: str | None = None
    auto_deploy: bool | None = None
    is_preview_enabled: bool | None = None
    install_command: str | None = None
    build_command: str | None = None
    published_directory: str | None = None
    root_directory: str | None = None
    node_version: str | None = None
    index_file: str | None = None
    error_file: str | None = None


@attrs.define(frozen=True)
class StaticSiteState(StaticSiteConfig):
    id: str | None = None
    name: str | None = None
    status: str | None = None
    hostname: str | None = None
    company_id: str | None = None
    created_at: str | None = None
    updated_at: str | None = None


def state_from_api(body: dict[str, Any]) -> StaticSiteState:
    return StaticSiteState(**pick(body, FROM_API))  # type: ignore[arg-type]


@register_resource("sevalla_static_site")
class StaticSite(PatchedServiceResource):
    config_class = StaticSiteConfig
    state_class = StaticSiteState
    noun = "static site"
    kind = STATIC_SITE
    writable = WRITABLE

    @classmethod
    def get_schema(cls) -> PvsSchema:
        oc = {"optional": True, "computed": True}
        return s_resource(
            attributes={
                "id": a_str(computed=True, description="Static site ID."),
                "display_name": a_str(required=True, description="Display name (2-64 characters)."),
                "repo_url": a_str(required=True, description="Git repository URL."),
                "default_branch": a_str(required=True, description="Branch deployed by default."),
                "source": a_str(
                    optional=True,
                    computed=True,
                    default=DEFAULT_SOURCE,
                    description=f"Repository access: {', '.join(SOURCES)}.",
                ),
                **{name: a_bool(**oc, description=text) for name, text in FLAGS.items()},
                **{name: a_str(**oc, description=text) for name, text in SETTINGS.items()},
                "name": a_str(computed=True, description="Unique name derived from the display name."),
                "status": a_str(computed=True, description="Current status."),
                "hostname": a_str(computed=True, description="Hostname the site is served on."),
                "company_id": a_str(computed=True, description="Owning company."),
                **timestamp_attributes(),
            }
        )

    def check(self, config: StaticSiteConfig) -> list[Problem]:
        problems = one_of("source", config.source, SOURCES) + one_of("git_type", config.git_type, GIT_TYPES)
        for name, (shortest, longest) in LENGTHS.items():
            problems += length_between(name, getattr(config, name), shortest, longest)
        return problems

    def from_api(self, body: dict[str, Any], kept: Any) -> StaticSiteState:
        return state_from_api(body)

    def create_body(self, config: Any) -> dict[str, Any]:
        body = super().create_body(config)
        body.setdefault("source", DEFAULT_SOURCE)
        return body
