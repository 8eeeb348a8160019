"""sevalla_docker_registry: credentials for pulling images from a private Docker registry.

Create = POST `{name, username, secret, registry}`; update = PATCH with the changed ones. The API
never returns the secret: it is kept from the configuration (null after an import, so the first
apply after an import sends it again, in place). `username` and `secret` are sensitive.
"""

from __future__ import annotations

from typing import Any

import attrs
from pyvider.resources import register_resource

from provider.attributes import computed, needed_to_create, optional, required, write_only, write_only_version
from provider.client.kinds import DOCKER_REGISTRY
from resources._base import PatchedServiceResource, Problem, Timestamped, length_between

REGISTRY_EXAMPLES = ("gcr", "ecr", "dockerHub", "github", "gitlab", "digitalOcean", "custom")


@attrs.frozen(kw_only=True)
class DockerRegistryState(Timestamped):
    id: str | None = computed("Docker registry credential ID.")
    name: str = required("Name of the credential.")
    registry: str | None = optional(
        f"Registry type, e.g. {', '.join(REGISTRY_EXAMPLES)} (API default dockerHub).", computed=True
    )
    username: str | None = needed_to_create(
        "User name for the registry (unset: the one the registry has).", computed=True, sensitive=True
    )
    secret: str | None = needed_to_create(
        "Password or token for the registry, never returned by the API (null after an import, and "
        "may stay unset then).",
        sensitive=True,
        api=None,
    )
    secret_wo: str | None = write_only("secret")
    secret_wo_version: int | None = write_only_version("secret")
    company_id: str | None = computed("Owning company.")


@register_resource("sevalla_docker_registry")
class DockerRegistry(PatchedServiceResource):
    config_class = state_class = DockerRegistryState
    noun = "docker registry"
    kind = DOCKER_REGISTRY

    def check(self, config: DockerRegistryState) -> list[Problem]:
        problems = length_between("name", config.name, 1, 255)
        problems += length_between("username", config.username, 1, 255)
        problems += length_between("secret", config.secret, 1, 4096)
        if config.registry is not None and not config.registry:
            problems.append(("registry", "must not be empty"))
        return problems

    def patch_body(self, planned: Any, changed: list[str]) -> dict[str, Any]:
        return {name: getattr(planned, name) for name in changed if getattr(planned, name) is not None}
