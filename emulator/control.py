"""The `/_emulator/*` endpoints tests use to observe and reset the emulator (no auth needed)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from emulator.state import KIND_NAMES, LIMITER, STATS, STORE

PREFIX = "/_emulator"


def object_counts(app: web.Application) -> dict[str, Any]:
    """Every known kind (zero when empty) plus any other kind found in the store, and the total."""
    stored = app[STORE].counts()
    counts: dict[str, Any] = {name: stored.get(name, 0) for name in app[KIND_NAMES]}
    counts.update({name: count for name, count in stored.items() if name not in counts})
    counts["total"] = sum(stored.values())
    return counts


async def health(request: web.Request) -> web.Response:
    return web.json_response({"ok": True})


async def get_stats(request: web.Request) -> web.Response:
    return web.json_response(request.app[STATS].as_json())


async def reset_stats(request: web.Request) -> web.Response:
    request.app[STATS].reset()
    return web.json_response(request.app[STATS].as_json())


async def get_objects(request: web.Request) -> web.Response:
    return web.json_response(object_counts(request.app))


async def reset_objects(request: web.Request) -> web.Response:
    request.app[STORE].clear()
    return web.json_response(object_counts(request.app))


async def reset_rate_limits(request: web.Request) -> web.Response:
    request.app[LIMITER].reset()
    return web.json_response({"ok": True})


def add_routes(app: web.Application) -> None:
    router = app.router
    router.add_get(f"{PREFIX}/health", health)
    router.add_get(f"{PREFIX}/stats", get_stats)
    router.add_post(f"{PREFIX}/stats/reset", reset_stats)
    router.add_get(f"{PREFIX}/objects", get_objects)
    router.add_post(f"{PREFIX}/reset", reset_objects)
    router.add_post(f"{PREFIX}/ratelimits/reset", reset_rate_limits)
