"""One pooled httpx.AsyncClient per configured provider, and the mapping of HTTP errors."""

from __future__ import annotations

import json
import logging
from typing import Any

import httpx

from provider.client.errors import RateLimitedError, TransportError, error_class_for
from provider.settings import ProviderSettings

log = logging.getLogger("sevalla.client")

PAGE_LIMIT = 100


def _error_from_response(response: httpx.Response, method: str, path: str) -> Exception:
    request_id = response.headers.get("x-request-id")
    message, code, detail, fields = f"unexpected status code {response.status_code}", None, None, None
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        body = None
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
        retry_after = response.headers.get("x-ratelimit-reset") or response.headers.get("retry-after")
        try:
            kwargs["retry_after"] = float(retry_after) if retry_after else None
        except ValueError:
            kwargs["retry_after"] = None
    return cls(response.status_code, message, **kwargs)


class Transport:
    """Sends one request and returns its decoded JSON body, or raises from errors.py."""

    def __init__(self, settings: ProviderSettings, user_agent: str) -> None:
        self._client = httpx.AsyncClient(
            base_url=settings.api_url + "/",
            headers={
                "Authorization": f"Bearer {settings.api_key}",
                "Accept": "application/json",
                "User-Agent": user_agent,
            },
            timeout=settings.request_timeout,
            follow_redirects=False,
        )

    async def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        params: dict[str, Any] | None = None,
    ) -> Any:
        try:
            response = await self._client.request(method, path.lstrip("/"), json=json_body, params=params)
        except httpx.TimeoutException as exc:
            raise TransportError(f"timed out: {exc!r}", method=method, path=path) from exc
        except httpx.TransportError as exc:
            raise TransportError(f"connection failed: {exc!r}", method=method, path=path) from exc
        log.debug(
            "%s %s -> %s (request id %s)",
            method,
            path,
            response.status_code,
            response.headers.get("x-request-id"),
        )
        if response.status_code >= 400:
            raise _error_from_response(response, method, path)
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except json.JSONDecodeError as exc:
            raise TransportError(
                f"answer with status {response.status_code} is not JSON", method=method, path=path
            ) from exc

    async def aclose(self) -> None:
        await self._client.aclose()
