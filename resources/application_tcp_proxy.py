"""sevalla_application_tcp_proxy: a public TCP endpoint (hostname:external_port) in front of a
process's port. Every attribute forces replacement (the API has no update)."""

from __future__ import annotations

from typing import ClassVar

import attrs
from pyvider.resources import register_resource
from pyvider.schema import PvsAttribute, a_num, a_str

from provider.client.kinds import APPLICATION_TCP_PROXY
from resources.application_private_port import ProcessPortResource


@attrs.define(frozen=True)
class TcpProxyConfig:
    application_id: str
    process_id: str
    port: int


@attrs.define(frozen=True)
class TcpProxyState(TcpProxyConfig):
    id: str | None = None
    external_port: int | None = None
    hostname: str | None = None
    status: str | None = None
    created_at: str | None = None
    updated_at: str | None = None


@register_resource("sevalla_application_tcp_proxy")
class ApplicationTcpProxy(ProcessPortResource):
    config_class = TcpProxyConfig
    state_class = TcpProxyState
    noun = "application TCP proxy"
    kind = APPLICATION_TCP_PROXY
    child_id_label = "tcp_proxy_id"
    computed: ClassVar[dict[str, PvsAttribute]] = {
        "external_port": a_num(computed=True, description="Public port assigned by Sevalla."),
        "hostname": a_str(computed=True, description="Public hostname."),
    }
