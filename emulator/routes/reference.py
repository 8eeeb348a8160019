"""Read-only reference data and account endpoints: bare arrays, fixed ids, no pagination."""

from __future__ import annotations

from aiohttp import web

from emulator.catalog import CLUSTERS, DATABASE_RESOURCE_TYPES, PROCESS_RESOURCE_TYPES, USERS
from emulator.crud import API_PREFIX


async def clusters(request: web.Request) -> web.Response:
    return web.json_response(list(CLUSTERS))


async def process_resource_types(request: web.Request) -> web.Response:
    return web.json_response(list(PROCESS_RESOURCE_TYPES))


async def database_resource_types(request: web.Request) -> web.Response:
    return web.json_response(list(DATABASE_RESOURCE_TYPES))


async def users(request: web.Request) -> web.Response:
    return web.json_response({"data": list(USERS)})


async def validate_api_key(request: web.Request) -> web.Response:
    # Reaching a handler means the auth middleware accepted the key.
    return web.json_response({"is_valid": True})


def add_routes(app: web.Application) -> None:
    router = app.router
    router.add_get(f"{API_PREFIX}/resources/clusters", clusters)
    router.add_get(f"{API_PREFIX}/resources/process-resource-types", process_resource_types)
    router.add_get(f"{API_PREFIX}/resources/database-resource-types", database_resource_types)
    router.add_get(f"{API_PREFIX}/users", users)
    router.add_get(f"{API_PREFIX}/api-keys/validate", validate_api_key)
