"""Every schema attribute has a state field, and names match the official provider's."""

from __future__ import annotations

import pytest
from pyvider.testing import assert_schema_state_parity

from data_sources import DATA_SOURCES
from resources import RESOURCES

# Attribute names of the official provider (sevalla-hosting/sevalla), from the resource catalog.
OFFICIAL_ATTRIBUTES = {
    "sevalla_application": {
        "id", "display_name", "cluster_id", "source", "project_id", "repo_url", "docker_image",
        "docker_registry_credential_id", "git_type", "default_branch", "auto_deploy", "build_type",
        "build_path", "build_cache_enabled", "hibernation_enabled", "hibernate_after_seconds",
        "dockerfile_path", "docker_context", "pack_builder", "nixpacks_version", "allow_deploy_paths",
        "ignore_deploy_paths", "buildpacks", "wait_for_checks", "name", "namespace", "company_id", "type",
        "status", "is_suspended", "created_by", "created_at", "updated_at",
    },
    "sevalla_application_environment_variable": {
        "id", "application_id", "key", "value", "is_runtime", "is_buildtime", "created_at", "updated_at",
    },
    "sevalla_database": {
        "id", "display_name", "type", "version", "cluster_id", "db_name", "db_password", "db_user",
        "resource_type_id", "project_id", "extensions", "name", "status", "is_suspended",
        "cluster_display_name", "cluster_location", "resource_type_name", "cpu_limit", "memory_limit",
        "storage_size", "internal_hostname", "internal_port", "external_hostname", "external_port",
        "company_id", "created_at", "updated_at",
    },
}  # fmt: skip
# What we add on top (the official provider has no timeouts).
EXTRA_ATTRIBUTES = {"sevalla_database": {"timeouts"}}


@pytest.mark.parametrize("component", RESOURCES + DATA_SOURCES, ids=lambda c: c._registered_name)
def test_schema_and_state_class_agree(component: type) -> None:
    assert_schema_state_parity(component)


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda c: c._registered_name)
def test_attributes_match_the_official_provider(resource: type) -> None:
    name = resource._registered_name  # type: ignore[attr-defined]
    ours = set(resource.get_schema().block.attributes)
    assert ours == OFFICIAL_ATTRIBUTES[name] | EXTRA_ATTRIBUTES.get(name, set())


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda c: c._registered_name)
def test_secrets_are_sensitive(resource: type) -> None:
    attributes = resource.get_schema().block.attributes
    for secret in ("value", "db_password", "custom_ssl_key"):
        if secret in attributes:
            assert attributes[secret].sensitive, secret
