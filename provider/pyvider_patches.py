"""Every place this provider reaches into pyvider's internals, in one module.

pyvider (pinned: PYVIDER_VERSION, as in pyproject.toml) has no hook for any of these, so each is
a patch of something private, or a read of it. Each function below first checks that what it
touches still looks as it did in the pinned version -- and that the pinned version is the one
installed -- and raises `PyviderChanged` if not, instead of silently doing nothing.
`tests/provider/test_pyvider_patches.py` checks the same against the installed pyvider, and that
every patch takes effect.

What a caller does with `PyviderChanged` depends on what the patch is for:

- A normal provider start (the wrapper's fallback, or `SEVALLA_PROVIDER_WARM=0`) is correct
  without any of them: `capture_terraform_version` only adds Terraform's version to the
  User-Agent, `install_prompt_exit` only makes the exit faster. There the error is logged
  (`report`: an hclog ERROR line, which Terraform shows with `TF_LOG`) and pyvider's own
  behaviour stays: an unsupported pyvider must not turn a cosmetic or speed patch into an outage.
  Likewise `plugin_socket_path`, read at the prompt exit: reported, and the socket file stays.
- The warm server (`warm.server.preload`) installs the prompt exit and the entry-point memo and
  checks the rpc_config refresh before it listens, and lets the error end it: a forked child is
  only correct with `refresh_rpcplugin_config` (pyvider read the plugin's environment --
  certificate, transports -- when the server imported it, and the server's environment is
  scrubbed). Every start then falls back to a normal one (see `warm.launcher`), and the
  server's log says why.

Imports nothing of this project but `provider.logs` (when reporting), and pyvider only inside
the functions, so any layer may import it cheaply (`warm.entry` does, before pyvider's CLI).
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Callable
from typing import Any

# The pyvider these patches were written against and are tested with (pyproject.toml pins it).
PYVIDER_VERSION = "0.8.1"
# Each replacement carries what it replaced under this name: installs are idempotent (checked
# against the original), and tests can find pyvider's own.
ORIGINAL = "_sevalla_original"


class PyviderChanged(RuntimeError):
    """What a patch here touches in pyvider is not what it expects: it was not installed."""


def _expect(condition: bool, patch: str, what: str) -> None:
    if not condition:
        raise PyviderChanged(
            f"{patch}: pyvider changed ({what}); written for pyvider=={PYVIDER_VERSION}, "
            "see provider/pyvider_patches.py"
        )


def _parameters(function: Any) -> list[str]:
    try:
        return list(inspect.signature(function).parameters)
    except (TypeError, ValueError):
        return []


def check_version(patch: str) -> None:
    """The installed pyvider is the pinned one (its version is read once, when it is imported)."""
    import pyvider

    installed = getattr(pyvider, "__version__", None)
    _expect(installed == PYVIDER_VERSION, patch, f"pyvider {installed} is installed")


def report(error: PyviderChanged) -> None:
    """Log a patch that could not be installed, as an error in Terraform's log format."""
    from provider.logs import configure_logging

    configure_logging()
    logging.getLogger("sevalla.pyvider").error("%s; carrying on without it", error)


# --- ConfigureProvider: Terraform's version, for the User-Agent ------------------------------


def capture_terraform_version(record: Callable[[str], None]) -> None:
    """Wrap pyvider's ConfigureProvider handler so that `record` gets Terraform's version.

    Why: the provider's `configure()` hook only receives the configuration, but the User-Agent
    names Terraform's version, which only the ConfigureProvider request carries.
    What changes: `pyvider.protocols.tfprotov6.handlers.ConfigureProviderHandler` (which a
    `ProviderHandler` built later picks up) and the `ConfigureProvider` entry of the running
    server's handler table (`ProviderHandler._handlers`, which pyvider dispatches from: the
    server is built before discovery calls our registration). The wrapper calls `record` with
    the request's `terraform_version` ("" when Terraform sent none), then pyvider's handler.
    """
    patch = "ConfigureProvider wrap"
    check_version(patch)
    import attrs
    from pyvider.handler import ProviderHandler
    from pyvider.hub import hub
    from pyvider.protocols.tfprotov6 import handlers

    current: Any = getattr(handlers, "ConfigureProviderHandler", None)
    original: Any = getattr(current, ORIGINAL, current)
    _expect(
        inspect.iscoroutinefunction(original) and _parameters(original) == ["request", "context"],
        patch,
        "handlers.ConfigureProviderHandler is not `async (request, context)`",
    )
    _expect(
        attrs.has(ProviderHandler) and "_handlers" in attrs.fields_dict(ProviderHandler),
        patch,
        "ProviderHandler has no `_handlers` table",
    )
    wrapper: Any = current
    if current is original:

        async def configure_provider(request: Any, context: Any) -> Any:
            record(str(getattr(request, "terraform_version", "") or ""))
            return await original(request, context)

        setattr(configure_provider, ORIGINAL, original)
        handlers.ConfigureProviderHandler = configure_provider
        wrapper = configure_provider
    server = _plugin_server(hub)
    if server is not None:
        table = getattr(getattr(server, "handler", None), "_handlers", None)
        _expect(
            isinstance(table, dict) and "ConfigureProvider" in table,
            patch,
            "the running server's handler has no `_handlers['ConfigureProvider']`",
        )
        assert isinstance(table, dict)
        table["ConfigureProvider"] = wrapper


def _plugin_server(hub: Any) -> Any:
    """The running `RPCPluginServer` (pyvider registers a factory for it), or None."""
    factory = hub.get_component("singleton", "rpc_plugin_server")
    return factory() if callable(factory) else factory


# --- GRPCController.Shutdown: a prompt exit -------------------------------------------------


def install_prompt_exit(on_answered: Callable[[asyncio.AbstractEventLoop], None]) -> None:
    """Replace pyvider's Shutdown handler: `on_answered(loop)` runs once the answer is sent.

    Why: pyvider 0.8.1 answers Terraform's `plugin.GRPCController/Shutdown`, sleeps 0.1 s, sends
    itself SIGTERM and tears everything down gracefully (~0.2 s per start, 3-5 starts per
    Terraform command), when nothing is left to do (`warm.entry` explains).
    What changes: `GRPCControllerService.Shutdown` still shuts the stdio service down and sets
    the shutdown event, as pyvider's does, but instead of its delayed SIGTERM it asks gRPC to
    call `on_answered` (with the server's event loop; from any thread) once the answer has gone
    out. Called outside gRPC (no context), it keeps pyvider's own delayed shutdown.
    """
    patch = "Shutdown replacement"
    check_version(patch)
    from pyvider.rpcplugin.protocol import service

    controller: Any = getattr(service, "GRPCControllerService", None)
    _expect(controller is not None, patch, "no GRPCControllerService")
    current: Any = getattr(controller, "Shutdown", None)
    original: Any = getattr(current, ORIGINAL, current)
    _expect(
        _parameters(controller.__init__) == ["self", "shutdown_event", "stdio_service"],
        patch,
        "GRPCControllerService is not built from (shutdown_event, stdio_service)",
    )
    _expect(
        inspect.iscoroutinefunction(original) and _parameters(original) == ["self", "request", "context"],
        patch,
        "GRPCControllerService.Shutdown is not `async (self, request, context)`",
    )
    _expect(
        inspect.iscoroutinefunction(getattr(controller, "_delayed_shutdown", None)),
        patch,
        "no GRPCControllerService._delayed_shutdown",
    )
    _expect(hasattr(service, "CEmpty"), patch, "no service.CEmpty")
    if current is not original:
        return

    async def shutdown(self: Any, request: Any, context: Any) -> Any:
        self._stdio_service.shutdown()
        self._shutdown_event.set()
        if context is None:  # called outside gRPC (tests): keep pyvider's own path
            self._shutdown_task = asyncio.create_task(self._delayed_shutdown())
            return service.CEmpty()
        loop = asyncio.get_running_loop()
        context.add_done_callback(lambda _call: on_answered(loop))
        return service.CEmpty()

    setattr(shutdown, ORIGINAL, original)
    controller.Shutdown = shutdown


def plugin_socket_path() -> str | None:
    """The unix socket the running plugin server listens on (None: not serving, or not unix).

    Why: a prompt exit skips pyvider's teardown, which removes that socket; `warm.entry` removes
    it instead. Reads `RPCPluginServer._transport.path`.
    """
    patch = "plugin socket path"
    check_version(patch)
    from pyvider.hub import hub

    server = _plugin_server(hub)
    if server is None:
        return None
    _expect(hasattr(server, "_transport"), patch, "the plugin server has no `_transport`")
    path = getattr(server._transport, "path", None)
    return str(path) if path else None


# --- the warm server's children -------------------------------------------------------------


def refresh_rpcplugin_config() -> None:
    """Read pyvider's plugin configuration from the environment again, in place.

    Why: `pyvider.rpcplugin.config.rpcplugin_config` is read from the environment when pyvider
    is imported. The warm server imports pyvider with a scrubbed environment, and its forked
    children then adopt Terraform's (the magic cookie, `PLUGIN_CLIENT_CERT`, transports,
    protocol versions): without this they would shake hands with the server's.
    What changes: every attrs field of that object is set from a fresh `RPCPluginConfig.from_env()`,
    in place, because pyvider's server modules hold the object itself (`from ... import
    rpcplugin_config`), not the module.
    """
    rpc_config, fields = check_rpcplugin_config()
    fresh = rpc_config.RPCPluginConfig.from_env()
    for name in fields:
        setattr(rpc_config.rpcplugin_config, name, getattr(fresh, name))


def check_rpcplugin_config() -> tuple[Any, list[str]]:
    """`refresh_rpcplugin_config`'s checks (the warm server runs them before it listens):
    pyvider's config module and the field names to copy."""
    patch = "rpc_config refresh"
    check_version(patch)
    import attrs
    from pyvider.rpcplugin import config as rpc_config
    from pyvider.rpcplugin.server import core, network

    current: Any = getattr(rpc_config, "rpcplugin_config", None)
    config_class: Any = getattr(rpc_config, "RPCPluginConfig", None)
    _expect(
        config_class is not None and attrs.has(config_class) and isinstance(current, config_class),
        patch,
        "rpc_config.rpcplugin_config is not an attrs RPCPluginConfig",
    )
    _expect(callable(getattr(config_class, "from_env", None)), patch, "no RPCPluginConfig.from_env")
    _expect(
        getattr(core, "rpcplugin_config", None) is current
        and getattr(network, "rpcplugin_config", None) is current,
        patch,
        "the server modules no longer share rpc_config.rpcplugin_config",
    )
    fields = [attribute.name for attribute in attrs.fields(type(current))]
    _expect("plugin_client_cert" in fields, patch, "RPCPluginConfig has no plugin_client_cert")
    return rpc_config, fields


def remember_entry_points(metadata: Any) -> None:
    """Answer pyvider's component discovery from an entry-point list read once, now.

    Why: discovery reads the "pyvider" group with `importlib.metadata.entry_points(group=...)`,
    which reads every installed distribution's metadata (~60 here): ~5 ms per forked child. The
    list cannot go stale under the warm server: installing or removing a package changes
    site-packages, hence the server's key, hence the server.
    What changes: `metadata.entry_points` (pass `importlib.metadata`, the module discovery calls
    through) answers `group="pyvider"` from the remembered list, anything else as before.
    """
    patch = "entry-point memo"
    check_version(patch)
    import importlib.metadata

    from pyvider.hub import discovery

    group = getattr(getattr(discovery, "ComponentDiscovery", None), "ENTRY_POINT_GROUP", None)
    _expect(group == "pyvider", patch, f"discovery reads entry-point group {group!r}")
    _expect(
        getattr(getattr(discovery, "importlib", None), "metadata", None) is importlib.metadata,
        patch,
        "discovery no longer calls importlib.metadata.entry_points",
    )
    original = metadata.entry_points
    if hasattr(original, ORIGINAL):
        return
    remembered = original(group=group)

    def entry_points(**params: Any) -> Any:
        if params == {"group": group}:
            return remembered
        return original(**params)

    setattr(entry_points, ORIGINAL, original)
    metadata.entry_points = entry_points


# --- the RPCs this process served, for the metrics line --------------------------------------


def rpcs_served() -> dict[str, int]:
    """{RPC name: how many} this provider process served, read from pyvider's own per-handler
    request counter (`pyvider.observability.handler_requests`, labelled `handler=<RPC>` by
    `rpc_handler`), so the metrics can tell a plan from an apply or a destroy.

    Not a patch (nothing is changed), but it reads the counter's per-label values, which
    provide.foundation keeps in `_labels_values`: PyviderChanged when that is gone."""
    patch = "RPC counts"
    from pyvider.observability import handler_requests

    values = getattr(handler_requests, "_labels_values", None)
    _expect(isinstance(values, dict), patch, "handler_requests keeps no per-label values")
    served: dict[str, int] = {}
    for labels, count in values.items():  # type: ignore[union-attr]
        if str(labels).startswith("handler="):
            served[str(labels).removeprefix("handler=")] = int(count)
    return dict(sorted(served.items()))
