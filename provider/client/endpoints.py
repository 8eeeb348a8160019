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
