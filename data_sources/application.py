"""sevalla_application (data source): one application by id, every attribute computed."""

from __future__ import annotations

import attrs
from pyvider.data_sources import BaseDataSource, register_data_source
from pyvider.exceptions import DataSourceError
from pyvider.resources import ResourceContext
from pyvider.schema import PvsSchema, s_data_source

from provider.client import endpoints
from resources._base import get_or_none, typed
from resources.application import Application as ApplicationResource
from resources.application import ApplicationState, state_from_api


@attrs.define(frozen=True)
class ApplicationLookup:
    id: str


@register_data_source("sevalla_application")
class Application(BaseDataSource):  # type: ignore[type-arg]
    config_class = ApplicationLookup
    state_class = ApplicationState

    @classmethod
    def get_schema(cls) -> PvsSchema:
        """The resource's attributes, all computed but `id`."""
        attributes = {}
        for name, attribute in ApplicationResource.get_schema().block.attributes.items():
            if name == "id":
                attributes[name] = attrs.evolve(attribute, required=True, computed=False)
            else:
                attributes[name] = attrs.evolve(
                    attribute, required=False, optional=False, computed=True, default=None
                )
        return s_data_source(attributes=attributes)

    async def _validate_config(self, config: ApplicationLookup) -> list[str]:
        return []

    async def read(self, ctx: ResourceContext) -> ApplicationState:
        app_id = typed(ctx.config, ApplicationLookup).id
        body = await get_or_none("read application", endpoints.application(app_id))
        if body is None:
            error = DataSourceError(
                f"No application with id {app_id!r} exists (or the API key cannot see it)."
            )
            error.add_context("terraform.summary", "Application not found")
            raise error
        return state_from_api(body, cluster_id=None)
