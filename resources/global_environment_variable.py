"""sevalla_global_environment_variable: a company-wide variable every application inherits
(and may override with its own). Read lists `/applications/global-env-vars` (paginated) and
picks this one; import by id."""

from __future__ import annotations

import attrs
from pyvider.resources import register_resource

from provider.attributes import computed
from provider.client.kinds import GLOBAL_ENV_VAR
from resources._environment_variable import EnvironmentVariableResource, RuntimeEnvVarState


@attrs.frozen(kw_only=True)
class GlobalEnvVarState(RuntimeEnvVarState):
    id: str | None = computed("Global environment variable ID.")


@register_resource("sevalla_global_environment_variable")
class GlobalEnvironmentVariable(EnvironmentVariableResource):
    config_class = state_class = GlobalEnvVarState
    noun = "global environment variable"
    kind = GLOBAL_ENV_VAR
