"""sevalla_application_environment_variable: one environment variable of an application (the
shared environment-variable resource, with the `is_runtime` and `is_buildtime` flags)."""

from __future__ import annotations

import attrs
from pyvider.resources import register_resource

from provider.client.kinds import APPLICATION_ENV_VAR
from resources._environment_variable import EnvironmentVariableResource


@attrs.define(frozen=True)
class EnvVarConfig:
    application_id: str
    key: str
    value: str
    is_runtime: bool | None = None
    is_buildtime: bool | None = None


@attrs.define(frozen=True)
class EnvVarState(EnvVarConfig):
    id: str | None = None
    created_at: str | None = None
    updated_at: str | None = None


@register_resource("sevalla_application_environment_variable")
class ApplicationEnvironmentVariable(EnvironmentVariableResource):
    config_class = EnvVarConfig
    state_class = EnvVarState
    noun = "application environment variable"
    kind = APPLICATION_ENV_VAR
