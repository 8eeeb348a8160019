"""API paths, in one place, so resources never spell a URL by hand."""

from __future__ import annotations


def applications() -> str:
    return "applications"


def application(app_id: str) -> str:
    return f"applications/{app_id}"


def application_env_vars(app_id: str) -> str:
    return f"applications/{app_id}/env-vars"


def application_env_var(app_id: str, env_var_id: str) -> str:
    return f"applications/{app_id}/env-vars/{env_var_id}"


def databases() -> str:
    return "databases"


def database(database_id: str) -> str:
    return f"databases/{database_id}"


def clusters() -> str:
    return "resources/clusters"


def process_resource_types() -> str:
    return "resources/process-resource-types"


def database_resource_types() -> str:
    return "resources/database-resource-types"


def global_env_vars() -> str:
    return "applications/global-env-vars"


def global_env_var(env_var_id: str) -> str:
    return f"applications/global-env-vars/{env_var_id}"


def application_domains(app_id: str) -> str:
    return f"applications/{app_id}/domains"


def application_domain(app_id: str, domain_id: str) -> str:
    return f"applications/{app_id}/domains/{domain_id}"


def application_processes(app_id: str) -> str:
    return f"applications/{app_id}/processes"


def application_process(app_id: str, process_id: str) -> str:
    return f"applications/{app_id}/processes/{process_id}"


def application_private_ports(app_id: str) -> str:
    return f"applications/{app_id}/private-ports"


def application_private_port(app_id: str, port_id: str) -> str:
    return f"applications/{app_id}/private-ports/{port_id}"


def application_tcp_proxies(app_id: str) -> str:
    return f"applications/{app_id}/tcp-proxies"


def application_tcp_proxy(app_id: str, proxy_id: str) -> str:
    return f"applications/{app_id}/tcp-proxies/{proxy_id}"


def application_ip_restriction(app_id: str) -> str:
    return f"applications/{app_id}/ip-restriction"


def application_deployment_hook(app_id: str) -> str:
    return f"applications/{app_id}/deployment-hook"


def application_deployments(app_id: str) -> str:
    return f"applications/{app_id}/deployments"


def application_deployment(app_id: str, deployment_id: str) -> str:
    return f"applications/{app_id}/deployments/{deployment_id}"


def users() -> str:
    return "users"


def object_storages() -> str:
    return "object-storage"


def object_storage(storage_id: str) -> str:
    return f"object-storage/{storage_id}"


def object_storage_cors_policies(storage_id: str) -> str:
    return f"object-storage/{storage_id}/cors-policies"


def object_storage_cors_policy(storage_id: str, policy_id: str) -> str:
    return f"object-storage/{storage_id}/cors-policies/{policy_id}"


def static_sites() -> str:
    return "static-sites"


def static_site(site_id: str) -> str:
    return f"static-sites/{site_id}"


def static_site_env_vars(site_id: str) -> str:
    return f"static-sites/{site_id}/env-vars"


def static_site_env_var(site_id: str, env_var_id: str) -> str:
    return f"static-sites/{site_id}/env-vars/{env_var_id}"


def static_site_domains(site_id: str) -> str:
    return f"static-sites/{site_id}/domains"


def static_site_domain(site_id: str, domain_id: str) -> str:
    return f"static-sites/{site_id}/domains/{domain_id}"
