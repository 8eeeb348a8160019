"""sevalla_static_site_environment_variable: one environment variable of a static site.

The shared environment-variable resource (list-and-filter read, PUT update), with the static
site's flags: `is_production`, `is_preview` (API defaults true) and an optional `branch`.
The API lists a site's variables as a bare array; the client reads both list shapes.
"""

from __future__ import annotations

from typing import Any, ClassVar

import attrs
from pyvider.resources import register_resource
from pyvider.schema import PvsAttribute, a_bool, a_str

from provider.client.kinds import STATIC_SITE_ENV_VAR
from resources._checks import Problem, length_between
from resources._environment_variable import EnvironmentVariableResource


@attrs.define(frozen=True)
class StaticSiteEnvVarConfig:
    static_site_id: str
    key: str
    value: str
    is_production: bool | None = None
    is_preview: bool | None = None
    branch: str | None = None


@attrs.define(frozen=True)
class StaticSiteEnvVarState(StaticSiteEnvVarConfig):
    id: str | None = None
    created_at: str | None = None
    updated_at: str | None = None


@register_resource("sevalla_static_site_environment_variable")
class StaticSiteEnvironmentVariable(EnvironmentVariableResource):
    config_class = StaticSiteEnvVarConfig
    state_class = StaticSiteEnvVarState
    noun = "static site environment variable"
    parent_attribute = "static_site_id"
    parent_description = "Static site the variable belongs to."
    flags: ClassVar[dict[str, PvsAttribute]] = {
        "is_production": a_bool(
            optional=True, computed=True, description="Used by production deployments (API default true)."
        ),
        "is_preview": a_bool(
            optional=True, computed=True, description="Used by preview deployments (API default true)."
        ),
        "branch": a_str(optional=True, description="Only for this branch; all branches when unset."),
    }
    kind = STATIC_SITE_ENV_VAR

    def check(self, config: Any) -> list[Problem]:
        problems = super().check(config)
        return problems + length_between("branch", config.branch, 1, 255)
