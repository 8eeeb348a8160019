"""The provider: its configuration schema and the one API client it hands to every handler."""

from __future__ import annotations

import asyncio
import os
from typing import Any

from pyvider.capabilities import BaseCapability, register_capability
from pyvider.providers import BaseProvider, ProviderMetadata, register_provider
from pyvider.schema import PvsAttribute, a_bool, a_num, a_str

from provider.client import SevallaClient, SevallaError
from provider.diagnostics import to_terraform_error
from provider.formatting import shown
from provider.logs import configure_logging
from provider.settings import KNOBS, Knob, resolve_settings
from provider.version import VERSION

_FACTORIES = {"bool": a_bool, "int": a_num, "float": a_num, "duration": a_str, "str": a_str}


def _knob_attribute(knob: Knob) -> PvsAttribute:
    """The description says the range, the variable and the default as HCL writes it (`true`,
    `10`, `"5m"`): it is what `terraform providers schema`, editors and docs/ show."""
    bounds = f" {knob.bounds}" if knob.bounds else ""
    default = f" Defaults to `{shown(knob.default)}`." if knob.default is not None else ""
    return _FACTORIES[knob.kind](
        description=f"{knob.description}{bounds} Environment variable `{knob.env}`.{default}",
        optional=True,
        sensitive=knob.sensitive,
    )


@register_capability("sevalla")
class SevallaSettingsCapability(BaseCapability):
    """Contributes the provider block's attributes (pyvider builds the schema from capabilities)."""

    def __init__(self, config: Any | None = None) -> None:
        self.config = config

    @staticmethod
    def get_schema_contribution() -> dict[str, PvsAttribute]:
        return {
            "api_key": a_str(
                description=(
                    "Sevalla API key (create one in the Sevalla dashboard under API keys). "
                    "Required, here or in the environment variable `SEVALLA_API_KEY`."
                ),
                optional=True,
                sensitive=True,
            ),
            "api_url": a_str(
                description=(
                    "Sevalla API base URL. Must be https, except for loopback hosts (the local "
                    "emulator). Environment variable `SEVALLA_API_URL`. Defaults to "
                    '`"https://api.sevalla.com/v3"`.'
                ),
                optional=True,
            ),
            **{knob.attribute: _knob_attribute(knob) for knob in KNOBS},
        }


@register_provider("sevalla")
class SevallaProvider(BaseProvider):
    def __init__(self) -> None:
        super().__init__(metadata=ProviderMetadata(name="sevalla", version=VERSION))
        self.client: SevallaClient | None = None
        self._closer: asyncio.Task[None] | None = None

    async def configure(self, config: Any) -> None:
        try:
            settings = resolve_settings(config)
        except SevallaError as exc:
            raise to_terraform_error("configure the provider", exc) from exc
        await super().configure(config)
        configure_logging()
        self.client = SevallaClient(settings, user_agent=user_agent())
        self.client.metrics.describe = describe_process
        self._closer = asyncio.get_running_loop().create_task(_close_when_stopping(self.client))


def describe_process() -> dict[str, Any]:
    """What the metrics line says about this process besides the client's counts."""
    from provider.pyvider_patches import PyviderChanged, rpcs_served
    from provider.runtime import terraform_version

    try:
        rpcs = rpcs_served()
    except PyviderChanged:
        rpcs = {}
    return {
        "provider_version": VERSION,
        "terraform_version": terraform_version(),
        # The Terraform process that started this provider (set by the wrapper Terraform runs),
        # which groups the provider processes of one command.
        "terraform_pid": os.environ.get("SEVALLA_TERRAFORM_PID"),
        "rpcs": rpcs,
    }


def user_agent() -> str:
    from provider.runtime import terraform_version

    return f"terraform-provider-sevalla/{VERSION} terraform/{terraform_version()}"


async def _close_when_stopping(client: SevallaClient) -> None:
    """Lives as long as the server: when the process winds down, asyncio cancels every task,
    and this one closes the pool and reports the client's metrics."""
    try:
        await asyncio.Event().wait()
    finally:
        await client.aclose()
