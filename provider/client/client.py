"""SevallaClient: the one object every handler talks to."""

from __future__ import annotations

from typing import Any

from provider.client.transport import PAGE_LIMIT, Transport
from provider.settings import ProviderSettings


def _items(body: Any) -> tuple[list[dict[str, Any]], int | None]:
    """Decode a list answer: a bare array, or {data: [...], total: N}."""
    if isinstance(body, list):
        return body, None
    if isinstance(body, dict) and isinstance(body.get("data"), list):
        total = body.get("total")
        return body["data"], int(total) if isinstance(total, int | float) else None
    return [], None


class SevallaClient:
    def __init__(self, settings: ProviderSettings, user_agent: str) -> None:
        self.settings = settings
        self._transport = Transport(settings, user_agent)

    async def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return await self._transport.request("GET", path, params=params)

    async def post(self, path: str, body: dict[str, Any] | None = None) -> Any:
        return await self._transport.request("POST", path, json_body=body or {})

    async def patch(self, path: str, body: dict[str, Any]) -> Any:
        return await self._transport.request("PATCH", path, json_body=body)

    async def put(self, path: str, body: dict[str, Any]) -> Any:
        return await self._transport.request("PUT", path, json_body=body)

    async def delete(self, path: str) -> Any:
        return await self._transport.request("DELETE", path)

    async def list_all(self, path: str) -> list[dict[str, Any]]:
        """Every item of a collection, following pagination (100 per page)."""
        items: list[dict[str, Any]] = []
        offset = 0
        while True:
            body = await self.get(path, params={"limit": PAGE_LIMIT, "offset": offset})
            page, total = _items(body)
            items.extend(page)
            if total is None or not page or offset + len(page) >= total:
                return items
            offset += len(page)

    async def aclose(self) -> None:
        await self._transport.aclose()
