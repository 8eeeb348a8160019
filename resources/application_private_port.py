"""sevalla_application_private_port: a port of a process reachable from the cluster's other
services. Every attribute forces replacement (the API has no update); `ProcessPortResource` is
shared with sevalla_application_tcp_proxy."""

from __future__ import annotations

from typing import Any, ClassVar

import attrs
from pyvider.resources import ResourceContext, register_resource
from pyvider.schema import PvsAttribute, PvsSchema, a_num, a_str, s_resource

from provider.client.kinds import APPLICATION_PRIVATE_PORT
from provider.diagnostics import reported
from provider.runtime import get_client
from resources._base import ApplicationChild, json_ready, pick, timestamp_attributes
from resources._checks import Problem, port


class ProcessPortResource(ApplicationChild):
    """application_id, process_id and port (all required, forcing replacement) plus computed
    fields from the API; create = POST {process_id, port}."""

    computed: ClassVar[dict[str, PvsAttribute]]  # the type's own computed attributes

    @classmethod
    def get_schema(cls) -> PvsSchema:
        replace = {"required": True, "requires_replace": True}
        return s_resource(
            attributes={
                "id": a_str(computed=True, description=f"{cls.noun.capitalize()} ID."),
                "application_id": a_str(**replace, description="Application of the process."),
                "process_id": a_str(**replace, description="Process whose port is exposed."),
                "port": a_num(**replace, description="Port the process listens on (1-65535)."),
                **cls.computed,
                "status": a_str(computed=True, description="Status, e.g. active."),
                **timestamp_attributes(),
            }
        )

    def check(self, config: Any) -> list[Problem]:
        return port("port", config.port)

    def from_api(self, application_id: str, body: dict[str, Any], kept: Any) -> Any:
        state_class: Any = self.state_class
        names = [field.name for field in attrs.fields(state_class) if field.name != "application_id"]
        return state_class(application_id=application_id, **pick(body, names))

    async def _create_apply(self, ctx: ResourceContext) -> tuple[Any, None]:
        config: Any = ctx.config
        body = {"process_id": config.process_id, "port": json_ready(config.port)}
        with reported(f"create {self.noun}"):
            created = await get_client().create(self.kind.collection(config.application_id), body)
        return self.from_api(config.application_id, created, config), None


@attrs.define(frozen=True)
class PrivatePortConfig:
    application_id: str
    process_id: str
    port: int


@attrs.define(frozen=True)
class PrivatePortState(PrivatePortConfig):
    id: str | None = None
    status: str | None = None
    created_at: str | None = None
    updated_at: str | None = None


@register_resource("sevalla_application_private_port")
class ApplicationPrivatePort(ProcessPortResource):
    config_class = PrivatePortConfig
    state_class = PrivatePortState
    noun = "application private port"
    kind = APPLICATION_PRIVATE_PORT
    child_id_label = "private_port_id"
    computed: ClassVar[dict[str, PvsAttribute]] = {}
