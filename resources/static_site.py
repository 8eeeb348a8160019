"""sevalla_static_site: a static site built from a git repository.

Create = POST with every configured field; update = PATCH with the changed ones (the API
accepts the same fields on both). Settings the configuration leaves out are whatever the API
chose (optional + computed).
"""

from __future__ import annotations

from functools import partial
from typing import Any

import attrs
from pyvider.resources import register_resource

from provider.attributes import computed, optional, required
from provider.client.kinds import STATIC_SITE
from resources._base import PatchedServiceResource, Problem, Timestamped, length_between, one_of

SOURCES = ("privateGit", "publicGit")
DEFAULT_SOURCE = "publicGit"
GIT_TYPES = ("github", "bitbucket", "gitlab")
LENGTHS = {
    "display_name": (2, 64),
    "repo_url": (1, 2048),
    "default_branch": (1, 255),
    "node_version": (0, 32),
}
setting = partial(optional, computed=True)  # what the configuration leaves out, the API chooses


@attrs.frozen(kw_only=True)
class StaticSiteState(Timestamped):
    id: str | None = computed("Static site ID.")
    display_name: str = required("Display name (2-64 characters).")
    repo_url: str = required("Git repository URL.")
    default_branch: str = required("Branch deployed by default.")
    source: str | None = setting(f"Repository access: {', '.join(SOURCES)}.", default=DEFAULT_SOURCE)
    auto_deploy: bool | None = setting("Deploy on every push to the default branch (API default true).")
    is_preview_enabled: bool | None = setting(
        "Build preview deployments for other branches (API default false)."
    )
    git_type: str | None = setting(f"Git host: {', '.join(GIT_TYPES)}.")
    project_id: str | None = setting("Project the site belongs to.")
    install_command: str | None = setting('Dependency install command, e.g. "npm ci".')
    build_command: str | None = setting('Build command, e.g. "npm run build".')
    published_directory: str | None = setting('Directory the build writes the site to, e.g. "dist".')
    root_directory: str | None = setting("Directory of the site in the repository.")
    node_version: str | None = setting('Node.js version used to build, e.g. "20".')
    index_file: str | None = setting('Page served for a directory (API default "index.html").')
    error_file: str | None = setting('Page served when nothing matches, e.g. "404.html".')
    name: str | None = computed("Unique name derived from the display name.")
    status: str | None = computed("Current status.")
    hostname: str | None = computed("Hostname the site is served on.")
    company_id: str | None = computed("Owning company.")


@register_resource("sevalla_static_site")
class StaticSite(PatchedServiceResource):
    config_class = state_class = StaticSiteState
    noun = "static site"
    kind = STATIC_SITE

    def check(self, config: StaticSiteState) -> list[Problem]:
        problems = one_of("source", config.source, SOURCES) + one_of("git_type", config.git_type, GIT_TYPES)
        for name, (shortest, longest) in LENGTHS.items():
            problems += length_between(name, getattr(config, name), shortest, longest)
        return problems

    def create_body(self, config: Any) -> dict[str, Any]:
        body = super().create_body(config)
        body.setdefault("source", DEFAULT_SOURCE)
        return body
