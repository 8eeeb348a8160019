"""The `/_emulator/*` endpoints tests use to observe, reset and break the emulator (no auth needed)."""

from __future__ import annotations

import math
from typing import Any

from aiohttp import web

from emulator.crud import read_json_object
from emulator.errors import invalid
from emulator.faults import FAULTS, Faults
from emulator.state import KIND_NAMES, LIMITER, STATS, STORE, TIMING
from emulator.validation import Field, array, string, validate

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


async def list_objects(request: web.Request) -> web.Response:
    """Every stored object, for tests that compare the server with Terraform's state: kind, id,
    parent id, whether the platform made it by itself (an application's default process), and the
    body without its bookkeeping fields."""
    objects = [
        {
            "kind": kind,
            "id": object_id,
            "parent_id": parent_id,
            "implicit": bool(body.get("_implicit")),
            "body": {key: value for key, value in body.items() if not key.startswith("_")},
        }
        for kind, object_id, parent_id, body in request.app[STORE].dump()
    ]
    return web.json_response({"objects": objects})


async def get_timing(request: web.Request) -> web.Response:
    return web.json_response(request.app[TIMING].as_json())


async def put_timing(request: web.Request) -> web.Response:
    """Change the given database knobs at run time (the others stay); transitions and deletions
    under way use the new delays too. At least one field must be given."""
    body = await read_json_object(request)
    unknown = [key for key in body if key not in _TIMING_FIELDS]
    if unknown:
        raise invalid({key: ["is not a known timing setting"] for key in unknown})
    if not body:
        raise invalid({name: ["or another timing setting is required"] for name in _TIMING_FIELDS})
    values = validate(body, _TIMING_FIELDS, partial=True)
    timing = request.app[TIMING]
    for name in ("db_ready_delay_seconds", "db_delete_delay_seconds"):
        if name in values:
            setattr(timing, name, float(values[name]))
    if "db_error_display_names" in values:
        timing.db_error_display_names = tuple(values["db_error_display_names"])
    return web.json_response(timing.as_json())


def _finite(value: float) -> str | None:
    return None if math.isfinite(value) else "must be a finite number"


_TIMING_FIELDS = {
    "db_ready_delay_seconds": Field("number", required=True, min_value=0, check=_finite),
    "db_delete_delay_seconds": Field("number", required=True, min_value=0, check=_finite),
    "db_error_display_names": array(string(min_len=1), required=True),
}


async def reset_objects(request: web.Request) -> web.Response:
    request.app[STORE].clear()
    return web.json_response(object_counts(request.app))


async def reset_rate_limits(request: web.Request) -> web.Response:
    request.app[LIMITER].reset()
    return web.json_response({"ok": True})


async def get_faults(request: web.Request) -> web.Response:
    return web.json_response(request.app[FAULTS].faults.as_json())


async def put_faults(request: web.Request) -> web.Response:
    """Replaces the whole setting, so a test never inherits a field another test set."""
    faults = Faults.from_json(await read_json_object(request))
    request.app[FAULTS].replace(faults)
    return web.json_response(faults.as_json())


async def clear_faults(request: web.Request) -> web.Response:
    request.app[FAULTS].replace(Faults())
    return web.json_response(Faults().as_json())


def add_routes(app: web.Application) -> None:
    router = app.router
    router.add_get(f"{PREFIX}/health", health)
    router.add_get(f"{PREFIX}/stats", get_stats)
    router.add_post(f"{PREFIX}/stats/reset", reset_stats)
    router.add_get(f"{PREFIX}/objects", get_objects)
    router.add_get(f"{PREFIX}/objects/list", list_objects)
    router.add_get(f"{PREFIX}/timing", get_timing)
    router.add_put(f"{PREFIX}/timing", put_timing)
    router.add_post(f"{PREFIX}/reset", reset_objects)
    router.add_post(f"{PREFIX}/ratelimits/reset", reset_rate_limits)
    router.add_get(f"{PREFIX}/faults", get_faults)
    router.add_put(f"{PREFIX}/faults", put_faults)
    router.add_delete(f"{PREFIX}/faults", clear_faults)
