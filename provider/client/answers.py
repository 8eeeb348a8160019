"""What each kind of request must get back, checked where the answer arrives.

An answer that is not what the API promises (not JSON, a list where an object is due, a
create without an id, an empty body where one is required, an HTML page from a proxy)
becomes an UnexpectedAnswerError naming the method, path, status and request id, never an
AttributeError deep in a resource or a silent empty list.
"""

from __future__ import annotations

import json
from typing import Any, Literal

import httpx

from provider.client.errors import UnexpectedAnswerError

# object: a JSON object (GET of one object, a status poll)
# created: a JSON object with a non-empty string "id" (a create)
# page: a list page, a JSON array or {"data": [...], "total": N}
# optional: a JSON object, or no body at all (PATCH, PUT, DELETE, actions)
Expect = Literal["object", "created", "page", "optional"]


def _describe(body: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}.get(
        type(body), "a number" if isinstance(body, int | float) else "null"
    )


def decode_answer(response: httpx.Response, method: str, path: str, expect: Expect) -> Any:
    """The decoded body of a 2xx/3xx answer, checked against what `expect` says is due."""

    def unexpected(problem: str) -> UnexpectedAnswerError:
        return UnexpectedAnswerError(
            problem,
            method=method,
            path=path,
            status=response.status_code,
            request_id=response.headers.get("x-request-id"),
        )

    if response.status_code == 204 or not response.content.strip():
        if expect == "optional":
            return None
        raise unexpected("the body is empty, where the API returns JSON")
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        kind = response.headers.get("content-type", "unknown type").split(";")[0]
        raise unexpected(f"the body is not JSON ({kind}: {response.text[:60]!r})") from exc
    if expect == "page":
        if isinstance(body, list) or (isinstance(body, dict) and isinstance(body.get("data"), list)):
            return body
        raise unexpected(f"expected a list of items, got {_describe(body)}")
    if expect == "optional" and body is None:
        return None
    if not isinstance(body, dict):
        raise unexpected(f"expected a JSON object, got {_describe(body)}")
    if expect == "created" and not (isinstance(body.get("id"), str) and body["id"]):
        raise unexpected("the created object has no id")
    return body
