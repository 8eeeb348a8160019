"""`create_app`: the aiohttp application serving the emulated API under /v3."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

from aiohttp import web

from emulator import control
from emulator.clock import Clock
from emulator.crud import Kind, add_routes, context
from emulator.faults import FAULTS, FaultInjector
from emulator.middlewares import Handler, guard, inject_faults, observe
from emulator.ratelimit import RateLimiter
from emulator.routes import (
    api_keys,
    applications,
    databases,
    deployments,
    docker_registries,
    domains,
    load_balancers,
    object_storage,
    pipelines,
    projects,
    reference,
    singletons,
    static_sites,
    webhooks,
)
from emulator.settings import EmulatorSettings, Timing
from emulator.state import CLOCK, KIND_NAMES, LIMITER, SETTINGS, STATS, STORE, TIMING
from emulator.stats import Stats
from emulator.store import Store

# One-per-parent kinds with their own handlers (emulator/routes/singletons.py).
APP_DEPLOYMENT_HOOKS = singletons.deployment_hook_of(
    applications.APPLICATIONS, "application_deployment_hooks"
)
APP_IP_RESTRICTIONS = singletons.ip_restriction_of(applications.APPLICATIONS, "application_ip_restrictions")

# Every generic-CRUD kind, parents before children. New kinds are appended here.
KINDS: tuple[Kind, ...] = (
    *applications.KINDS,
    *deployments.KINDS,
    *databases.KINDS,
    *static_sites.KINDS,
    *object_storage.KINDS,
    *load_balancers.KINDS,
    *pipelines.KINDS,
    *api_keys.KINDS,
    *projects.KINDS,
    *docker_registries.KINDS,
    *webhooks.KINDS,
)


@web.middleware
async def settle(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Before every request (API or control, after any injected hold): finish what the request's
    time has made due, e.g. remove databases whose asynchronous delete has ended."""
    ctx = context(request, None)
    for kind in KINDS:
        if kind.sweep is not None:
            kind.sweep(ctx)
    return await handler(request)


def create_app(settings: EmulatorSettings | None = None, *, clock: Clock = time.time) -> web.Application:
    """One emulator instance; `clock` is injectable so tests can move time without sleeping."""
    settings = settings or EmulatorSettings()
    app = web.Application(
        middlewares=[observe, guard, inject_faults, settle], client_max_size=4 * 1024 * 1024
    )
    app[SETTINGS] = settings
    app[CLOCK] = clock
    app[STORE] = Store(settings.db_path)
    app[STATS] = Stats()
    app[FAULTS] = FaultInjector(settings.faults)
    app[TIMING] = Timing(settings.db_ready_delay_seconds, settings.db_delete_delay_seconds)
    app[LIMITER] = RateLimiter(
        settings.rate_window_seconds, enforce=settings.rate_limits_enabled, clock=clock
    )
    app[KIND_NAMES] = tuple(
        kind.name for kind in (*KINDS, APP_DEPLOYMENT_HOOKS, APP_IP_RESTRICTIONS, databases.IP_RESTRICTIONS)
    )
    reference.add_routes(app)
    for kind in KINDS:
        add_routes(app, kind)
    applications.add_routes(app)
    for domains_kind in (
        applications.APP_DOMAINS,
        static_sites.STATIC_SITE_DOMAINS,
        load_balancers.LOAD_BALANCER_DOMAINS,
    ):
        domains.add_action_routes(app, domains_kind)
    databases.add_routes(app)
    object_storage.add_routes(app)
    deployments.add_routes(app)
    load_balancers.add_routes(app)
    pipelines.add_routes(app)
    singletons.add_deployment_hook_routes(app, APP_DEPLOYMENT_HOOKS)
    singletons.add_ip_restriction_routes(app, APP_IP_RESTRICTIONS)
    singletons.add_ip_restriction_routes(app, databases.IP_RESTRICTIONS)
    api_keys.add_routes(app)
    projects.add_routes(app)
    webhooks.add_routes(app)
    control.add_routes(app)
    app.cleanup_ctx.append(_close_store)
    return app


async def _close_store(app: web.Application) -> AsyncIterator[None]:
    yield
    app[STORE].close()
