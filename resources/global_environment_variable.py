"""sevalla_global_environment_variable: a company-wide variable every application inherits
(and may override with its own). Read lists `/applications/global-env-vars` (paginated) and
picks this one; import by id."""

from __future__ import annotations

import attrs
from pyvider.resources import register_resource

from provider.client.kinds import GLOBAL_ENV_VAR
from resources._environment_variable import EnvironmentVariableResource


@attrs.define(frozen=True)
class GlobalEnvVarConfig:
    key: str
    value: str
    is_runtime: bool | None = None
    is_buildtime: bool | None = None


@attrs.define(frozen=True)
class GlobalEnvVarState(GlobalEnvVarConfig):
    id: str | None = None
    created_at: str | None = None
    updated_at: str | None = None


@register_resource("sevalla_global_environment_variable")
class GlobalEnvironmentVariable(EnvironmentVariableResource):
    config_class = GlobalEnvVarConfig
    state_class = GlobalEnvVarState
    noun = "global environment variable"
    parent_attribute = None
    id_description = "Global environment variable"
    kind = GLOBAL_ENV_VAR
