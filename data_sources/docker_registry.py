"""sevalla_docker_registry (data source): one Docker registry credential by id, every attribute
computed. The API never returns the secret, so `secret` is always null here."""

from __future__ import annotations

from typing import Any

from pyvider.data_sources import register_data_source

from data_sources._by_id import ByIdDataSource
from resources.docker_registry import DockerRegistry as DockerRegistryResource
from resources.docker_registry import DockerRegistryState, state_from_api


@register_data_source("sevalla_docker_registry")
class DockerRegistry(ByIdDataSource):
    resource = DockerRegistryResource
    noun = "docker registry"
    state_class = DockerRegistryState

    def from_api(self, body: dict[str, Any]) -> DockerRegistryState:
        return state_from_api(body, None)
