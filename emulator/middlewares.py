"""Cross-cutting behaviour of every response: error shape, request id, rate limits, auth, stats.

`observe` is outermost: it sees the final status of every request (including 401/404/429 and
crashes), renders errors in the API's shape and stamps the headers. `guard` runs inside it and
decides auth and rate limiting for /v3 requests. `inject_faults` runs innermost, so only requests
that passed auth and the real limits are delayed or failed (see emulator.faults).
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import uuid
from collections.abc import Awaitable, Callable

import attrs
from aiohttp import web

from emulator.crud import API_PREFIX
from emulator.errors import (
    ApiError,
    internal_error,
    method_not_allowed,
    rate_limited,
    route_not_found,
    unauthorized,
)
from emulator.faults import FAULTS, DropConnection, Target, injected_error
from emulator.ratelimit import Decision, classify
from emulator.state import LIMITER, SETTINGS, STATS

log = logging.getLogger("emulator")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
DECISION_KEY = web.RequestKey("rate_decision", Decision)


def is_api(request: web.Request) -> bool:
    return request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/")


def route_template(request: web.Request) -> str:
    """The matched route's template (e.g. /v3/applications/{id}); the raw path when nothing matched."""
    resource = request.match_info.route.resource
    return resource.canonical if resource is not None else request.path


@web.middleware
async def observe(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        response = await handler(request)
    except DropConnection:
        return _drop(request)
    except ApiError as error:
        response = _error_response(error)
    except web.HTTPException as http_error:
        response = _error_response(_from_http(request, http_error))
    except Exception:
        log.exception("unhandled error on %s %s", request.method, request.path)
        response = _error_response(internal_error())
    response.headers["x-request-id"] = str(uuid.uuid4())
    if is_api(request):
        decision = request.get(DECISION_KEY)
        if decision is not None:
            response.headers.update(decision.headers())
        request.app[STATS].record(request.method, route_template(request), response.status)
    return response


@web.middleware
async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    if not is_api(request):
        return await handler(request)
    limiter = request.app[LIMITER]
    tier, scope = classify(request.method, request.path[len(API_PREFIX) :])
    if not _authorized(request):
        # Refused before counting: the headers show the read budget, untouched.
        request[DECISION_KEY] = limiter.peek(tier, scope)
        raise unauthorized()
    decision = request[DECISION_KEY] = limiter.hit(tier, scope)
    if not decision.allowed:
        raise rate_limited(tier.name, decision.reset_seconds)
    return await handler(request)


@web.middleware
async def inject_faults(request: web.Request, handler: Handler) -> web.StreamResponse:
    if not is_api(request):
        return await handler(request)
    injector = request.app[FAULTS]
    plan = injector.plan()  # drawn for every request, so targets never shift the seeded mix
    stats = request.app[STATS]
    target = injector.target(request.method, route_template(request))
    if target is not None:
        return await _targeted(request, handler, target)
    if plan.delay_seconds > 0:
        await asyncio.sleep(plan.delay_seconds)
    if plan.refusal is not None:
        stats.record_fault(plan.refusal)
    if plan.refusal == "error_5xx":
        raise injected_error(plan.error_status)
    if plan.refusal == "rate_limit":
        reset = request.app[FAULTS].faults.rate_limit_reset_seconds
        decision = request[DECISION_KEY] = attrs.evolve(
            request[DECISION_KEY], remaining=0, reset_seconds=reset, allowed=False
        )
        raise rate_limited(decision.tier.name, reset)
    if plan.refusal == "drop":
        raise DropConnection()
    response = await handler(request)
    if plan.ambiguous and request.method == "POST" and response.status == 201:
        # The create is already committed; the client just never learns it worked.
        stats.record_fault("ambiguous_create")
        if request.app[FAULTS].faults.ambiguous_mode == "drop":
            raise DropConnection()
        raise injected_error(500)
    return response


async def _targeted(request: web.Request, handler: Handler, target: Target) -> web.StreamResponse:
    """A `Target`'s fault: optionally commit, count it, optionally hold, then fail or answer."""
    response = await handler(request) if target.commit else None
    request.app[STATS].record_fault("targeted")
    if target.hold_ms:
        await asyncio.sleep(target.hold_ms / 1000)
    if target.drop:
        raise DropConnection()
    if target.status is not None:
        raise injected_error(target.status)
    return response if response is not None else await handler(request)


def _drop(request: web.Request) -> web.StreamResponse:
    """Close the connection unanswered; aiohttp then fails to write the placeholder and lets go."""
    request.app[STATS].record(request.method, route_template(request), "dropped")
    if request.transport is not None:
        request.transport.abort()
    return web.Response(status=500)


def _authorized(request: web.Request) -> bool:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return False
    return hmac.compare_digest(token.strip().encode(), request.app[SETTINGS].api_key.encode())


def _error_response(error: ApiError) -> web.Response:
    response = web.json_response(error.body(), status=error.status)
    response.headers.update(error.headers)
    return response


def _from_http(request: web.Request, http_error: web.HTTPException) -> ApiError:
    if http_error.status == 404:
        return route_not_found(request.method, request.path)
    if http_error.status == 405:
        return method_not_allowed(request.method, request.path)
    return ApiError(http_error.status, http_error.reason, "HTTP_ERROR", http_error.text or http_error.reason)
