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
    "sevalla_global_environment_variable": {
        "id", "key", "value", "is_runtime", "is_buildtime", "created_at", "updated_at",
    },
    "sevalla_database_internal_connection": {
        "id", "database_id", "target_id", "target_type", "source_type", "source_display_name",
        "target_display_name",
    },
    "sevalla_database_ip_restriction": {"database_id", "type", "is_enabled", "ip_list"},
    "sevalla_api_key": {
        "id", "name", "expires_at", "capabilities", "role_ids", "token", "roles", "enabled", "source",
        "last_used_at", "company_id", "created_at", "updated_at",
    },
    "sevalla_application_domain": {
        "id", "application_id", "name", "is_wildcard", "custom_ssl_cert", "custom_ssl_key", "type",
        "is_primary", "is_enabled", "status", "created_at", "updated_at",
    },
    "sevalla_application_process": {
        "id", "application_id", "display_name", "type", "resource_type_id", "scaling_strategy",
        "entrypoint", "port", "schedule", "job_start_policy", "time_zone", "is_ingress_enabled",
        "ingress_protocol", "liveness_probe", "readiness_probe", "key", "resource_type_name",
        "cpu_limit", "memory_limit", "internal_hostname", "created_at", "updated_at",
    },
    "sevalla_application_private_port": {
        "id", "application_id", "process_id", "port", "status", "created_at", "updated_at",
    },
    "sevalla_application_tcp_proxy": {
        "id", "application_id", "process_id", "port", "external_port", "hostname", "status",
        "created_at", "updated_at",
    },
    "sevalla_application_ip_restriction": {"application_id", "type", "is_enabled", "ip_list"},
    "sevalla_application_deployment_hook": {"application_id", "url"},
    "sevalla_application_deployment": {"id", "application_id", "is_restart", "triggers"},
    "sevalla_object_storage": {
        "id", "display_name", "location", "jurisdiction", "public_access", "project_id", "name", "domain",
        "endpoint", "access_key", "secret_key", "bucket_name", "company_id", "created_at", "updated_at",
    },
    "sevalla_object_storage_cors_policy": {
        "id", "object_storage_id", "allowed_origins", "allowed_methods", "allowed_headers",
    },
    "sevalla_static_site": {
        "id", "display_name", "repo_url", "default_branch", "source", "git_type", "project_id",
        "auto_deploy", "is_preview_enabled", "install_command", "build_command", "published_directory",
        "root_directory", "node_version", "index_file", "error_file", "name", "status", "hostname",
        "company_id", "created_at", "updated_at",
    },
    "sevalla_static_site_environment_variable": {
        "id", "static_site_id", "key", "value", "is_production", "is_preview", "branch", "created_at",
        "updated_at",
    },
    "sevalla_static_site_domain": {
        "id", "static_site_id", "name", "is_wildcard", "custom_ssl_cert", "custom_ssl_key", "type",
        "is_primary", "is_enabled", "status", "created_at", "updated_at",
    },
    "sevalla_load_balancer": {
        "id", "display_name", "type", "project_id", "name", "company_id", "created_at", "updated_at",
    },
    "sevalla_load_balancer_destination": {
        "id", "load_balancer_id", "service_type", "service_id", "weight", "url", "latitude", "longitude",
        "is_enabled", "created_at", "updated_at",
    },
    "sevalla_load_balancer_domain": {
        "id", "load_balancer_id", "name", "is_wildcard", "custom_ssl_cert", "custom_ssl_key", "type",
        "is_primary", "is_enabled", "status", "created_at", "updated_at",
    },
    "sevalla_pipeline": {
        "id", "display_name", "type", "project_id", "company_id", "created_at", "updated_at",
    },
    "sevalla_pipeline_stage": {
        "id", "pipeline_id", "name", "insert_before", "branch", "type", "order", "auto_create_app",
        "delete_stale_apps", "stale_app_days", "created_at", "updated_at",
    },
    "sevalla_pipeline_stage_application": {"pipeline_id", "stage_id", "application_id"},
    "sevalla_project": {"id", "display_name", "name", "company_id", "created_at", "updated_at"},
    "sevalla_project_service": {"id", "project_id", "service_id", "service_type"},
    "sevalla_docker_registry": {
        "id", "name", "registry", "username", "secret", "company_id", "created_at", "updated_at",
    },
    "sevalla_webhook": {
        "id", "endpoint", "allowed_events", "description", "is_enabled", "secret", "old_secret",
        "old_secret_expired_at", "created_by", "updated_by", "company_id", "created_at", "updated_at",
    },
}  # fmt: skip
# What we add on top (the official provider has no timeouts; a deployment's outcome is useful).
EXTRA_ATTRIBUTES = {
    "sevalla_database": {
        "timeouts",
        "external_connection_enabled",
        "db_password_wo",
        "db_password_wo_version",
    },
    "sevalla_application_deployment": {"timeouts", "status", "created_at", "finished_at"},
    "sevalla_docker_registry": {"secret_wo", "secret_wo_version"},
    **{
        name: {"value_wo", "value_wo_version"}
        for name in (
            "sevalla_application_environment_variable",
            "sevalla_static_site_environment_variable",
            "sevalla_global_environment_variable",
        )
    },
    **{
        name: {"custom_ssl_key_wo", "custom_ssl_key_wo_version"}
        for name in (
            "sevalla_application_domain",
            "sevalla_static_site_domain",
            "sevalla_load_balancer_domain",
        )
    },
}  # write-only twins (Terraform >= 1.11) of the official provider's secrets
# Nested attribute names of the official provider (catalog, "Nested structures").
PROBE_ATTRIBUTES = {
    "exec", "http_get", "tcp_socket", "initial_delay_seconds", "period_seconds", "timeout_seconds",
    "success_threshold", "failure_threshold",
}  # fmt: skip
SCALING_ATTRIBUTES = {
    "type", "instance_count", "min_instance_count", "max_instance_count", "target_cpu_percent",
    "target_memory_percent", "scale_up_interval_seconds", "scale_up_increment",
    "scale_down_interval_seconds", "scale_down_increment",
}  # fmt: skip
LIST_DATA_SOURCES = {
    "sevalla_applications": (
        "applications",
        {
            "id",
            "name",
            "display_name",
            "status",
            "type",
            "source",
            "is_suspended",
            "created_at",
            "updated_at",
        },
    ),
    "sevalla_users": ("users", {"id", "email", "full_name", "image"}),
    "sevalla_api_key_permissions": ("permissions", {"id", "name", "description", "resource", "action"}),
    "sevalla_api_key_roles": ("roles", {"id", "name", "description", "permissions"}),
    "sevalla_databases": (
        "databases",
        {"id", "name", "display_name", "type", "status", "is_suspended", "created_at", "updated_at"},
    ),
    "sevalla_load_balancers": (
        "load_balancers",
        {"id", "name", "display_name", "type", "created_at", "updated_at"},
    ),
    "sevalla_static_sites": (
        "static_sites",
        {"id", "name", "display_name", "status", "source", "created_at", "updated_at"},
    ),
}


@pytest.mark.parametrize("component", RESOURCES + DATA_SOURCES, ids=lambda c: c._registered_name)
def test_schema_and_state_class_agree(component: type) -> None:
    assert_schema_state_parity(component)


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda c: c._registered_name)
def test_attributes_match_the_official_provider(resource: type) -> None:
    name = resource._registered_name  # type: ignore[attr-defined]
    ours = set(resource.get_schema().block.attributes)
    assert ours == OFFICIAL_ATTRIBUTES[name] | EXTRA_ATTRIBUTES.get(name, set())


# Attributes named like a secret that are not one (the official provider does not mark them).
NOT_SECRET = {("sevalla_load_balancer_destination", "url")}


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda c: c._registered_name)
def test_secrets_are_sensitive(resource: type) -> None:
    attributes = resource.get_schema().block.attributes
    for secret in (
        "value",
        "db_password",
        "custom_ssl_cert",
        "custom_ssl_key",
        "url",
        "access_key",
        "secret_key",
        "username",
        "secret",
        "old_secret",
        "token",
    ):
        if secret in attributes and (resource._registered_name, secret) not in NOT_SECRET:  # type: ignore[attr-defined]
            assert attributes[secret].sensitive, secret


def test_process_nested_attributes_match_the_official_provider() -> None:
    from resources import ApplicationProcess

    attributes = ApplicationProcess.get_schema().block.attributes
    scaling = attributes["scaling_strategy"]
    assert scaling.required and scaling.object_type is not None
    assert set(scaling.object_type.attributes) == SCALING_ATTRIBUTES
    for name in ("liveness_probe", "readiness_probe"):
        probe = attributes[name]
        assert probe.optional and probe.computed and probe.object_type is not None
        nested = probe.object_type.attributes
        assert set(nested) == PROBE_ATTRIBUTES
        http_get = nested["http_get"].object_type
        assert http_get is not None
        assert set(http_get.attributes) == {"path", "port", "host", "scheme", "http_headers"}
        tcp_socket = nested["tcp_socket"].object_type
        assert tcp_socket is not None and set(tcp_socket.attributes) == {"host", "port"}


@pytest.mark.parametrize("name", sorted(LIST_DATA_SOURCES))
def test_list_data_sources_match_the_official_provider(name: str) -> None:
    data_source = next(d for d in DATA_SOURCES if d._registered_name == name)  # type: ignore[attr-defined]
    list_attribute, fields = LIST_DATA_SOURCES[name]
    attributes = data_source.get_schema().block.attributes
    assert set(attributes) == {list_attribute}
    assert set(attributes[list_attribute].type.element_type.attribute_types) == fields


@pytest.mark.parametrize(
    "name", ["sevalla_object_storage", "sevalla_static_site", "sevalla_database", "sevalla_api_key"]
)
def test_by_id_data_sources_mirror_the_resource(name: str) -> None:
    resource = next(r for r in RESOURCES if r._registered_name == name)  # type: ignore[attr-defined]
    data_source = next(d for d in DATA_SOURCES if d._registered_name == name)  # type: ignore[attr-defined]
    attributes = data_source.get_schema().block.attributes
    mirrored = {n for n, a in resource.get_schema().block.attributes.items() if not a.write_only}
    assert set(attributes) == mirrored - {n for n in mirrored if n.endswith("_wo_version")}
    assert attributes["id"].required
    assert all(a.computed and not a.requires_replace for n, a in attributes.items() if n != "id")
