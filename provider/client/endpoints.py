"""API paths, in one place, so resources never spell a URL by hand.

Every id goes through `segment`, so no id (from an import, the configuration or the API)
can change which endpoint a path names: `../applications` must not turn GET
webhooks/<id> into GET applications.
"""

from __future__ import annotations

import unicodedata

from provider.client.errors import InvalidIdError

# "/" starts another segment, "?" and "#" end the path, "%" escapes, "\\" is "/" to some servers.
_FORBIDDEN = "/?#%\\"


def id_problem(value: object) -> str | None:
    """Why `value` cannot be one segment of an API path, or None when it can.

    The one rule for ids: resources, data sources and imports check configured ids with it
    so the diagnostic lands on the attribute before any request."""
    if not isinstance(value, str):
        return "an id must be a string" if value is not None else "the id is missing"
    if not value:
        return "an id cannot be empty"
    if value in (".", ".."):
        return f"{value!r} is not an id (it names another path)"
    for char in value:
        if char in _FORBIDDEN:
            return f"an id cannot contain {char!r}"
        if char.isspace() or unicodedata.category(char).startswith("C"):
            return f"an id cannot contain whitespace or control characters (found {char!r})"
    return None


def segment(value: object) -> str:
    """`value` as one path segment; InvalidIdError when it is not a safe id."""
    problem = id_problem(value)
    if problem is not None or not isinstance(value, str):
        raise InvalidIdError(value, problem or "an id must be a string")
    return value


def item(collection: str, object_id: str) -> str:
    """`collection/<object_id>`, for types that know their collection path."""
    return f"{collection}/{segment(object_id)}"


def applications() -> str:
    return "applications"


def application(app_id: str) -> str:
    return f"applications/{segment(app_id)}"


def application_env_vars(app_id: str) -> str:
    return f"applications/{segment(app_id)}/env-vars"


def application_env_var(app_id: str, env_var_id: str) -> str:
    return f"applications/{segment(app_id)}/env-vars/{segment(env_var_id)}"


def databases() -> str:
    return "databases"


def database(database_id: str) -> str:
    return f"databases/{segment(database_id)}"


def clusters() -> str:
    return "resources/clusters"


def process_resource_types() -> str:
    return "resources/process-resource-types"


def database_resource_types() -> str:
    return "resources/database-resource-types"


def global_env_vars() -> str:
    return "applications/global-env-vars"


def global_env_var(env_var_id: str) -> str:
    return f"applications/global-env-vars/{segment(env_var_id)}"


def application_domains(app_id: str) -> str:
    return f"applications/{segment(app_id)}/domains"


def application_domain(app_id: str, domain_id: str) -> str:
    return f"applications/{segment(app_id)}/domains/{segment(domain_id)}"


def application_processes(app_id: str) -> str:
    return f"applications/{segment(app_id)}/processes"


def application_process(app_id: str, process_id: str) -> str:
    return f"applications/{segment(app_id)}/processes/{segment(process_id)}"


def application_private_ports(app_id: str) -> str:
    return f"applications/{segment(app_id)}/private-ports"


def application_private_port(app_id: str, port_id: str) -> str:
    return f"applications/{segment(app_id)}/private-ports/{segment(port_id)}"


def application_tcp_proxies(app_id: str) -> str:
    return f"applications/{segment(app_id)}/tcp-proxies"


def application_tcp_proxy(app_id: str, proxy_id: str) -> str:
    return f"applications/{segment(app_id)}/tcp-proxies/{segment(proxy_id)}"


def application_ip_restriction(app_id: str) -> str:
    return f"applications/{segment(app_id)}/ip-restriction"


def application_deployment_hook(app_id: str) -> str:
    return f"applications/{segment(app_id)}/deployment-hook"


def application_deployments(app_id: str) -> str:
    return f"applications/{segment(app_id)}/deployments"


def application_deployment(app_id: str, deployment_id: str) -> str:
    return f"applications/{segment(app_id)}/deployments/{segment(deployment_id)}"


def users() -> str:
    return "users"


def object_storages() -> str:
    return "object-storage"


def object_storage(storage_id: str) -> str:
    return f"object-storage/{segment(storage_id)}"


def object_storage_cors_policies(storage_id: str) -> str:
    return f"object-storage/{segment(storage_id)}/cors-policies"


def object_storage_cors_policy(storage_id: str, policy_id: str) -> str:
    return f"object-storage/{segment(storage_id)}/cors-policies/{segment(policy_id)}"


def static_sites() -> str:
    return "static-sites"


def static_site(site_id: str) -> str:
    return f"static-sites/{segment(site_id)}"


def static_site_env_vars(site_id: str) -> str:
    return f"static-sites/{segment(site_id)}/env-vars"


def static_site_env_var(site_id: str, env_var_id: str) -> str:
    return f"static-sites/{segment(site_id)}/env-vars/{segment(env_var_id)}"


def static_site_domains(site_id: str) -> str:
    return f"static-sites/{segment(site_id)}/domains"


def static_site_domain(site_id: str, domain_id: str) -> str:
    return f"static-sites/{segment(site_id)}/domains/{segment(domain_id)}"


def database_internal_connections(database_id: str) -> str:
    return f"databases/{segment(database_id)}/internal-connections"


def database_internal_connection(database_id: str, connection_id: str) -> str:
    return f"databases/{segment(database_id)}/internal-connections/{segment(connection_id)}"


def database_ip_restriction(database_id: str) -> str:
    return f"databases/{segment(database_id)}/ip-restriction"


def load_balancers() -> str:
    return "load-balancers"


def load_balancer(load_balancer_id: str) -> str:
    return f"load-balancers/{segment(load_balancer_id)}"


def load_balancer_destinations(load_balancer_id: str) -> str:
    return f"load-balancers/{segment(load_balancer_id)}/destinations"


def load_balancer_destination(load_balancer_id: str, destination_id: str) -> str:
    return f"load-balancers/{segment(load_balancer_id)}/destinations/{segment(destination_id)}"


def load_balancer_domains(load_balancer_id: str) -> str:
    return f"load-balancers/{segment(load_balancer_id)}/domains"


def load_balancer_domain(load_balancer_id: str, domain_id: str) -> str:
    return f"load-balancers/{segment(load_balancer_id)}/domains/{segment(domain_id)}"


def pipelines() -> str:
    return "pipelines"


def pipeline(pipeline_id: str) -> str:
    return f"pipelines/{segment(pipeline_id)}"


def pipeline_stages(pipeline_id: str) -> str:
    return f"pipelines/{segment(pipeline_id)}/stages"


def pipeline_stage(pipeline_id: str, stage_id: str) -> str:
    return f"pipelines/{segment(pipeline_id)}/stages/{segment(stage_id)}"


def pipeline_stage_apps(pipeline_id: str, stage_id: str) -> str:
    return f"pipelines/{segment(pipeline_id)}/stages/{segment(stage_id)}/apps"


def pipeline_stage_app(pipeline_id: str, stage_id: str, app_id: str) -> str:
    return f"pipelines/{segment(pipeline_id)}/stages/{segment(stage_id)}/apps/{segment(app_id)}"


def projects() -> str:
    return "projects"


def project(project_id: str) -> str:
    return f"projects/{segment(project_id)}"


def project_services(project_id: str) -> str:
    return f"projects/{segment(project_id)}/services"


def project_service(project_id: str, service_id: str) -> str:
    return f"projects/{segment(project_id)}/services/{segment(service_id)}"


def docker_registries() -> str:
    return "docker-registries"


def docker_registry(registry_id: str) -> str:
    return f"docker-registries/{segment(registry_id)}"


def webhooks() -> str:
    return "webhooks"


def webhook(webhook_id: str) -> str:
    return f"webhooks/{segment(webhook_id)}"


def api_keys() -> str:
    return "api-keys"


def api_key(key_id: str) -> str:
    return f"api-keys/{segment(key_id)}"


def api_key_permissions() -> str:
    return "resources/rbac/api-key-permissions"


def api_key_roles() -> str:
    return "resources/rbac/api-key-roles"
