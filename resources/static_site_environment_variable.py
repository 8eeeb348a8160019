"""sevalla_static_site_environment_variable: one environment variable of a static site.

The shared environment-variable resource (list-and-filter read, PUT update), with the static
site's flags: `is_production`, `is_preview` (API defaults true) and an optional `branch`.
The API lists a site's variables as a bare array; the client reads both list shapes.
"""

from __future__ import annotations

from typing import Any

import attrs
from pyvider.resources import register_resource

from provider.attributes import optional, parent
from provider.client.kinds import STATIC_SITE_ENV_VAR
from resources._checks import Problem, length_between
from resources._environment_variable import EnvironmentVariableResource, EnvVarState


@attrs.frozen(kw_only=True)
class StaticSiteEnvVarState(EnvVarState):
    static_site_id: str = parent("Static site the variable belongs to.")
    is_production: bool | None = optional("Used by production deployments (API default true).", computed=True)
    is_preview: bool | None = optional("Used by preview deployments (API default true).", computed=True)
    branch: str | None = optional("Only for this branch; all branches when unset.")


@register_resource("sevalla_static_site_environment_variable")
class StaticSiteEnvironmentVariable(EnvironmentVariableResource):
    config_class = state_class = StaticSiteEnvVarState
    noun = "static site environment variable"
    kind = STATIC_SITE_ENV_VAR

    def check(self, config: Any) -> list[Problem]:
        problems = super().check(config)
        return problems + length_between("branch", config.branch, 1, 255)
