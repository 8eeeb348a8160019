"""The provider process's entry: pyvider's CLI, plus a prompt exit once Terraform has closed it.

Terraform closes a plugin by calling `plugin.GRPCController/Shutdown` and then waits for the
process to exit (go-plugin's `Kill`, up to 2 s). pyvider 0.8.1 answers, sleeps 0.1 s, sends
itself SIGTERM, stops the gRPC server with a grace period, closes the transport, unwinds
`asyncio.run`, shuts telemetry down in a second event loop and finalises the interpreter:
~0.2 s per start, 3-5 starts per Terraform command. There is nothing left to do at that point
(Terraform calls Shutdown only once it is done with the provider), so once the Shutdown answer
has gone out this cancels the remaining tasks as `asyncio.run` would (so cleanup written as
"when my task is cancelled" still runs: the provider closes its HTTP pool and logs its metrics),
waits for them (≤ 2 s), removes the plugin's unix socket, flushes logs and calls `os._exit(0)`.

Used by the warm server's children (`warm.server`) and by the launcher's normal start
(`python -P -m warm.entry`). `SEVALLA_PROVIDER_WARM=0` bypasses it (stock pyvider).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import threading
import types
from collections.abc import Callable
from typing import Any

# What the launcher wants pyvider to see as argv[0] (it must contain "terraform-provider").
ARGV0_VARIABLE = "SEVALLA_PROVIDER_ARGV0"
# How long cancelled tasks get to clean up after Terraform's Shutdown call (closing the HTTP pool).
WIND_DOWN_SECONDS = 2.0
# pyvider's serving coroutine (`pyvider.cli.provide_command`): left running, not cancelled.
SERVER_COROUTINES = frozenset({"_run_provider_server"})


def preload() -> None:
    """Import what a provider start needs to serve: pyvider's CLI and server, gRPC, our components."""
    import grpc.aio  # noqa: F401
    import pyvider.cli.__main__  # noqa: F401
    import pyvider.cli.provide_command  # noqa: F401
    import pyvider.handler  # noqa: F401
    import pyvider.hub.discovery  # noqa: F401
    import pyvider.protocols.tfprotov6.handlers  # noqa: F401
    import pyvider.rpcplugin.server  # noqa: F401

    import data_sources  # noqa: F401
    import provider.provider  # noqa: F401
    import resources  # noqa: F401
    import resources.actions  # noqa: F401


def prepare_provider_config_class() -> None:
    """Make the provider configuration's attrs class as pyvider's `setup` will, so that forked
    children find it made (`provider.pyvider_patches.remember_config_classes`)."""
    from pyvider.common.utils.attrs_factory import create_attrs_class_from_schema
    from pyvider.schema import s_provider

    from provider.provider import SevallaSettingsCapability

    schema = s_provider(attributes=SevallaSettingsCapability.get_schema_contribution())
    create_attrs_class_from_schema("ProviderConfig", schema.block.attributes)


def register_components() -> None:
    """Fill pyvider's hub with this provider's components, as discovery will in each start: a
    forked child's discovery then finds them there (`warm.plugin.register_components`)."""
    from pyvider.hub import hub

    import warm.plugin

    warm.plugin.register_components(hub)


def make_schema_ahead() -> None:
    """Build the GetProviderSchema answer once, before the warm server forks: every Terraform
    command's first start then answers with it (`provider.pyvider_patches.answer_schema_made_ahead`)."""
    from provider import pyvider_patches
    from provider.provider import SevallaProvider

    asyncio.run(pyvider_patches.make_schema_ahead(SevallaProvider))


def preload_later() -> None:
    """What only later RPCs need (ConfigureProvider and the first API call): after `preload`, and
    after the first provider start when the server starts cold (that start only serves its schema)."""
    from provider.client.transport import tls_context

    tls_context()  # built once here, inherited by every forked provider process
    preload_lazy_imports()


# Imported on first use, inside a provider start (found by profiling forked children): httpx's
# transport stack on the first request, pyvider's helpers on ConfigureProvider, OpenSSL's
# backend for the plugin certificate. Each would cost every start that needs it 1-15 ms.
LAZY_MODULES = (
    "anyio._backends._asyncio",
    "anyio.streams.memory",
    "anyio.streams.stapled",
    "anyio.streams.tls",
    "concurrent.futures.thread",
    "cryptography.hazmat.backends.openssl",
    "h11",
    "httpcore",
    "httpcore._async.connection",
    "httpcore._async.connection_pool",
    "httpcore._async.http11",
    "httpcore._backends.anyio",
    "pyvider.common.utils",
    "queue",
)


def preload_lazy_imports() -> None:
    """Import LAZY_MODULES and run once what initialises state on first use (no secret kept)."""
    import importlib

    for name in LAZY_MODULES:
        with contextlib.suppress(ImportError):  # a dependency's internals may move
            importlib.import_module(name)
    # What OpenSSL and provide.foundation set up on the first certificate: each start makes one
    # for the plugin's TLS (this one is thrown away).
    with contextlib.suppress(Exception):
        from pyvider.rpcplugin.server.network import Certificate

        Certificate.create_self_signed_server_cert(
            common_name="warm-up", organization_name="warm-up", validity_days=1
        )


def _plugin_socket_path() -> str | None:
    try:
        from provider import pyvider_patches

        try:
            return pyvider_patches.plugin_socket_path()
        except pyvider_patches.PyviderChanged as error:  # the socket file stays behind
            pyvider_patches.report(error)
    except Exception:  # leaving must not fail
        pass
    return None


# Set by a warm server's child (warm.server): tells its launcher the exit code before the exit.
exit_reporter: Callable[[int], None] | None = None


def exit_now(code: int = 0) -> None:
    """Leave at once: remove the plugin's socket, flush logs and stdio, skip all teardown.

    A warm child then lets go of Terraform's pipes and tells its launcher the code
    (`exit_reporter`), so Terraform need not wait while the kernel frees the child's memory
    (its private copy of the warm server's: ~6 ms)."""
    path = _plugin_socket_path()
    if path:
        with contextlib.suppress(OSError):
            os.unlink(path)
    if "logging" in sys.modules:
        with contextlib.suppress(Exception):
            sys.modules["logging"].shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    if exit_reporter is not None:
        with contextlib.suppress(Exception):
            exit_reporter(code)
    os._exit(code)


async def wind_down() -> None:
    """What the end of `asyncio.run` would do for the provider, then `exit_now`.

    The other tasks (see `_cancellable`) are cancelled and given up to WIND_DOWN_SECONDS to
    finish, so code that
    cleans up when its task is cancelled (the provider closes its HTTP pool and logs its API
    metrics that way) still runs. What is skipped: pyvider's 0.1 s sleep, the SIGTERM round trip,
    the gRPC server's graceful stop, a second event loop for telemetry, interpreter teardown.
    """
    tasks = [task for task in asyncio.all_tasks() if _cancellable(task)]
    for task in tasks:
        task.cancel()
    if tasks:
        await asyncio.wait(tasks, timeout=WIND_DOWN_SECONDS)
    exit_now(0)


def _cancellable(task: asyncio.Task[Any]) -> bool:
    """The tasks `wind_down` cancels: Python coroutines other than itself and the server's.

    gRPC's own tasks run Cython coroutines; cancelling those under a live server crashed the
    process (SIGSEGV), and pyvider's serving task would only start the slow graceful stop.
    """
    coroutine = task.get_coro()
    return (
        task is not asyncio.current_task()
        and isinstance(coroutine, types.CoroutineType)
        and coroutine.__qualname__ not in SERVER_COROUTINES
    )


def install_prompt_exit() -> None:
    """Wind down as soon as the answer to Terraform's Shutdown call has been sent.

    Raises `PyviderChanged` if pyvider's Shutdown is not what the patch expects (see
    `provider.pyvider_patches.install_prompt_exit`).
    """
    from provider import pyvider_patches

    pyvider_patches.install_prompt_exit(after_shutdown_answer)


def after_shutdown_answer(loop: asyncio.AbstractEventLoop) -> None:
    """Called by gRPC (any thread) once the Shutdown answer is out: wind down on the loop."""
    loop.call_soon_threadsafe(lambda: loop.create_task(wind_down()))
    # Should a task ignore its cancellation and block the loop, leave anyway.
    backstop = threading.Timer(WIND_DOWN_SECONDS + 1.0, exit_now)
    backstop.daemon = True
    backstop.start()


def main() -> None:
    """Run the provider as pyvider's console script would, with the prompt exit installed."""
    argv0 = os.environ.pop(ARGV0_VARIABLE, None)
    if argv0:
        sys.argv[0] = argv0
    from provider import pyvider_patches

    try:
        install_prompt_exit()
    except pyvider_patches.PyviderChanged as error:  # pyvider's own (slower) exit, still correct
        pyvider_patches.report(error)
    from pyvider.cli.__main__ import main as pyvider_main

    pyvider_main()


if __name__ == "__main__":
    main()
