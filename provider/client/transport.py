"""One pooled httpx.AsyncClient per configured provider.

The pool follows the SEVALLA_* connection knobs: open and idle connection caps, idle expiry,
and a maximum lifetime (httpx has none, so the whole pool is renewed when it is that old;
requests already running finish on the old pool, which is then closed).
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import math
import ssl
import time
from typing import TYPE_CHECKING, Any

import httpx

from provider.client.errors import RateLimitedError, TransportError, error_class_for
from provider.client.limits import LONGEST_WINDOW
from provider.client.metrics import ClientMetrics
from provider.client.waiting import waited

if TYPE_CHECKING:
    from provider.settings import ProviderSettings

log = logging.getLogger("sevalla.client")

PAGE_LIMIT = 100
REDACTED = "[REDACTED]"
SECRET_HEADERS = frozenset({"authorization", "cookie", "set-cookie", "x-api-key"})


@functools.cache
def tls_context() -> ssl.SSLContext:
    """One verifying TLS context per process (loading certifi's bundle costs ~25 ms); the warm
    server builds it before forking, so provider processes inherit it."""
    return httpx.create_ssl_context()


def redacted_headers(headers: httpx.Headers) -> dict[str, str]:
    return {name: (REDACTED if name.lower() in SECRET_HEADERS else value) for name, value in headers.items()}


def decode_error(response: httpx.Response, method: str, path: str) -> Exception:
    request_id = response.headers.get("x-request-id")
    message, code, detail, fields = f"unexpected status code {response.status_code}", None, None, None
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        body = None
        kind = response.headers.get("content-type", "").split(";")[0]
        if response.content and kind:
            message = f"{message} (a {kind} answer, not JSON)"
    if isinstance(body, dict):
        message = str(body.get("message") or message)
        data = body.get("data")
        if isinstance(data, dict):
            code = data.get("code")
            detail = data.get("message")
            if isinstance(data.get("fields"), dict):
                fields = data["fields"]
    cls = error_class_for(response.status_code)
    kwargs: dict[str, Any] = dict(
        method=method, path=path, request_id=request_id, code=code, detail=detail, fields=fields
    )
    if cls is RateLimitedError:
        kwargs["retry_after"] = _seconds(response.headers.get("x-ratelimit-reset")) or _seconds(
            response.headers.get("retry-after")
        )
    return cls(response.status_code, message, **kwargs)


def _seconds(value: str | None) -> float | None:
    """A wait the server asked for, in seconds; None when absent or not a sane number."""
    try:
        seconds = float(value) if value else None
    except ValueError:
        return None
    if seconds is None or not math.isfinite(seconds) or seconds < 0:
        return None
    return min(seconds, LONGEST_WINDOW)  # no server wait is longer than a window


class Transport:
    """Sends one request; raises TransportError when no HTTP answer came back."""

    def __init__(self, settings: ProviderSettings, user_agent: str, metrics: ClientMetrics) -> None:
        self._settings = settings
        self._metrics = metrics
        # One slot per connection: a running HTTP/1.1 request holds one, so the number of
        # requests past this gate is the number of connections in use (a metric).
        self._slots = asyncio.Semaphore(settings.max_open_conns)
        self._open_limit = settings.max_open_conns
        self._headers = {
            "Authorization": f"Bearer {settings.api_key}",
            "Accept": "application/json",
            "User-Agent": user_agent,
        }
        self._retired: list[httpx.AsyncClient] = []
        self._client, self._born = self._new_client(), time.monotonic()
        self._in_flight: dict[int, int] = {}

    def _new_client(self) -> httpx.AsyncClient:
        s = self._settings
        return httpx.AsyncClient(
            base_url=s.api_url + "/",
            headers=self._headers,
            timeout=s.request_timeout,
            limits=httpx.Limits(
                max_connections=s.max_open_conns,
                max_keepalive_connections=s.max_idle_conns,
                keepalive_expiry=s.conn_max_idle_time,
            ),
            follow_redirects=False,
            verify=tls_context(),
        )

    async def _current_client(self) -> httpx.AsyncClient:
        if time.monotonic() - self._born >= self._settings.conn_max_lifetime:
            self._retired.append(self._client)
            self._client, self._born = self._new_client(), time.monotonic()
            log.debug("connection pool renewed (conn_max_lifetime reached)")
        for old in list(self._retired):
            if not self._in_flight.get(id(old)):
                self._retired.remove(old)
                await old.aclose()
        return self._client

    async def send(
        self, method: str, path: str, *, json_body: Any = None, params: dict[str, Any] | None = None
    ) -> httpx.Response:
        queued = time.monotonic()
        async with self._slots:
            waited(
                time.monotonic() - queued,
                f"queued for one of the {self._open_limit} connections (max_open_conns)",
            )
            return await self._send(method, path, json_body, params)

    async def _send(
        self, method: str, path: str, json_body: Any, params: dict[str, Any] | None
    ) -> httpx.Response:
        client = await self._current_client()
        self._in_flight[id(client)] = self._in_flight.get(id(client), 0) + 1
        self._metrics.request_started(method)
        started = time.monotonic()
        try:
            response = await client.request(method, path.lstrip("/"), json=json_body, params=params)
        except httpx.ConnectError as exc:
            raise TransportError(f"connection failed: {exc!r}", method=method, path=path, sent=False) from exc
        except httpx.ConnectTimeout as exc:
            raise TransportError(f"connect timed out: {exc!r}", method=method, path=path, sent=False) from exc
        except httpx.PoolTimeout as exc:
            raise TransportError(
                f"no free connection: {exc!r}", method=method, path=path, sent=False
            ) from exc
        except httpx.TimeoutException as exc:
            raise TransportError(f"timed out: {exc!r}", method=method, path=path) from exc
        except httpx.TransportError as exc:
            raise TransportError(f"connection broke: {exc!r}", method=method, path=path) from exc
        finally:
            self._in_flight[id(client)] -= 1
            self._metrics.request_finished()
        if log.isEnabledFor(logging.DEBUG):
            log.debug(
                f"{method} {path} -> {response.status_code}",
                extra={
                    "fields": {
                        "params": params,
                        "duration_ms": round((time.monotonic() - started) * 1000, 1),
                        "request_id": response.headers.get("x-request-id"),
                        "request_headers": redacted_headers(response.request.headers),
                        "ratelimit_remaining": response.headers.get("x-ratelimit-remaining"),
                    }
                },
            )
        return response

    async def aclose(self) -> None:
        for client in [self._client, *self._retired]:
            await client.aclose()
        self._retired.clear()
