"""sevalla_application_private_port: a port of a process reachable from the cluster's other
services. Every attribute forces replacement (the API has no update); `ProcessPortResource` is
shared with sevalla_application_tcp_proxy."""

from __future__ import annotations

from typing import Any

import attrs
from pyvider.resources import ResourceContext, register_resource

from provider.attributes import computed, parent, required
from provider.client.kinds import APPLICATION_PRIVATE_PORT
from provider.diagnostics import reported
from provider.runtime import get_client
from resources._base import ApplicationChild, Timestamped, json_ready
from resources._checks import Problem, port


@attrs.frozen(kw_only=True)
class ProcessPortState(Timestamped):
    """The table of a process's port; each type adds its id and its own computed attributes."""

    application_id: str = parent("Application of the process.")
    process_id: str = required("Process whose port is exposed.", requires_replace=True)
    port: int = required("Port the process listens on (1-65535).", requires_replace=True)
    status: str | None = computed("Status, e.g. active.")


class ProcessPortResource(ApplicationChild):
    """application_id, process_id and port (all required, forcing replacement) plus computed
    fields from the API; create = POST {process_id, port}."""

    def check(self, config: Any) -> list[Problem]:
        return port("port", config.port)

    async def _create_apply(self, ctx: ResourceContext) -> tuple[Any, None]:
        config: Any = ctx.config
        body = {"process_id": config.process_id, "port": json_ready(config.port)}
        with reported(f"create {self.noun}"):
            created = await get_client().create(self.kind.collection(config.application_id), body)
        return self.from_api(config.application_id, created, config), None


@attrs.frozen(kw_only=True)
class PrivatePortState(ProcessPortState):
    id: str | None = computed("Application private port ID.")


@register_resource("sevalla_application_private_port")
class ApplicationPrivatePort(ProcessPortResource):
    config_class = state_class = PrivatePortState
    noun = "application private port"
    kind = APPLICATION_PRIVATE_PORT
    child_id_label = "private_port_id"
