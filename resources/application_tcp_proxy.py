"""sevalla_application_tcp_proxy: a public TCP endpoint (hostname:external_port) in front of a
process's port. Every attribute forces replacement (the API has no update)."""

from __future__ import annotations

import attrs
from pyvider.resources import register_resource

from provider.attributes import computed
from provider.client.kinds import APPLICATION_TCP_PROXY
from resources.application_private_port import ProcessPortResource, ProcessPortState


@attrs.frozen(kw_only=True)
class TcpProxyState(ProcessPortState):
    id: str | None = computed("Application tcp proxy ID.")
    external_port: int | None = computed("Public port assigned by Sevalla.")
    hostname: str | None = computed("Public hostname.")


@register_resource("sevalla_application_tcp_proxy")
class ApplicationTcpProxy(ProcessPortResource):
    config_class = state_class = TcpProxyState
    noun = "application TCP proxy"
    kind = APPLICATION_TCP_PROXY
    child_id_label = "tcp_proxy_id"
