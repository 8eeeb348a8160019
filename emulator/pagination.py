"""Offset pagination as documented: `limit` 1-100 (default 25), `offset` 0-10000 (default 0).

Out-of-range or non-integer values answer 422 with a field message (the docs leave this open).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from emulator.errors import invalid

DEFAULT_LIMIT = 25
# A sub-resource list (an application's env vars, a bucket's CORS policies, ...) without `limit`:
# the real API's default is not documented, so a small page (stricter: a client that reads only
# the first page misses items early).
SUB_LIST_DEFAULT_LIMIT = 5
MAX_LIMIT = 100
MAX_OFFSET = 10_000


@attrs.frozen
class Page:
    offset: int = 0
    limit: int = DEFAULT_LIMIT


def parse_page(query: Mapping[str, str], default_limit: int = DEFAULT_LIMIT) -> Page:
    problems: dict[str, list[str]] = {}
    limit = _bounded(query, "limit", default_limit, 1, MAX_LIMIT, problems)
    offset = _bounded(query, "offset", 0, 0, MAX_OFFSET, problems)
    if problems:
        raise invalid(problems)
    return Page(offset=offset, limit=limit)


def page_body(items: list[Any], total: int, page: Page) -> dict[str, Any]:
    return {"data": items, "total": total, "offset": page.offset, "limit": page.limit}


def _bounded(
    query: Mapping[str, str], name: str, default: int, low: int, high: int, problems: dict[str, list[str]]
) -> int:
    raw = query.get(name)
    if raw is None:
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        problems[name] = [f"must be an integer between {low} and {high}"]
        return default
    return value
