"""sevalla_docker_registry (data source): one Docker registry credential by id, every attribute
computed. The API never returns the secret, so `secret` is always null here."""

from __future__ import annotations

from pyvider.data_sources import register_data_source

from data_sources._by_id import ByIdDataSource
from resources.docker_registry import DockerRegistry as DockerRegistryResource


@register_data_source("sevalla_docker_registry")
class DockerRegistry(ByIdDataSource):
    resource = DockerRegistryResource
    noun = "docker registry"
