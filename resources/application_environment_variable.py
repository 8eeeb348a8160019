"""sevalla_application_environment_variable: one environment variable of an application (the
shared environment-variable resource, with the `is_runtime` and `is_buildtime` flags)."""

from __future__ import annotations

import attrs
from pyvider.resources import register_resource

from provider.attributes import parent
from provider.client.kinds import APPLICATION_ENV_VAR
from resources._environment_variable import EnvironmentVariableResource, RuntimeEnvVarState


@attrs.frozen(kw_only=True)
class ApplicationEnvVarState(RuntimeEnvVarState):
    application_id: str = parent("Application the variable belongs to.")


@register_resource("sevalla_application_environment_variable")
class ApplicationEnvironmentVariable(EnvironmentVariableResource):
    config_class = state_class = ApplicationEnvVarState
    noun = "application environment variable"
    kind = APPLICATION_ENV_VAR
