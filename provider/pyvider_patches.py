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
- The speed patches (`SPEED_PATCHES`: pyvider's per-RPC and per-start costs, issue 15) only make
  things cheaper; each one that does not fit is reported and pyvider's own path stays
  (`install_speed_patches`). Each is checked against pyvider's own behaviour in the tests.

Imports nothing of this project but `provider.logs` (when reporting) and, inside the speed patches
that use them, `provider.cty_conversion`, `provider.cty_codec` and `provider.unchanged_plans` (which
import only pyvider and msgpack), and pyvider only inside the functions, so any layer may import it
cheaply (`warm.entry` does, before pyvider's CLI).
"""

from __future__ import annotations

import asyncio
import functools
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


def _names_called(function: Any) -> set[str]:
    """The global names a function (and what its decorators wrap) refers to, from its code objects:
    what `inspect.getsource` would show, also where there are no sources (the release artifact)."""
    names: set[str] = set()
    seen: set[int] = set()
    while function is not None and id(function) not in seen:
        seen.add(id(function))
        code = getattr(function, "__code__", None)
        if code is not None:
            names.update(code.co_names)
        function = getattr(function, "__wrapped__", None)
    return names


def _handler_impl(module: Any, rpc: str, name: str, patch: str) -> tuple[Any, Any]:
    """The function `module.<rpc>Handler` (pyvider's decorated handler, which counts requests)
    calls to do its work, `async (request, context)`: (what is there now, pyvider's own)."""
    current: Any = getattr(module, name, None)
    original: Any = getattr(current, ORIGINAL, current)
    _expect(inspect.iscoroutinefunction(original) and _parameters(original) == ["request", "context"],
            patch, f"{name} is not `async (request, context)`")  # fmt: skip
    handler = getattr(module, f"{rpc}Handler", None)
    _expect(handler is not None and name in _names_called(handler), patch,
            f"{rpc}Handler no longer calls {name}")  # fmt: skip
    return current, original


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


# --- Log calls below the active level: free ----------------------------------------------------

_QUIET_LEVELS = {"trace": 5, "debug": 10, "info": 20}


def quiet_log_calls() -> None:
    """Make provide.foundation's `trace`/`debug`/`info` return at once below the active level.

    Why: pyvider logs a dozen events per RPC at DEBUG and TRACE (and INFO), and the provider runs
    it at WARNING (the wrapper sets `PYVIDER_LOG_LEVEL`). provide.foundation filters such an event
    only at the end: each call looks the global logger up in the hub, binds a fresh structlog
    logger and formats the event first -- 10-20 µs a call, a tenth of a plan's CPU at N=1,000.
    What changes: those methods of `GlobalLoggerProxy` (pyvider's `logger`) and `FoundationLogger`
    first compare the event's level with the logger's `_effective_level` (what `setup` cached
    from the configuration) and with every per-module level (a module may be more verbose than
    the default), and return None when the event is below all of them; otherwise they call the
    original. Upstream, `FoundationLogger._log_with_level` could make the same check first.
    """
    patch = "quiet log calls"
    check_version(patch)
    from provide.foundation.logger import core

    proxy: Any = getattr(core, "GlobalLoggerProxy", None)
    foundation: Any = getattr(core, "FoundationLogger", None)
    numeric: Any = getattr(core, "_LEVEL_TO_NUMERIC", None)
    get_global_logger: Any = getattr(core, "get_global_logger", None)
    _expect(proxy is not None and foundation is not None, patch, "no GlobalLoggerProxy/FoundationLogger")
    _expect(isinstance(numeric, dict) and numeric.get("DEBUG") == 10, patch, "no _LEVEL_TO_NUMERIC")
    _expect(callable(get_global_logger), patch, "no get_global_logger")
    _expect("_effective_level" in foundation.__init__.__code__.co_names, patch,
            "FoundationLogger keeps no _effective_level")  # fmt: skip
    for name in _QUIET_LEVELS:
        for owner in (proxy, foundation):
            method = owner.__dict__.get(name)
            _expect(callable(method), patch, f"{owner.__name__}.{name} is gone")

    def floor(log: Any) -> int:
        """The lowest level any logger name may emit at (0: not configured, everything goes)."""
        level = int(getattr(log, "_effective_level", 0) or 0)
        config = getattr(getattr(log, "_active_config", None), "logging", None)
        for module_level in (getattr(config, "module_levels", None) or {}).values():
            level = min(level, numeric.get(str(module_level).upper(), 0))
        return level

    def quiet_proxy(name: str, original: Callable[..., Any], threshold: int) -> Callable[..., Any]:
        def method(self: Any, event: Any, *args: Any, **kwargs: Any) -> Any:
            log = get_global_logger()
            if threshold < floor(log):
                return None
            return getattr(log, name)(event, *args, **kwargs)

        setattr(method, ORIGINAL, original)
        return method

    def quiet_logger(original: Callable[..., Any], threshold: int) -> Callable[..., Any]:
        def method(self: Any, event: Any, *args: Any, **kwargs: Any) -> Any:
            if threshold < floor(self):
                return None
            return original(self, event, *args, **kwargs)

        setattr(method, ORIGINAL, original)
        return method

    for name, threshold in _QUIET_LEVELS.items():
        if not hasattr(proxy.__dict__[name], ORIGINAL):
            setattr(proxy, name, quiet_proxy(name, proxy.__dict__[name], threshold))
        if not hasattr(foundation.__dict__[name], ORIGINAL):
            setattr(foundation, name, quiet_logger(foundation.__dict__[name], threshold))


# --- A schema's cty type: made once ------------------------------------------------------------


def remember_schema_types() -> None:
    """`PvsObjectType.to_cty_type()` answers the type it made the first time, per schema object.

    Why: pyvider converts a resource's schema block into a `CtyObject` on every marshal and
    unmarshal (three to five times per RPC), rebuilding the attribute map, its nested blocks and
    the frozen set of optional names each time -- 3% of a plan's CPU at N=1,000.
    What changes: the method keeps what it returned per schema object (by identity: the class is
    a frozen attrs class, but its `attributes` dict makes it unhashable; the object is kept with
    its type, so an id is never reused while remembered: `provider.cty_codec.ByIdentity`). Safe because both are frozen: a schema object never changes, and a
    `CtyObject` is immutable, so one can be shared. Upstream, `to_cty_type` could be cached on
    the frozen instance.
    """
    patch = "schema type memo"
    check_version(patch)
    import attrs
    from pyvider.schema.types.object import PvsObjectType

    _expect(attrs.has(PvsObjectType), patch, "PvsObjectType is not an attrs class")
    try:
        probe: Any = PvsObjectType()
        probe.description = "changed"
        frozen = False
    except attrs.exceptions.FrozenInstanceError:
        frozen = True
    _expect(frozen, patch, "PvsObjectType is not frozen")
    current: Any = PvsObjectType.__dict__.get("to_cty_type")
    _expect(callable(current) and _parameters(current) == ["self"], patch, "to_cty_type is not `(self)`")
    if hasattr(current, ORIGINAL):
        return
    from provider.cty_codec import ByIdentity

    made: Any = ByIdentity()

    def to_cty_type(self: Any) -> Any:
        return made.get(self) or made.put(self, current(self))

    setattr(to_cty_type, ORIGINAL, current)
    setattr(PvsObjectType, "to_cty_type", to_cty_type)  # noqa: B010


# --- cty values into attrs instances: a converter made once per class ------------------------


def compile_cty_conversion() -> None:
    """`BaseResource._cty_to_attrs_recursive` through a converter made once per target type.

    Why: pyvider turns every configuration, state and plan into the resource's attrs instance
    (three to six times per RPC) by walking the value against the class's annotations, asking
    `get_origin`/`get_args`, `attrs.resolve_types` and `attrs.fields` again at every attribute
    of every call -- 7% of a plan's CPU at N=1,000.
    What changes: the same rules (`provider.cty_conversion` states them), with the questions
    about a type answered once per (type, apply_defaults). A class it cannot build (an attrs
    class refusing its arguments) goes to pyvider's own conversion, so errors read as before.
    Upstream, `_cty_to_attrs_recursive` could dispatch on a per-type plan the same way.
    """
    patch = "compiled cty conversion"
    check_version(patch)
    from pyvider.resources.base import BaseResource

    from provider import cty_conversion

    current: Any = BaseResource.__dict__.get("_cty_to_attrs_recursive")
    function: Any = getattr(current, "__func__", None)
    _expect(isinstance(current, classmethod) and function is not None, patch,
            "_cty_to_attrs_recursive is not a classmethod")  # fmt: skip
    _expect(_parameters(function) == ["cls", "data", "target_cls", "apply_defaults"], patch,
            "_cty_to_attrs_recursive is not (cls, data, target_cls, *, apply_defaults)")  # fmt: skip
    for helper in ("_handle_attrs_conversion", "_resolved_fields", "_is_null"):
        _expect(helper in BaseResource.__dict__, patch, f"BaseResource.{helper} is gone")
    if hasattr(function, ORIGINAL):
        return

    def fallback(data: Any, target_cls: Any, apply_defaults: bool) -> Any:
        return function(BaseResource, data, target_cls, apply_defaults=apply_defaults)

    converters = cty_conversion.Converters(fallback)

    def _cty_to_attrs_recursive(cls: Any, data: Any, target_cls: Any, *, apply_defaults: bool = False) -> Any:
        return converters.get(target_cls, apply_defaults)(data)

    setattr(_cty_to_attrs_recursive, ORIGINAL, function)
    replacement: Any = classmethod(_cty_to_attrs_recursive)
    setattr(BaseResource, "_cty_to_attrs_recursive", replacement)  # noqa: B010


# --- msgpack into cty values: a decoder made once per type ---------------------------------------


def compile_msgpack_decoding() -> None:
    """`cty_from_msgpack` builds its cty values through decoders made once per type.

    Why: every configuration, state and plan Terraform sends is unpacked from msgpack, then
    turned into cty values by the type's `validate` (key normalisation, cycle checks, paths, marks
    for every attribute): 100-300 µs for one resource, two to four times per RPC, 9% of a plan's
    CPU at N=1,000. Values from msgpack are plain trees, so objects and strings can be built
    directly (`provider.cty_codec` says how, and when it leaves the value to pyvider).
    What changes: `pyvider.cty.codec._unpacked_to_cty` (which `cty_from_msgpack` calls on what
    it unpacked) keeps its unknown and null branches and hands the rest to the type's decoder.
    Upstream, `cty_from_msgpack` could build values without re-validating what it just decoded.
    """
    patch = "compiled msgpack decoding"
    check_version(patch)
    from pyvider.cty import codec

    current: Any = getattr(codec, "_unpacked_to_cty", None)
    _expect(callable(current) and _parameters(getattr(current, ORIGINAL, current)) == ["data", "schema"],
            patch, "codec._unpacked_to_cty is not (data, schema)")  # fmt: skip
    _expect("_unpacked_to_cty" in codec.cty_from_msgpack.__code__.co_names, patch,
            "cty_from_msgpack no longer calls _unpacked_to_cty")  # fmt: skip
    unknown_marker: Any = getattr(codec, "UnknownValue", None)
    _expect(isinstance(unknown_marker, type), patch, "codec has no UnknownValue")
    if hasattr(current, ORIGINAL):
        return
    decoders = _decoders()
    value_class: Any = codec.CtyValue

    def _unpacked_to_cty(data: Any, schema: Any) -> Any:
        if isinstance(data, unknown_marker):
            return value_class.unknown(schema, value=data)
        if data is None:
            return value_class.null(schema)
        return decoders.get(schema)(data)

    setattr(_unpacked_to_cty, ORIGINAL, current)
    setattr(codec, "_unpacked_to_cty", _unpacked_to_cty)  # noqa: B010


@functools.cache
def _decoders() -> Any:
    """The one `provider.cty_codec.Decoders` of this process, whose objects fall back to pyvider's
    own `CtyObject.validate` (also when `compile_object_validation` routes that here)."""
    from pyvider.cty import CtyObject

    from provider import cty_codec

    validate: Any = CtyObject.__dict__["validate"]
    return cty_codec.Decoders(object_validate=getattr(validate, ORIGINAL, validate))


def compile_object_validation() -> None:
    """`CtyObject.validate` of a plain dict goes through the decoders made once per type.

    Why: besides what msgpack brings (`compile_msgpack_decoding`), pyvider validates the planned
    state every resource returns from `plan` (a dict of plain and cty values) and the planned
    identity, with the same per-attribute key normalisation, paths and cycle checks: a quarter
    of a PlanResourceChange.
    What changes: `pyvider.cty.CtyObject.validate` hands a value whose type is exactly `dict`
    to `provider.cty_codec.Decoders`, which leaves to pyvider's own `validate` whatever it does
    not build itself (and a cycle: pyvider reports it). A `CtyValue` of this very type (every
    state `marshal` encodes) is returned as it is, as pyvider's first check does after comparing
    the two types attribute by attribute. Anything else is pyvider's as before.
    Upstream, `CtyObject.validate` could keep its per-type work (names, normalised keys, paths)
    on the type.
    """
    patch = "compiled object validation"
    check_version(patch)
    from pyvider.cty import CtyObject, CtyValue

    current: Any = CtyObject.__dict__.get("validate")
    original: Any = getattr(current, ORIGINAL, current)
    _expect(callable(original) and _parameters(original) == ["self", "value"], patch,
            "CtyObject.validate is not (self, value)")  # fmt: skip
    if current is not original:
        return
    decoders = _decoders()

    def validate(self: Any, value: Any) -> Any:
        if type(value) is dict:
            return decoders.get(self)(value)
        if isinstance(value, CtyValue) and value.vtype is self and isinstance(value.value, dict):
            return value  # pyvider's own first answer, without comparing the type with itself
        return original(self, value)

    setattr(validate, ORIGINAL, original)
    setattr(CtyObject, "validate", validate)  # noqa: B010


# --- cty values into msgpack: an encoder made once per type ------------------------------------


def compile_msgpack_encoding() -> None:
    """pyvider's `marshal` packs cty values through encoders made once per type.

    Why: every state and plan the provider answers with is first copied without its marks
    (`_unmark_deep` rebuilds every node), then walked by `cty_to_msgpack` with a path string per
    attribute: 150-400 µs for one resource, once or twice per RPC.
    What changes: in `pyvider.conversion.marshaler`, the module `marshal` runs in, `_unmark_deep`
    passes the value through and `cty_to_msgpack` packs what `provider.cty_codec.Encoders` makes
    of it, which ignores marks (so the bytes are those of the unmarked value, as before). A value
    the encoders leave to pyvider gets pyvider's own `_unmark_deep` and `cty_to_msgpack`.
    Upstream, `cty_to_msgpack` could take an `unmark` flag and skip the copy.
    """
    patch = "compiled msgpack encoding"
    check_version(patch)
    import msgpack
    from pyvider.conversion import marshaler
    from pyvider.cty import codec

    from provider import cty_codec

    unmark: Any = getattr(marshaler, "_unmark_deep", None)
    encode: Any = getattr(marshaler, "cty_to_msgpack", None)
    _expect(callable(unmark) and callable(encode), patch, "marshaler has no _unmark_deep/cty_to_msgpack")
    names = marshaler.marshal.__code__.co_names
    _expect("_unmark_deep" in names and "cty_to_msgpack" in names, patch,
            "marshal no longer packs through _unmark_deep and cty_to_msgpack")  # fmt: skip
    users = [name for name, value in vars(marshaler).items()
             if inspect.isfunction(value) and "_unmark_deep" in value.__code__.co_names]  # fmt: skip
    _expect(users == ["marshal"], patch, f"_unmark_deep is used by {users}, not marshal alone")
    helpers = ("_serialize_unknown", "_serialize_decimal_value", "set_order_key", "_msgpack_default_handler")
    _expect(all(callable(getattr(codec, name, None)) for name in helpers), patch, "codec's serializers moved")
    if hasattr(encode, ORIGINAL):
        return
    encoders = cty_codec.Encoders(
        codec._serialize_unknown, codec._serialize_decimal_value, codec.set_order_key
    )
    default = codec._msgpack_default_handler

    def passed_through(value: Any) -> Any:
        return value

    def cty_to_msgpack(value: Any, schema: Any) -> bytes:
        try:
            data = encoders.get(schema)(value)
        except cty_codec.Unsupported:
            return bytes(encode(unmark(value), schema))
        return bytes(msgpack.packb(data, default=default, use_bin_type=True))

    setattr(passed_through, ORIGINAL, unmark)
    setattr(cty_to_msgpack, ORIGINAL, encode)
    setattr(marshaler, "_unmark_deep", passed_through)  # noqa: B010
    setattr(marshaler, "cty_to_msgpack", cty_to_msgpack)  # noqa: B010


# --- The provider configuration's attrs class: made once ----------------------------------------


CONFIG_CLASSES_KEPT = 64  # this provider makes one


def remember_config_classes() -> None:
    """`create_attrs_class_from_schema` answers the class it made before for the same schema.

    Why: pyvider's `BaseProvider.setup` makes the provider configuration's attrs class from the
    schema on every provider start (`attrs.make_class` compiles its methods: ~10 ms a start,
    three to five starts per Terraform command), though the schema is the same every time.
    What changes: `pyvider.common.utils.attrs_factory.create_attrs_class_from_schema` (which
    `setup` imports when it runs) keeps each class it made under the class name and the
    attributes' `repr` (frozen attrs values: the repr says everything the class is made from);
    at most `CONFIG_CLASSES_KEPT`, then forgotten at once. The warm server makes the provider's
    class before it forks (`warm.server.preload`), so its children find it made. Upstream,
    `setup` could keep the class with the schema it composed.
    """
    patch = "config class memo"
    check_version(patch)
    from pyvider.common.utils import attrs_factory

    current: Any = getattr(attrs_factory, "create_attrs_class_from_schema", None)
    _expect(callable(current) and _parameters(getattr(current, ORIGINAL, current)) == ["class_name", "attributes"],
            patch, "create_attrs_class_from_schema is not (class_name, attributes)")  # fmt: skip
    if hasattr(current, ORIGINAL):
        return
    made: dict[tuple[str, str], type] = {}

    def create_attrs_class_from_schema(class_name: str, attributes: dict[str, Any]) -> type:
        key = (class_name, repr(sorted(attributes.items())))
        cls = made.get(key)
        if cls is None:
            cls = current(class_name, attributes)
            if len(made) >= CONFIG_CLASSES_KEPT:
                made.clear()
            made[key] = cls
        return cls

    setattr(create_attrs_class_from_schema, ORIGINAL, current)
    attrs_factory.create_attrs_class_from_schema = create_attrs_class_from_schema


# --- The plugin's TLS certificate: made while nobody waits, on P-256 -------------------------

# What pyvider passes when it makes the plugin's server certificate (`_load_server_certificate`;
# `alt_names` comes from `network._server_cert_alt_names()` at the time).
SERVER_CERTIFICATE_ARGUMENTS = {
    "common_name": "pyvider.rpcplugin.autogen.server",
    "organization_name": "Pyvider AutoGenerated",
    "validity_days": 365,
}
# The curve of the plugin's certificate when the caller names none (pyvider's default is P-384).
# Terraform verifies the certificate's handshake signature in Go, whose P-384 has no assembly:
# measured with terraform 1.11.4 (`make bench-breakdown`, 3 pairs), handshake line → first RPC
# took 9-11 ms per start on P-384 and 3-5 ms on P-256, three starts per command. P-256 is what
# Go and BoringSSL make fast, and 128-bit security like the X25519 key exchange it sits beside.
PLUGIN_CERTIFICATE_CURVE = "secp256r1"
_made_ahead: dict[str, Any] = {}


def _certificate_key(kwargs: dict[str, Any]) -> str:
    return repr(sorted(kwargs.items()))


def take_certificates_made_ahead() -> None:
    """`Certificate.create_self_signed_server_cert` makes its keys on PLUGIN_CERTIFICATE_CURVE
    unless told otherwise, and hands out a certificate made ahead of time
    (`make_server_certificate_ahead`) once, when asked for one with the same arguments.

    Why: each provider start makes the plugin's TLS certificate (a new key pair and a signature:
    ~6 ms) between the launcher's call and the handshake line, that is while Terraform waits.
    The warm server's spare child (`warm.server`) can make it before any launcher arrives.
    What changes: the classmethod on `provide.foundation.crypto.Certificate` (which pyvider's
    server calls through `network.Certificate`) first looks for a certificate made ahead under
    the same keyword arguments, and removes it as it hands it out: a certificate, and its key,
    serve one provider process only, as before. Any other call makes a new one as before. A
    call that names no `ecdsa_curve` gets PLUGIN_CERTIFICATE_CURVE (why: see there).
    Upstream, the server could take a certificate factory.
    """
    patch = "certificate made ahead"
    check_version(patch)
    from provide.foundation.crypto import Certificate
    from pyvider.rpcplugin.server import network

    _expect(
        getattr(network, "Certificate", None) is Certificate, patch, "network.Certificate is another class"
    )
    _expect(
        callable(getattr(network, "_server_cert_alt_names", None)), patch, "no network._server_cert_alt_names"
    )
    current: Any = Certificate.__dict__.get("create_self_signed_server_cert")
    function: Any = getattr(current, "__func__", None)
    _expect(isinstance(current, classmethod) and function is not None, patch,
            "create_self_signed_server_cert is not a classmethod")  # fmt: skip
    parameters = _parameters(getattr(function, ORIGINAL, function))
    _expect(parameters[:5] == ["cls", "common_name", "organization_name", "validity_days", "alt_names"],
            patch, "create_self_signed_server_cert takes other arguments")  # fmt: skip
    _expect("ecdsa_curve" in parameters, patch, "create_self_signed_server_cert takes no ecdsa_curve")
    if hasattr(function, ORIGINAL):
        return

    def create_self_signed_server_cert(cls: Any, *args: Any, **kwargs: Any) -> Any:
        if not args:
            kwargs = {"ecdsa_curve": PLUGIN_CERTIFICATE_CURVE, **kwargs}
            made = _made_ahead.pop(_certificate_key(kwargs), None)
            if made is not None:
                return made
        return function(cls, *args, **kwargs)

    setattr(create_self_signed_server_cert, ORIGINAL, function)
    replacement: Any = classmethod(create_self_signed_server_cert)
    setattr(Certificate, "create_self_signed_server_cert", replacement)  # noqa: B010


def make_server_certificate_ahead() -> None:
    """Make the certificate the next provider start in this process will ask for (see
    `take_certificates_made_ahead`); at most one is kept."""
    from provide.foundation.crypto import Certificate
    from pyvider.rpcplugin.server import network

    kwargs = {
        **SERVER_CERTIFICATE_ARGUMENTS,
        "alt_names": network._server_cert_alt_names(),
        "ecdsa_curve": PLUGIN_CERTIFICATE_CURVE,
    }
    made = getattr(Certificate.create_self_signed_server_cert, "__func__", None)
    original = getattr(made, ORIGINAL, None)
    if original is None:  # not installed: nobody would take it
        return
    _made_ahead.clear()
    _made_ahead[_certificate_key(kwargs)] = original(Certificate, **kwargs)


# --- GetProviderSchema: answered from a schema made before the fork ------------------------------

_schema_made_ahead: list[bytes] = []  # the serialised response, made by `make_schema_ahead`


def answer_schema_made_ahead() -> None:
    """pyvider's GetProviderSchema answers with the response `make_schema_ahead` made, if any.

    Why: the first provider start of every Terraform command builds the whole schema (every
    resource, data source, list resource and action: ~20 ms) while Terraform waits. It is the
    same in every start, so the warm server builds it once before it forks.
    What changes: `get_provider_schema._get_provider_schema_impl` (which pyvider's decorated
    `GetProviderSchemaHandler` calls, so its request counter still counts) returns a copy of
    that response when one was made in this process (a forked child inherits it); otherwise it
    is pyvider's own. Upstream, the schema could be computed from the registered components
    ahead of the first request.
    """
    patch = "schema made ahead"
    check_version(patch)
    from pyvider.protocols.tfprotov6.handlers import get_provider_schema

    current, original = _handler_impl(
        get_provider_schema, "GetProviderSchema", "_get_provider_schema_impl", patch
    )
    _expect(inspect.iscoroutinefunction(getattr(get_provider_schema, "_compute_schema_once", None)), patch,
            "no _compute_schema_once")  # fmt: skip
    if current is not original:
        return
    response_class = get_provider_schema.pb.GetProviderSchema.Response

    async def _get_provider_schema_impl(request: Any, context: Any) -> Any:
        if _schema_made_ahead:
            return response_class.FromString(_schema_made_ahead[0])
        return await original(request, context)

    setattr(_get_provider_schema_impl, ORIGINAL, original)
    setattr(get_provider_schema, "_get_provider_schema_impl", _get_provider_schema_impl)  # noqa: B010


async def make_schema_ahead(provider_class: Any) -> None:
    """Build the GetProviderSchema response as a provider start would, from the components in
    pyvider's hub and a provider set up for it (then unregistered again), and keep it for
    `answer_schema_made_ahead`. A response with an error diagnostic is not kept (pyvider does
    not cache one either)."""
    from pyvider.hub import hub
    from pyvider.protocols.tfprotov6.handlers import get_provider_schema

    provider = provider_class()
    await provider.setup()
    previous = hub.get_component("singleton", "provider")
    hub.register("singleton", "provider", provider)
    try:
        response = await get_provider_schema._compute_schema_once()
    finally:
        if previous is None:
            hub.unregister("singleton", "provider")
        else:
            hub.register("singleton", "provider", previous)
    error = get_provider_schema.pb.Diagnostic.ERROR
    _schema_made_ahead.clear()
    if not any(diagnostic.severity == error for diagnostic in response.diagnostics):
        _schema_made_ahead.append(response.SerializeToString())


# --- A configuration just decoded: not validated twice ---------------------------------------


def trust_decoded_configurations() -> None:
    """`PvsSchema.validate_config` of values decoded against its own block checks only what the
    decoding does not: the required attributes.

    Why: `decode_config` (every Validate*Config: twice per resource in a plan) decodes the
    configuration against the schema, which validates every value, then hands the decoded
    values to `validate_config`, which validates them against the same type again and throws
    the result away: a third of a ValidateResourceConfig.
    What changes: when every value is a `CtyValue` of exactly its attribute's type object (what
    decoding against this block made; the keys exactly its attributes), `validate_config` runs
    pyvider's `check_required_attributes` and not the type's `validate`, which would rebuild
    equal values; anything else is pyvider's own. Upstream, `decode_config` could check the
    required attributes alone.
    """
    patch = "decoded configurations"
    check_version(patch)
    from pyvider.cty import CtyValue
    from pyvider.protocols.tfprotov6.handlers import _component_config
    from pyvider.schema.types import schema

    owner: Any = getattr(schema, "PvsSchema", None)
    current: Any = getattr(owner, "validate_config", None)
    original: Any = getattr(current, ORIGINAL, current)
    _expect(callable(original) and _parameters(original) == ["self", "config"], patch,
            "PvsSchema.validate_config is not (self, config)")  # fmt: skip
    required: Any = getattr(schema, "check_required_attributes", None)
    _expect(callable(required) and "check_required_attributes" in _names_called(original), patch,
            "validate_config no longer checks required attributes with check_required_attributes")  # fmt: skip
    decode: Any = getattr(_component_config, "decode_config", None)
    _expect(decode is not None and {"unmarshal_config", "validate_config"} <= _names_called(decode), patch,
            "decode_config no longer validates what unmarshal_config decoded")  # fmt: skip
    if current is not original:
        return

    def validate_config(self: Any, config: Any) -> None:
        types = self.block.to_cty_type().attribute_types
        decoded = isinstance(config, dict) and len(config) == len(types)
        if decoded:
            for name, value in config.items():
                if not isinstance(value, CtyValue) or value.vtype is not types.get(name):
                    decoded = False
                    break
        if not decoded:
            return original(self, config)
        required(self.block, config)
        return None

    setattr(validate_config, ORIGINAL, original)
    setattr(owner, "validate_config", validate_config)  # noqa: B010


# --- PlanResourceChange of an unchanged resource: Terraform's proposal -------------------------


def answer_unchanged_plans() -> None:
    """pyvider's PlanResourceChange answers an unchanged resource with what Terraform proposed.

    Why: in a plan that changes nothing, every resource still costs pyvider's whole plan path
    (three values decoded, a context, the plan hook, a validation and an encoding): ~0.9 ms, the
    largest per-resource cost left (`provider.unchanged_plans` says when the answer is known).
    What changes: `plan_resource_change._plan_resource_change_impl` (which pyvider's decorated
    `PlanResourceChangeHandler` calls, so its request counter still counts) returns
    `unchanged_plan`'s answer when there is one, and otherwise -- or if it raises -- is
    pyvider's own. Upstream, pyvider could offer the same for resources that declare their plan
    of an unchanged object to be that object.
    """
    patch = "unchanged plans"
    check_version(patch)
    from pyvider.protocols.tfprotov6.handlers import plan_resource_change

    current, original = _handler_impl(
        plan_resource_change, "PlanResourceChange", "_plan_resource_change_impl", patch
    )
    messages = plan_resource_change.pb.PlanResourceChange
    request_fields = set(messages.Request.DESCRIPTOR.fields_by_name)
    response_fields = set(messages.Response.DESCRIPTOR.fields_by_name)
    _expect({"type_name", "config", "prior_state", "proposed_new_state", "prior_private"} <= request_fields
            and {"planned_state", "planned_private", "planned_identity"} <= response_fields,
            patch, "PlanResourceChange's messages changed")  # fmt: skip
    if current is not original:
        return
    from pyvider.hub import hub

    from provider.unchanged_plans import unchanged_plan

    response_class = messages.Response

    async def _plan_resource_change_impl(request: Any, context: Any) -> Any:
        try:
            answer = unchanged_plan(request, hub.get_component("resource", request.type_name), response_class)
        except Exception:  # whatever it could not decide is pyvider's to plan
            answer = None
        return answer if answer is not None else await original(request, context)

    setattr(_plan_resource_change_impl, ORIGINAL, original)
    setattr(plan_resource_change, "_plan_resource_change_impl", _plan_resource_change_impl)  # noqa: B010


# --- ReadResource of an unchanged object: the state Terraform sent ------------------------------


def answer_unchanged_reads() -> None:
    """pyvider's ReadResource answers with the state Terraform sent when the read found it again.

    Why: a refresh that finds every object as it was still has pyvider turn each state the
    resource read back into a dict, complete, validate and encode it: a third of a ReadResource.
    What changes: in `pyvider.protocols.tfprotov6.handlers.read_resource`, `_read_resource_impl`
    remembers (per RPC, in a context variable) its request and the prior state instance it
    builds with `cty_to_attrs_instance`; `_write_new_state`, given a new state equal to that
    instance, answers with the request's `current_state` bytes (and the identity pyvider would
    derive), and is otherwise pyvider's own. Equal instances encode to the state they were
    decoded from (`tests/provider/test_pyvider_patches.py` checks it for every resource type),
    so the answer is the one pyvider would give. Schemas with nested blocks are pyvider's.
    Upstream, pyvider could compare the read state with the prior one before encoding it.
    """
    patch = "unchanged reads"
    check_version(patch)
    import contextvars

    from pyvider.protocols.tfprotov6.handlers import read_resource

    impl, pyviders_impl = _handler_impl(read_resource, "ReadResource", "_read_resource_impl", patch)
    write: Any = getattr(read_resource, "_write_new_state", None)
    to_attrs: Any = getattr(read_resource, "cty_to_attrs_instance", None)
    identity: Any = getattr(read_resource, "_set_new_identity", None)
    originals = [pyviders_impl, *(getattr(f, ORIGINAL, f) for f in (write, to_attrs))]
    _expect({"cty_to_attrs_instance", "_write_new_state"} <= _names_called(originals[0]), patch,
            "_read_resource_impl no longer builds the prior state and writes the new one")  # fmt: skip
    _expect(_parameters(originals[1]) == ["response", "resource_class", "resource_schema", "identity_schema",
                                          "new_state_attrs", "type_name"] and callable(identity)
            and "_set_new_identity" in _names_called(originals[1]),
            patch, "_write_new_state is not (response, class, schema, identity schema, state, type)")  # fmt: skip
    _expect(callable(originals[2]), patch, "read_resource has no cty_to_attrs_instance")
    if impl is not originals[0]:
        return
    pyviders_impl, pyviders_write, pyviders_to_attrs = originals
    reading: contextvars.ContextVar[list[Any] | None] = contextvars.ContextVar(
        "sevalla_reading", default=None
    )

    async def _read_resource_impl(request: Any, context: Any) -> Any:
        token = reading.set([request])
        try:
            return await pyviders_impl(request, context)
        finally:
            reading.reset(token)

    def cty_to_attrs_instance(*args: Any, **kwargs: Any) -> Any:
        made = pyviders_to_attrs(*args, **kwargs)
        read = reading.get()
        if read is not None and len(read) == 1:
            read.append(made)  # the first one is the prior state
        return made

    def _write_new_state(
        response: Any, resource_class: Any, resource_schema: Any, identity_schema: Any, new_state_attrs: Any,
        type_name: str,
    ) -> None:  # fmt: skip
        read = reading.get()
        if (
            read is not None
            and len(read) == 2
            and new_state_attrs is not None
            and new_state_attrs is not read[1]  # a state read anew, not the prior one handed back
            and type(new_state_attrs) is type(read[1])
            and new_state_attrs == read[1]
            and read[0].current_state.msgpack
            and not resource_schema.block.block_types
        ):
            response.new_state.msgpack = read[0].current_state.msgpack
            identity(response, resource_class, identity_schema, new_state_attrs, type_name)
            return
        pyviders_write(response, resource_class, resource_schema, identity_schema, new_state_attrs, type_name)

    for replacement, original in zip(
        (_read_resource_impl, _write_new_state, cty_to_attrs_instance), originals, strict=True
    ):
        setattr(replacement, ORIGINAL, original)
        setattr(read_resource, original.__name__, replacement)


# What only makes each RPC (or start) cheaper: installed on every start, by
# `warm.plugin.register_components`, and before the warm server forks (`warm.server.preload`), so
# its children find them installed; one that no longer fits pyvider is reported and pyvider's own
# path stays.
SPEED_PATCHES: tuple[Callable[[], None], ...] = (
    quiet_log_calls,
    remember_schema_types,
    compile_cty_conversion,
    remember_config_classes,
    take_certificates_made_ahead,
    compile_msgpack_decoding,
    compile_object_validation,
    compile_msgpack_encoding,
    answer_schema_made_ahead,
    answer_unchanged_plans,
    trust_decoded_configurations,
    answer_unchanged_reads,
)
_speed_patches_installed = False


def install_speed_patches() -> None:
    """Every speed patch, once per process (a forked child inherits them): one that does not fit
    the installed pyvider is reported, and the others are installed all the same."""
    global _speed_patches_installed
    if _speed_patches_installed:
        return
    for speed_patch in SPEED_PATCHES:
        try:
            speed_patch()
        except PyviderChanged as error:  # pyvider's own (slower) path, still correct
            report(error)
        except Exception as error:  # a check that could not even look: never a failed start
            report(PyviderChanged(f"{speed_patch.__name__}: could not be checked ({error!r})"))
    _speed_patches_installed = True
