"""sevalla_docker_registry: credentials for pulling images from a private Docker registry.

Create = POST `{name, username, secret, registry}`; update = PATCH with the changed ones. The API
never returns the secret: it is kept from the configuration (null after an import, so the first
apply after an import sends it again, in place). `username` and `secret` are sensitive.
"""

from __future__ import annotations

from typing import Any

import attrs
from pyvider.resources import register_resource
from pyvider.schema import PvsSchema, a_str, s_resource

from provider.client.kinds import DOCKER_REGISTRY
from resources._base import (
    PatchedServiceResource,
    Problem,
    length_between,
    pick,
    timestamp_attributes,
)

REGISTRY_EXAMPLES = ("gcr", "ecr", "dockerHub", "github", "gitlab", "digitalOcean", "custom")
WRITABLE = ("name", "registry", "username", "secret")
FROM_API = ("id", "name", "registry", "username", "company_id", "created_at", "updated_at")


@attrs.define(frozen=True)
class DockerRegistryConfig:
    name: str
    username: str
    secret: str
    registry: str | None = None


@attrs.define(frozen=True)
class DockerRegistryState:
    name: str | None = None
    username: str | None = None
    secret: str | None = None
    registry: str | None = None
    id: str | None = None
    company_id: str | None = None
    created_at: str | None = None
    updated_at: str | None = None


def state_from_api(body: dict[str, Any], kept: Any) -> DockerRegistryState:
    """API values; the secret comes from `kept` (prior state or configuration; None on import)."""
    return DockerRegistryState(
        **pick(body, FROM_API),
        secret=getattr(kept, "secret", None),  # type: ignore[arg-type]
    )


@register_resource("sevalla_docker_registry")
class DockerRegistry(PatchedServiceResource):
    config_class = DockerRegistryConfig
    state_class = DockerRegistryState
    noun = "docker registry"
    kind = DOCKER_REGISTRY
    writable = WRITABLE

    @classmethod
    def get_schema(cls) -> PvsSchema:
        return s_resource(
            attributes={
                "id": a_str(computed=True, description="Docker registry credential ID."),
                "name": a_str(required=True, description="Name of the credential."),
                "registry": a_str(
                    optional=True,
                    computed=True,
                    description=f"Registry type, e.g. {', '.join(REGISTRY_EXAMPLES)} (API default dockerHub).",
                ),
                "username": a_str(required=True, sensitive=True, description="User name for the registry."),
                "secret": a_str(
                    required=True,
                    sensitive=True,
                    description="Password or token for the registry. Write-only: never returned by the API.",
                ),
                "company_id": a_str(computed=True, description="Owning company."),
                **timestamp_attributes(),
            }
        )

    def check(self, config: DockerRegistryConfig) -> list[Problem]:
        problems = length_between("name", config.name, 1, 255)
        problems += length_between("username", config.username, 1, 255)
        problems += length_between("secret", config.secret, 1, 4096)
        if config.registry is not None and not config.registry:
            problems.append(("registry", "must not be empty"))
        return problems

    def from_api(self, body: dict[str, Any], kept: Any) -> DockerRegistryState:
        return state_from_api(body, kept)

    def patch_body(self, planned: Any, changed: list[str]) -> dict[str, Any]:
        return {name: getattr(planned, name) for name in changed if getattr(planned, name) is not None}
