"""The pyvider patches (provider/pyvider_patches.py): the installed pyvider is the pinned one, what
each patch touches still looks as it expects, each patch takes effect, and each refuses loudly
(`PyviderChanged`, nothing patched) when pyvider does not look as expected."""

from __future__ import annotations

import asyncio
import importlib.metadata
import inspect
import json
import os
import subprocess
import sys
import threading
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import attrs
import pytest
import pyvider
from aiohttp import web
from provide.foundation.crypto import Certificate as FoundationCertificate
from provide.foundation.logger import core as foundation_core
from pyvider.cli.provide_command import _build_protocol
from pyvider.common.utils import attrs_factory
from pyvider.conversion import marshaler as marshaler_module
from pyvider.cty import CtyObject, CtyString
from pyvider.cty import codec as cty_codec_module
from pyvider.handler import ProviderHandler
from pyvider.hub import discovery, hub
from pyvider.hub.components import ComponentRegistry
from pyvider.hub.discovery import ComponentDiscovery
from pyvider.protocols.tfprotov6 import handlers
from pyvider.protocols.tfprotov6.handlers import configure_provider as configure_module
from pyvider.protocols.tfprotov6.handlers import get_provider_schema as get_provider_schema_module
from pyvider.protocols.tfprotov6.handlers import plan_resource_change as plan_resource_change_module
from pyvider.protocols.tfprotov6.handlers import read_resource as read_resource_module
from pyvider.protocols.tfprotov6.protobuf import tfplugin6_pb2 as pb
from pyvider.resources.base import BaseResource
from pyvider.rpcplugin import RPCPluginServer
from pyvider.rpcplugin import config as rpc_config
from pyvider.rpcplugin.protocol import service
from pyvider.rpcplugin.server import core, network
from pyvider.rpcplugin.transport import UnixSocketTransport
from pyvider.schema.types.object import PvsObjectType
from pyvider.schema.types.schema import PvsSchema

from provider import cty_codec as cty_codec_kept
from provider import pyvider_patches, runtime
from provider.pyvider_patches import ORIGINAL, PYVIDER_VERSION, PyviderChanged
from provider.version import VERSION
from tests.provider.test_cty_conversion import values_of

ROOT = Path(__file__).resolve().parents[2]
SERVER = "rpc_plugin_server"
Controller: Any = service.GRPCControllerService

# Every patch (or read) in the module, called as its callers call it.
EVERY_PATCH: dict[str, Callable[[], Any]] = {
    "capture_terraform_version": lambda: pyvider_patches.capture_terraform_version(lambda _version: None),
    "install_prompt_exit": lambda: pyvider_patches.install_prompt_exit(lambda _loop: None),
    "plugin_socket_path": pyvider_patches.plugin_socket_path,
    "refresh_rpcplugin_config": pyvider_patches.refresh_rpcplugin_config,
    "remember_entry_points": lambda: pyvider_patches.remember_entry_points(importlib.metadata),
    "quiet_log_calls": pyvider_patches.quiet_log_calls,
    "remember_schema_types": pyvider_patches.remember_schema_types,
    "compile_cty_conversion": pyvider_patches.compile_cty_conversion,
    "remember_config_classes": pyvider_patches.remember_config_classes,
    "take_certificates_made_ahead": pyvider_patches.take_certificates_made_ahead,
    "compile_msgpack_decoding": pyvider_patches.compile_msgpack_decoding,
    "compile_msgpack_encoding": pyvider_patches.compile_msgpack_encoding,
    "compile_object_validation": pyvider_patches.compile_object_validation,
    "answer_schema_made_ahead": pyvider_patches.answer_schema_made_ahead,
    "answer_unchanged_plans": pyvider_patches.answer_unchanged_plans,
    "trust_decoded_configurations": pyvider_patches.trust_decoded_configurations,
    "answer_unchanged_reads": pyvider_patches.answer_unchanged_reads,
}
# What the speed patches replace, as (owner, attribute).
SPEED_PATCHED: list[tuple[Any, str]] = [
    *((owner, name) for owner in (foundation_core.GlobalLoggerProxy, foundation_core.FoundationLogger)
      for name in ("trace", "debug", "info")),
    (PvsObjectType, "to_cty_type"),
    (BaseResource, "_cty_to_attrs_recursive"),
    (attrs_factory, "create_attrs_class_from_schema"),
    (FoundationCertificate, "create_self_signed_server_cert"),
    (cty_codec_module, "_unpacked_to_cty"),
    (CtyObject, "validate"),
    (marshaler_module, "_unmark_deep"),
    (marshaler_module, "cty_to_msgpack"),
    (get_provider_schema_module, "_get_provider_schema_impl"),
    (plan_resource_change_module, "_plan_resource_change_impl"),
    (PvsSchema, "validate_config"),
    *((read_resource_module, name) for name in ("_read_resource_impl", "_write_new_state", "cty_to_attrs_instance")),
]  # fmt: skip
HELPERS = {
    "check_version",
    "check_rpcplugin_config",
    "report",
    "rpcs_served",
    "install_speed_patches",  # reports rather than raises: tested below
    "make_server_certificate_ahead",  # what the certificate patch hands out: tested below
    "make_schema_ahead",  # what the schema patch answers with: tested below
}  # rpcs_served: reads, changes nothing


@pytest.fixture
def pristine(monkeypatch: pytest.MonkeyPatch) -> None:
    """pyvider as installed, without our patches; whatever a test patches is undone after it."""
    monkeypatch.setattr(handlers, "ConfigureProviderHandler", configure_module.ConfigureProviderHandler)
    shutdown = Controller.Shutdown
    monkeypatch.setattr(Controller, "Shutdown", getattr(shutdown, ORIGINAL, shutdown))
    entry_points = importlib.metadata.entry_points
    monkeypatch.setattr(importlib.metadata, "entry_points", getattr(entry_points, ORIGINAL, entry_points))
    monkeypatch.setattr(pyvider_patches, "_speed_patches_installed", False)
    for owner, name in SPEED_PATCHED:
        method = vars(owner)[name]
        function = getattr(method, "__func__", method)
        if hasattr(function, ORIGINAL):
            original = getattr(function, ORIGINAL)
            monkeypatch.setattr(
                owner, name, classmethod(original) if isinstance(method, classmethod) else original
            )


def _restore_server(previous: Any) -> None:
    if previous is not None:
        hub.register("singleton", SERVER, previous)
    elif hub.get_component("singleton", SERVER) is not None:
        hub.unregister("singleton", SERVER)


@pytest.fixture
def serving() -> Iterator[Any]:
    """A plugin server in pyvider's hub as `pyvider provide` makes one: its handler (and
    handler table) built before discovery calls our registration."""
    previous = hub.get_component("singleton", SERVER)

    async def build() -> Any:  # it makes a future on the running loop
        return RPCPluginServer(
            protocol=_build_protocol(),
            handler=ProviderHandler(),
            config={"PLUGIN_MAGIC_COOKIE_KEY": "TF_PLUGIN_MAGIC_COOKIE", "PLUGIN_MAGIC_COOKIE_VALUE": "x"},
        )

    server = asyncio.run(build())
    hub.register("singleton", SERVER, lambda: server)
    yield server
    _restore_server(previous)


@pytest.fixture
def not_serving() -> Iterator[None]:
    previous = hub.get_component("singleton", SERVER)
    _restore_server(None)
    yield
    _restore_server(previous)


# --- the pin ----------------------------------------------------------------------------------


def test_the_installed_pyvider_is_the_pinned_one() -> None:
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    pins = [spec.split("==", 1)[1] for spec in dependencies if spec.startswith("pyvider==")]
    assert pins == [PYVIDER_VERSION]
    assert importlib.metadata.version("pyvider") == PYVIDER_VERSION
    assert pyvider.__version__ == PYVIDER_VERSION  # what the patches check at run time


def test_every_patch_is_tested_here() -> None:
    public = {
        name
        for name, value in vars(pyvider_patches).items()
        if inspect.isfunction(value)
        and value.__module__ == pyvider_patches.__name__
        and not name.startswith("_")
    }
    assert public - HELPERS == set(EVERY_PATCH)


@pytest.mark.parametrize("install", list(EVERY_PATCH.values()), ids=list(EVERY_PATCH))
def test_every_patch_refuses_another_pyvider(
    pristine: None, serving: Any, monkeypatch: pytest.MonkeyPatch, install: Callable[[], Any]
) -> None:
    monkeypatch.setattr(pyvider, "__version__", "0.8.2")
    cert = rpc_config.rpcplugin_config.plugin_client_cert
    monkeypatch.setenv("PLUGIN_CLIENT_CERT", "changed")
    with pytest.raises(PyviderChanged, match=r"pyvider 0\.8\.2 is installed.*pyvider==0\.8\.1"):
        install()
    assert handlers.ConfigureProviderHandler is configure_module.ConfigureProviderHandler
    assert serving.handler._handlers["ConfigureProvider"] is configure_module.ConfigureProviderHandler
    assert not hasattr(Controller.Shutdown, ORIGINAL)
    assert not hasattr(importlib.metadata.entry_points, ORIGINAL)
    assert rpc_config.rpcplugin_config.plugin_client_cert == cert
    for owner, name in SPEED_PATCHED:
        method = vars(owner)[name]
        assert not hasattr(getattr(method, "__func__", method), ORIGINAL), (owner, name)


def test_report_is_an_hclog_error_line() -> None:
    code = "from provider import pyvider_patches as p; p.report(p.PyviderChanged('Shutdown replacement: x'))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "TF_LOG": ""},
    )
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["@level"] == "error"
    assert line["@message"] == "Shutdown replacement: x; carrying on without it"


# --- ConfigureProvider ------------------------------------------------------------------------


def test_the_configure_wrap_takes_the_place_of_pyviders_handler(pristine: None, serving: Any) -> None:
    pyviders = configure_module.ConfigureProviderHandler
    assert serving.handler._handlers["ConfigureProvider"] is pyviders
    pyvider_patches.capture_terraform_version(lambda _version: None)
    pyvider_patches.capture_terraform_version(lambda _version: None)  # once only
    wrapper = handlers.ConfigureProviderHandler
    assert wrapper is not pyviders and getattr(wrapper, ORIGINAL) is pyviders
    assert serving.handler._handlers["ConfigureProvider"] is wrapper  # the table pyvider dispatches from
    assert ProviderHandler()._handlers["ConfigureProvider"] is wrapper  # and a handler built later


def test_the_wrap_records_terraforms_version_then_calls_pyviders(
    pristine: None, not_serving: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[Any] = []

    async def pyviders(request: Any, context: Any) -> Any:
        calls.append((request, context))
        return "answer"

    monkeypatch.setattr(handlers, "ConfigureProviderHandler", pyviders)
    monkeypatch.setattr(runtime, "_terraform_version", "unknown")
    pyvider_patches.capture_terraform_version(runtime.record_terraform_version)
    request = pb.ConfigureProvider.Request(terraform_version="1.15.5")
    assert asyncio.run(handlers.ConfigureProviderHandler(request, "context")) == "answer"
    assert calls == [(request, "context")]
    assert runtime.terraform_version() == "1.15.5"
    asyncio.run(handlers.ConfigureProviderHandler(pb.ConfigureProvider.Request(), None))
    assert runtime.terraform_version() == "unknown"


def _sync_handler(request: Any, context: Any) -> Any:
    return None


async def _three_arguments(request: Any, context: Any, provider: Any) -> Any:
    return None


@pytest.mark.parametrize(
    "changed", [_sync_handler, _three_arguments, None], ids=["sync", "signature", "missing"]
)
def test_the_wrap_refuses_another_handler(
    pristine: None, not_serving: None, monkeypatch: pytest.MonkeyPatch, changed: Any
) -> None:
    monkeypatch.setattr(handlers, "ConfigureProviderHandler", changed)
    with pytest.raises(PyviderChanged, match="ConfigureProvider wrap"):
        pyvider_patches.capture_terraform_version(lambda _version: None)
    assert handlers.ConfigureProviderHandler is changed


def test_the_wrap_refuses_a_server_without_the_handler_table(
    pristine: None, serving: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(serving, "handler", SimpleNamespace(handlers={}))
    with pytest.raises(PyviderChanged, match=r"_handlers\['ConfigureProvider'\]"):
        pyvider_patches.capture_terraform_version(lambda _version: None)


class RecordingApi:
    """The emulator on a loopback port, in a thread of its own, noting each request's User-Agent."""

    def __init__(self) -> None:
        self.user_agents: list[str] = []
        self.url = ""
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.runner: web.AppRunner | None = None

    def __enter__(self) -> RecordingApi:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(30)
        return self

    async def _start(self) -> None:
        from emulator.app import create_app

        app = create_app()

        @web.middleware
        async def note(request: web.Request, handler: Any) -> web.StreamResponse:
            self.user_agents.append(request.headers.get("User-Agent", ""))
            return await handler(request)

        app.middlewares.insert(0, note)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", 0).start()
        host, port = self.runner.addresses[0][:2]
        self.url = f"http://{host}:{port}/v3"

    def __exit__(self, *_exc: object) -> None:
        if self.runner is not None:
            asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


def test_terraforms_version_reaches_the_user_agent(tmp_path: Path) -> None:
    """A real provider start (`python -m warm.entry`, as the launcher's normal start): pyvider's
    discovery calls our registration after it built the server, and the wrap still takes effect."""
    from bench.probe import client_certificate_pem, plugin_environment, start_once
    from emulator.settings import DEFAULT_API_KEY

    env = plugin_environment(client_certificate_pem())
    env.update(
        {
            "SEVALLA_PROVIDER_ARGV0": "terraform-provider-sevalla",
            "PYVIDER_PROVIDER_NAME": "sevalla",
            "SEVALLA_DISK_CACHE": "false",
            "SEVALLA_DISK_CACHE_DIR": str(tmp_path),
        }
    )
    with RecordingApi() as api:
        sample = start_once([sys.executable, "-P", "-m", "warm.entry"], env, api=(api.url, DEFAULT_API_KEY))
    assert sample.schema_ok and sample.exit_code == 0
    assert api.user_agents
    assert set(api.user_agents) == {f"terraform-provider-sevalla/{VERSION} terraform/1.15.5"}


# --- Shutdown ---------------------------------------------------------------------------------


class FakeStdio:  # also tests/warm/test_entry.py's
    def __init__(self) -> None:
        self.shut = False

    def shutdown(self) -> None:
        self.shut = True


class FakeContext:
    def __init__(self) -> None:
        self.callbacks: list[Any] = []

    def add_done_callback(self, callback: Any) -> None:
        self.callbacks.append(callback)


@pytest.fixture
def delayed(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """pyvider's delayed shutdown (0.1 s, then SIGTERM to this process), noted instead of run."""
    calls: list[bool] = []

    async def delayed_shutdown(self: Any) -> None:
        calls.append(True)

    monkeypatch.setattr(Controller, "_delayed_shutdown", delayed_shutdown)
    return calls


def test_pyviders_shutdown_does_what_the_replacement_keeps(pristine: None, delayed: list[bool]) -> None:
    """pyvider's own: shuts stdio down, sets the event, schedules its delayed exit, answers."""

    async def call() -> Any:
        controller = Controller(asyncio.Event(), FakeStdio())
        answer = await controller.Shutdown(service.CEmpty(), FakeContext())
        await asyncio.sleep(0)
        assert controller._shutdown_event.is_set() and controller._stdio_service.shut
        return answer

    assert isinstance(asyncio.run(call()), service.CEmpty)
    assert delayed == [True]


def test_the_shutdown_replacement_answers_then_calls_back(pristine: None, delayed: list[bool]) -> None:
    pyviders = Controller.Shutdown
    answered: list[Any] = []
    pyvider_patches.install_prompt_exit(answered.append)
    pyvider_patches.install_prompt_exit(answered.append)  # once only
    assert Controller.Shutdown is not pyviders and getattr(Controller.Shutdown, ORIGINAL) is pyviders

    async def call() -> Any:
        controller = Controller(asyncio.Event(), FakeStdio())
        context = FakeContext()
        answer = await controller.Shutdown(service.CEmpty(), context)
        await asyncio.sleep(0)
        assert controller._shutdown_event.is_set() and controller._stdio_service.shut
        assert answered == [] and len(context.callbacks) == 1  # not before the answer is out
        context.callbacks[0](None)
        assert answered == [asyncio.get_running_loop()]
        assert delayed == []  # no SIGTERM round trip
        await controller.Shutdown(service.CEmpty(), None)  # outside gRPC: pyvider's own path
        await asyncio.sleep(0)
        assert delayed == [True]
        return answer

    assert isinstance(asyncio.run(call()), service.CEmpty)


async def _two_arguments(self: Any, request: Any) -> Any:
    return None


def _init_changed(self: Any, shutdown_event: Any) -> None:
    pass


@pytest.mark.parametrize(
    ("attribute", "changed"),
    [
        ("Shutdown", _two_arguments),
        ("Shutdown", None),
        ("__init__", _init_changed),
        ("_delayed_shutdown", None),
    ],
    ids=["Shutdown-signature", "Shutdown-missing", "init-signature", "delayed-missing"],
)
def test_the_shutdown_replacement_refuses_another_controller(
    pristine: None, monkeypatch: pytest.MonkeyPatch, attribute: str, changed: Any
) -> None:
    monkeypatch.setattr(Controller, attribute, changed)
    with pytest.raises(PyviderChanged, match="Shutdown replacement"):
        pyvider_patches.install_prompt_exit(lambda _loop: None)
    assert getattr(Controller, attribute) is changed


# --- the plugin's socket ------------------------------------------------------------------------


def test_the_plugin_socket_path(serving: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "_transport" in attrs.fields_dict(RPCPluginServer)
    assert serving._transport is None  # not listening yet
    assert pyvider_patches.plugin_socket_path() is None
    monkeypatch.setattr(serving, "_transport", UnixSocketTransport(path="/tmp/sevalla-test.sock"))
    assert pyvider_patches.plugin_socket_path() == "/tmp/sevalla-test.sock"


def test_no_socket_path_when_not_serving(not_serving: None) -> None:
    assert pyvider_patches.plugin_socket_path() is None


def test_the_socket_path_refuses_a_server_without_transport(
    serving: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delattr(serving, "_transport")
    with pytest.raises(PyviderChanged, match="plugin socket path"):
        pyvider_patches.plugin_socket_path()


# --- rpc_config -------------------------------------------------------------------------------


@pytest.fixture
def plugin_config() -> Iterator[Any]:
    config = rpc_config.rpcplugin_config
    saved = attrs.asdict(config, recurse=False)
    yield config
    for name, value in saved.items():
        setattr(config, name, value)


def test_the_refresh_rereads_the_environment_in_place(
    plugin_config: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    cert = "-----BEGIN CERTIFICATE-----\nfrom Terraform\n-----END CERTIFICATE-----\n"
    monkeypatch.setenv("PLUGIN_CLIENT_CERT", cert)
    monkeypatch.setenv("PLUGIN_MAGIC_COOKIE_VALUE", "from-terraform")
    assert plugin_config.plugin_client_cert != cert
    pyvider_patches.refresh_rpcplugin_config()
    assert rpc_config.rpcplugin_config is plugin_config
    for module in (rpc_config, core, network):  # what pyvider's server reads
        assert module.rpcplugin_config.plugin_client_cert == cert
        assert module.rpcplugin_config.plugin_magic_cookie_value == "from-terraform"


def test_the_refresh_refuses_a_config_it_cannot_reach(
    plugin_config: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(core, "rpcplugin_config", attrs.evolve(plugin_config))
    monkeypatch.setenv("PLUGIN_CLIENT_CERT", "changed")
    with pytest.raises(PyviderChanged, match="no longer share"):
        pyvider_patches.refresh_rpcplugin_config()
    assert plugin_config.plugin_client_cert != "changed"
    monkeypatch.setattr(rpc_config, "rpcplugin_config", SimpleNamespace())
    with pytest.raises(PyviderChanged, match="not an attrs RPCPluginConfig"):
        pyvider_patches.check_rpcplugin_config()


# --- discovery's entry points -----------------------------------------------------------------


def test_discovery_is_answered_from_the_remembered_entry_points(
    pristine: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[dict[str, Any]] = []
    real = importlib.metadata.entry_points

    def entry_points(**params: Any) -> Any:
        reads.append(params)
        return real(**params)

    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)
    pyvider_patches.remember_entry_points(importlib.metadata)
    pyvider_patches.remember_entry_points(importlib.metadata)  # once only
    assert reads == [{"group": "pyvider"}]
    discovered: list[str] = []

    async def discover_package(self: Any, package_name: str, strict: bool) -> None:
        discovered.append(package_name)

    monkeypatch.setattr(ComponentDiscovery, "_discover_package", discover_package)
    asyncio.run(ComponentDiscovery(ComponentRegistry()).discover_all())
    assert discovered == ["warm.plugin"]  # pyproject's entry point, from the remembered list
    assert reads == [{"group": "pyvider"}]  # discovery did not read the metadata again
    importlib.metadata.entry_points(group="console_scripts")
    assert reads[-1] == {"group": "console_scripts"}  # other groups as before


@pytest.mark.parametrize(
    ("target", "attribute", "changed"),
    [
        (ComponentDiscovery, "ENTRY_POINT_GROUP", "pyvider-components"),
        (discovery, "importlib", SimpleNamespace(metadata=SimpleNamespace())),
    ],
    ids=["group", "lookup"],
)
def test_the_memo_refuses_another_discovery(
    pristine: None, monkeypatch: pytest.MonkeyPatch, target: Any, attribute: str, changed: Any
) -> None:
    monkeypatch.setattr(target, attribute, changed)
    with pytest.raises(PyviderChanged, match="entry-point memo"):
        pyvider_patches.remember_entry_points(importlib.metadata)
    assert not hasattr(importlib.metadata.entry_points, ORIGINAL)


async def test_rpcs_served_reads_pyvider_s_own_request_counter() -> None:
    from pyvider.protocols.tfprotov6.handlers._metrics import rpc_handler

    from provider.pyvider_patches import rpcs_served

    @rpc_handler("ProbeRpcForTheTest")
    async def probe() -> int:
        return 1

    before = rpcs_served().get("ProbeRpcForTheTest", 0)
    await probe()
    await probe()
    assert rpcs_served()["ProbeRpcForTheTest"] == before + 2


def test_rpcs_served_refuses_a_counter_without_per_label_values(monkeypatch: pytest.MonkeyPatch) -> None:
    from pyvider.observability import handler_requests

    monkeypatch.delattr(handler_requests, "_labels_values")
    with pytest.raises(pyvider_patches.PyviderChanged, match="RPC counts"):
        pyvider_patches.rpcs_served()


# --- the speed patches ------------------------------------------------------------------------


def _configured_logger(level: str, module_levels: dict[str, str] | None = None) -> Any:
    log = foundation_core.FoundationLogger()
    log._effective_level = foundation_core._LEVEL_TO_NUMERIC[level]
    log._active_config = SimpleNamespace(logging=SimpleNamespace(module_levels=module_levels or {}))
    return log


@pytest.mark.parametrize(
    ("level", "module_levels", "emitted"),
    [
        ("WARNING", {}, set()),
        ("INFO", {}, {"info"}),
        ("DEBUG", {}, {"debug", "info"}),
        ("WARNING", {"pyvider.cty": "TRACE"}, {"trace", "debug", "info"}),  # a module may say more
    ],
)
def test_log_calls_below_every_active_level_return_at_once(
    pristine: None,
    monkeypatch: pytest.MonkeyPatch,
    level: str,
    module_levels: dict[str, str],
    emitted: set[str],
) -> None:
    log = _configured_logger(level, module_levels)
    reached: list[str] = []
    monkeypatch.setattr(
        foundation_core.FoundationLogger,
        "_log_with_level",
        lambda self, name, event, **kw: reached.append(name),
    )
    monkeypatch.setattr(foundation_core, "get_global_logger", lambda: log)
    pyvider_patches.quiet_log_calls()
    proxy = foundation_core.GlobalLoggerProxy()
    for name in ("trace", "debug", "info"):
        getattr(proxy, name)("event %s", "x", key="value")
        getattr(log, name)("event", key="value")
    assert set(reached) == emitted
    assert len(reached) == 2 * len(emitted)  # proxy and logger alike


def test_an_unconfigured_logger_lets_everything_through(
    pristine: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = foundation_core.FoundationLogger()  # _effective_level 0: not set up yet
    reached: list[str] = []
    monkeypatch.setattr(
        foundation_core.FoundationLogger,
        "_log_with_level",
        lambda self, name, event, **kw: reached.append(name),
    )
    pyvider_patches.quiet_log_calls()
    log.trace("event")
    assert reached == ["trace"]


def test_the_quiet_patch_refuses_a_logger_without_its_level(
    pristine: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delattr(foundation_core, "_LEVEL_TO_NUMERIC")
    with pytest.raises(PyviderChanged, match="_LEVEL_TO_NUMERIC"):
        pyvider_patches.quiet_log_calls()
    assert not hasattr(foundation_core.GlobalLoggerProxy.__dict__["debug"], ORIGINAL)


def test_a_schema_s_cty_type_is_made_once(pristine: None) -> None:
    from resources import RESOURCES

    blocks = [resource.get_schema().block for resource in RESOURCES[:3]]
    made_by_pyvider = [block.to_cty_type() for block in blocks]
    assert made_by_pyvider[0] is not blocks[0].to_cty_type()  # pyvider's own makes a new one
    pyvider_patches.remember_schema_types()
    first = [block.to_cty_type() for block in blocks]
    assert first == made_by_pyvider
    assert all(again is kept for again, kept in zip((b.to_cty_type() for b in blocks), first, strict=True))
    assert first[0] is not first[1]


def test_the_schema_memo_forgets_when_full(pristine: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cty_codec_kept, "KEPT", 2)
    pyvider_patches.remember_schema_types()
    made = [PvsObjectType(attributes={}) for _ in range(3)]
    types = [block.to_cty_type() for block in made]
    assert types[0] == types[2]  # still correct after forgetting


def test_cty_conversion_goes_through_the_compiled_converters(pristine: None) -> None:
    from resources import RESOURCES

    pyvider_patches.compile_cty_conversion()
    function = BaseResource.__dict__["_cty_to_attrs_recursive"].__func__
    assert hasattr(function, ORIGINAL)
    resource = RESOURCES[0]
    for value in values_of(resource.get_schema().block.to_cty_type()):
        for apply_defaults in (False, True):
            expected = getattr(function, ORIGINAL)(
                BaseResource, value, resource.state_class, apply_defaults=apply_defaults
            )
            assert (
                BaseResource.from_cty(value, resource.state_class, apply_defaults=apply_defaults) == expected
            )


def test_the_provider_config_class_is_made_once(pristine: None) -> None:
    from pyvider.schema import s_provider

    from provider.provider import SevallaSettingsCapability

    def attributes() -> dict[str, Any]:  # equal, not the same objects: as each start makes them
        return s_provider(attributes=SevallaSettingsCapability.get_schema_contribution()).block.attributes

    assert attrs_factory.create_attrs_class_from_schema("C", attributes()) is not (
        attrs_factory.create_attrs_class_from_schema("C", attributes())
    )
    pyvider_patches.remember_config_classes()
    made = attrs_factory.create_attrs_class_from_schema("ProviderConfig", attributes())
    assert attrs_factory.create_attrs_class_from_schema("ProviderConfig", attributes()) is made
    assert attrs_factory.create_attrs_class_from_schema("Other", attributes()) is not made
    assert [f.name for f in attrs.fields(made)] == list(attributes())


def test_the_speed_patches_install_once_and_report_what_does_not_fit(
    pristine: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    def misfit() -> None:
        calls.append("misfit")
        raise PyviderChanged("misfit: pyvider changed")

    reported: list[str] = []
    monkeypatch.setattr(pyvider_patches, "SPEED_PATCHES", (misfit, lambda: calls.append("fits")))
    monkeypatch.setattr(pyvider_patches, "report", lambda error: reported.append(str(error)))
    pyvider_patches.install_speed_patches()
    pyvider_patches.install_speed_patches()
    assert calls == ["misfit", "fits"]
    assert reported == ["misfit: pyvider changed"]


def _pyviders_certificate() -> Any:
    """The certificate pyvider's server makes for itself, as it makes it."""
    return network.ServerNetworkMixin._load_server_certificate(None, None, None, auto_mtls=True)  # type: ignore[arg-type]


def test_pyvider_makes_its_certificate_with_the_arguments_made_ahead() -> None:
    source = inspect.getsource(network.ServerNetworkMixin._load_server_certificate)
    for name, value in pyvider_patches.SERVER_CERTIFICATE_ARGUMENTS.items():
        assert f"{name}={value!r}" in source.replace('"', "'"), name
    assert "alt_names=_server_cert_alt_names()" in source


def test_a_certificate_made_ahead_serves_one_start(pristine: None) -> None:
    pyvider_patches.take_certificates_made_ahead()
    pyvider_patches.make_server_certificate_ahead()
    ahead = pyvider_patches._made_ahead.copy()
    first = _pyviders_certificate()
    assert list(ahead.values()) == [first]  # the one made ahead
    second = _pyviders_certificate()
    assert second is not first and second.key_pem != first.key_pem  # then a new one, as before
    assert pyvider_patches._made_ahead == {}


def _curve(certificate: Any) -> str:
    from cryptography import x509

    return str(x509.load_pem_x509_certificate(certificate.cert_pem.encode()).public_key().curve.name)


def test_the_plugin_certificate_is_on_p256(pristine: None) -> None:
    assert _curve(_pyviders_certificate()) == "secp384r1"  # pyvider's own choice
    pyvider_patches.take_certificates_made_ahead()
    assert _curve(_pyviders_certificate()) == "secp256r1"  # made at the start
    pyvider_patches.make_server_certificate_ahead()
    assert _curve(_pyviders_certificate()) == "secp256r1"  # made ahead
    assert pyvider_patches._made_ahead == {}
    named = FoundationCertificate.create_self_signed_server_cert(
        common_name="x", organization_name="y", validity_days=1, ecdsa_curve="secp384r1"
    )
    assert _curve(named) == "secp384r1"  # a caller that names its curve gets it


def test_nothing_is_made_ahead_without_the_patch(pristine: None) -> None:
    pyvider_patches._made_ahead.clear()
    pyvider_patches.make_server_certificate_ahead()
    assert pyvider_patches._made_ahead == {}


def test_msgpack_decoding_goes_through_the_compiled_decoders(pristine: None) -> None:
    from pyvider.cty.codec import cty_from_msgpack, cty_to_msgpack

    from resources import RESOURCES

    resource = RESOURCES[0]
    cty_type = resource.get_schema().block.to_cty_type()
    encoded = [cty_to_msgpack(value, cty_type) for value in values_of(cty_type)]
    expected = [cty_from_msgpack(data, cty_type) for data in encoded]
    pyvider_patches.compile_msgpack_decoding()
    assert hasattr(cty_codec_module._unpacked_to_cty, ORIGINAL)
    assert [cty_from_msgpack(data, cty_type) for data in encoded] == expected


def test_marshal_packs_through_the_compiled_encoders(pristine: None) -> None:
    from pyvider.conversion import marshal

    from resources import RESOURCES

    resource = RESOURCES[0]
    schema = resource.get_schema().block
    values = values_of(schema.to_cty_type())
    expected = [marshal(value, schema=schema).msgpack for value in values]
    pyvider_patches.compile_msgpack_encoding()
    assert hasattr(marshaler_module.cty_to_msgpack, ORIGINAL)
    assert [marshal(value, schema=schema).msgpack for value in values] == expected
    assert marshal({"not": "known"}, schema=CtyObject(attribute_types={"not": CtyString()})).msgpack


def test_the_encoding_patch_refuses_a_marshaler_that_unmarks_elsewhere(
    pristine: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def another_user(value: Any) -> Any:
        return marshaler_module._unmark_deep(value)

    monkeypatch.setattr(marshaler_module, "another_user", another_user, raising=False)
    with pytest.raises(PyviderChanged, match="_unmark_deep is used by"):
        pyvider_patches.compile_msgpack_encoding()


async def test_the_schema_made_ahead_is_the_schema_pyvider_makes(
    pristine: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from provider.provider import SevallaProvider
    from warm.plugin import register_components

    monkeypatch.setattr(pyvider_patches, "_schema_made_ahead", [])
    register_components(hub)
    await pyvider_patches.make_schema_ahead(SevallaProvider)
    assert hub.get_component("singleton", "provider") is None  # set up for it, then gone
    made = pyvider_patches._schema_made_ahead[0]
    provider = SevallaProvider()
    await provider.setup()
    hub.register("singleton", "provider", provider)
    try:
        fresh = await get_provider_schema_module._compute_schema_once()
        assert pb.GetProviderSchema.Response.FromString(made) == fresh
        pyvider_patches.answer_schema_made_ahead()

        async def not_again() -> Any:
            raise AssertionError("the schema was built again")

        monkeypatch.setattr(get_provider_schema_module, "_compute_schema_once", not_again)
        answered = await handlers.GetProviderSchemaHandler(pb.GetProviderSchema.Request(), None)
        assert answered == fresh
        assert "sevalla_application" in answered.resource_schemas
    finally:
        hub.unregister("singleton", "provider")


async def test_without_a_schema_made_ahead_pyvider_answers(
    pristine: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pyvider_patches, "_schema_made_ahead", [])
    asked: list[Any] = []

    async def pyviders(request: Any, context: Any) -> Any:
        asked.append(request)
        return "pyvider's answer"

    monkeypatch.setattr(get_provider_schema_module, "_get_provider_schema_impl", pyviders)
    pyvider_patches.answer_schema_made_ahead()
    assert await get_provider_schema_module._get_provider_schema_impl("request", None) == "pyvider's answer"
    assert asked == ["request"]


def test_object_validation_of_a_dict_goes_through_the_decoders(pristine: None) -> None:
    from resources import RESOURCES

    cty_type = RESOURCES[0].get_schema().block.to_cty_type()
    dicts = [dict(value.value) for value in values_of(cty_type) if not value.is_null and not value.is_unknown]
    expected = [cty_type.validate(data) for data in dicts]
    pyvider_patches.compile_object_validation()
    assert hasattr(CtyObject.__dict__["validate"], ORIGINAL)
    assert [cty_type.validate(data) for data in dicts] == expected
    assert cty_type.validate(None) == expected[0].null(cty_type)  # not a dict: pyvider's own
    assert all(cty_type.validate(value) is value for value in expected)  # of this very type


def test_a_value_of_the_very_type_is_not_compared_with_it(
    pristine: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from resources import RESOURCES

    cty_type = RESOURCES[0].get_schema().block.to_cty_type()
    value = cty_type.validate(dict(values_of(cty_type)[0].value))
    pyvider_patches.compile_object_validation()
    compared: list[Any] = []
    equal = CtyObject.equal
    monkeypatch.setattr(CtyObject, "equal", lambda self, other: compared.append(other) or equal(self, other))
    assert cty_type.validate(value) is value
    assert compared == []
    twin = CtyObject(
        attribute_types=dict(cty_type.attribute_types), optional_attributes=cty_type.optional_attributes
    )
    assert twin.validate(value) is value  # an equal type: pyvider's own comparison
    assert compared


def _validation_of(schema: Any, config: Any) -> str:
    """What `validate_config` made of a configuration: "ok", or the error it raised."""
    try:
        schema.validate_config(config)
    except Exception as error:  # what pyvider raises is what is compared
        return f"{type(error).__name__}: {error}"
    return "ok"


def test_a_decoded_configuration_is_validated_as_pyvider_validates_it(
    pristine: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """For every resource and data source: decoded configurations (full, nulls, unknowns, a
    required attribute missing) and ones not decoded (plain values, a key too many or too few)
    get pyvider's verdict; the decoded ones without re-validating their values."""
    from pyvider.cty.codec import cty_to_msgpack
    from pyvider.protocols.tfprotov6.handlers._component_config import unmarshal_config

    from data_sources import DATA_SOURCES
    from resources import RESOURCES

    configs = []
    for component in (*RESOURCES, *DATA_SOURCES):
        schema = component.get_schema()
        cty_type = schema.block.to_cty_type()
        for value in values_of(cty_type):
            if value.is_null or value.is_unknown:
                continue
            wire = pb.DynamicValue(msgpack=cty_to_msgpack(value, cty_type))
            decoded = unmarshal_config(wire, schema.block).value
            required = next(iter(schema.block.attributes.values())).required
            first = next(iter(decoded))
            plain = {name: item.value if not item.is_unknown else item for name, item in decoded.items()}
            configs += [(schema, decoded), (schema, plain), (schema, {**decoded, "extra": decoded[first]})]
            configs += [(schema, {name: item for name, item in decoded.items() if name != first})]
            if required:
                configs.append((schema, {**decoded, first: decoded[first].null(decoded[first].vtype)}))
    validate = CtyObject.__dict__["validate"]
    validated: list[Any] = []

    def counted(self: Any, value: Any) -> Any:
        validated.append(value)
        return validate(self, value)

    monkeypatch.setattr(CtyObject, "validate", counted)
    expected = [_validation_of(schema, config) for schema, config in configs]
    assert "ok" in expected and any(verdict != "ok" for verdict in expected)
    by_pyvider = len(validated)
    validated.clear()
    pyvider_patches.trust_decoded_configurations()
    assert hasattr(PvsSchema.validate_config, ORIGINAL)
    assert [_validation_of(schema, config) for schema, config in configs] == expected
    assert len(validated) < by_pyvider  # the decoded ones were not validated again


def test_decode_config_validates_the_values_once(pristine: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from pyvider.protocols.tfprotov6.handlers._component_config import decode_config

    from resources.application import Application

    cty_type = Application.get_schema().block.to_cty_type()
    wire = pb.DynamicValue(msgpack=marshaler_module.cty_to_msgpack(values_of(cty_type)[0], cty_type))
    validate = CtyObject.__dict__["validate"]
    calls: list[Any] = []

    def counted(self: Any, value: Any) -> Any:
        if set(self.attribute_types) == set(cty_type.attribute_types):  # the block's, however made
            calls.append(value)
        return validate(self, value)

    monkeypatch.setattr(CtyObject, "validate", counted)
    expected = decode_config(Application, wire, validate=True)
    assert len(calls) == 2  # pyvider: decoding, then validate_config again
    pyvider_patches.trust_decoded_configurations()
    calls.clear()
    assert decode_config(Application, wire, validate=True) == expected
    assert len(calls) == 1


def test_a_speed_patch_that_fails_otherwise_is_reported_too(
    pristine: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> None:
        raise OSError("could not get source code")

    reported: list[str] = []
    monkeypatch.setattr(pyvider_patches, "SPEED_PATCHES", (broken,))
    monkeypatch.setattr(pyvider_patches, "report", lambda error: reported.append(str(error)))
    pyvider_patches.install_speed_patches()  # no exception: a start must go on
    assert reported == ["broken: could not be checked (OSError('could not get source code'))"]


def test_the_patches_need_no_source_files(pristine: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """The release artifact (PyInstaller) ships bytecode only: no check may read sources."""

    def no_sources(*args: Any, **kwargs: Any) -> str:
        raise OSError("could not get source code")

    monkeypatch.setattr(inspect, "getsource", no_sources)
    monkeypatch.setattr(inspect, "getsourcelines", no_sources)
    monkeypatch.setattr(inspect, "findsource", no_sources)
    for name in pyvider_patches.SPEED_PATCHES:
        name()
    assert hasattr(get_provider_schema_module._get_provider_schema_impl, ORIGINAL)


# --- ReadResource of an unchanged object ---------------------------------------------------------


def _read_request(resource: Any, state: dict[str, Any]) -> Any:
    from pyvider.cty.codec import cty_to_msgpack

    cty_type = resource.get_schema().block.to_cty_type()
    return pb.ReadResource.Request(
        type_name=resource._registered_name,
        current_state=pb.DynamicValue(msgpack=cty_to_msgpack(cty_type.validate(state), cty_type)),
    )


def test_a_state_decoded_and_written_again_is_the_state_it_came_from(pristine: None) -> None:
    """What makes answering an unchanged read with Terraform's bytes pyvider's answer: for every
    resource type, pyvider's own `_write_new_state` of the prior state instance encodes the
    state it was decoded from, with the identity the patch derives the same way."""
    from pyvider.conversion import unmarshal
    from pyvider.protocols.tfprotov6.handlers.utils import cty_to_attrs_instance, resolve_identity_schema

    from resources import RESOURCES
    from tests.provider.test_unchanged_plans import states_of

    checked = 0
    for resource in RESOURCES:
        block = resource.get_schema().block
        for state in states_of(resource):
            request = _read_request(resource, state)
            prior = cty_to_attrs_instance(
                unmarshal(request.current_state, schema=block), resource.state_class
            )
            response = pb.ReadResource.Response()
            read_resource_module._write_new_state(
                response, resource, resource.get_schema(), resolve_identity_schema(resource), prior, "t"
            )
            assert unmarshal(response.new_state, schema=block) == unmarshal(
                request.current_state, schema=block
            )
            checked += 1
    assert checked >= 3 * len(RESOURCES)


async def test_an_unchanged_read_answers_with_the_state_terraform_sent(
    pristine: None, provider_registered: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from resources.project import Project
    from tests.provider.test_unchanged_plans import states_of

    request = _read_request(Project, states_of(Project)[0])
    found: list[Any] = []

    async def read(self: Any, ctx: Any) -> Any:
        return found[0](ctx.state)

    monkeypatch.setattr(Project, "read", read)
    pyvider_patches.answer_unchanged_reads()
    encoded: list[Any] = []
    marshal = read_resource_module.marshal
    monkeypatch.setattr(
        read_resource_module, "marshal", lambda *a, **k: encoded.append(a) or marshal(*a, **k)
    )

    found.append(lambda state: attrs.evolve(state))  # found as it was: an equal instance
    response = await read_resource_module._read_resource_impl(request, None)
    assert list(response.diagnostics) == []
    assert response.new_state.msgpack == request.current_state.msgpack
    assert encoded == []  # not encoded again
    assert response.new_identity.identity_data.msgpack  # the identity, as pyvider derives it

    found[0] = lambda state: attrs.evolve(state, name="changed outside")
    response = await read_resource_module._read_resource_impl(request, None)
    assert len(encoded) == 1  # pyvider's own
    assert b"changed outside" in response.new_state.msgpack

    found[0] = lambda state: state  # the prior instance itself: pyvider's (it may have been changed)
    await read_resource_module._read_resource_impl(request, None)
    assert len(encoded) == 2

    found[0] = lambda state: None  # gone
    response = await read_resource_module._read_resource_impl(request, None)
    assert response.new_state.msgpack == b"\xc0"
