"""The API's error body, `{"message", "status", "data": {"code", "message", ...}}`, and helpers."""

from __future__ import annotations

from typing import Any

import attrs


@attrs.frozen
class ApiError(Exception):
    """Raised anywhere in a handler; the middleware turns it into the JSON error response."""

    status: int
    title: str
    code: str
    detail: str
    fields: dict[str, list[str]] | None = None
    headers: dict[str, str] = attrs.field(factory=dict)

    def body(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "message": self.detail}
        if self.fields is not None:
            data["fields"] = self.fields
        return {"message": self.title, "status": self.status, "data": data}


def bad_request(detail: str) -> ApiError:
    return ApiError(400, "Bad Request", "BAD_REQUEST", detail)


def unauthorized() -> ApiError:
    return ApiError(401, "Unauthorized", "UNAUTHORIZED", "Invalid or missing API key.")


def not_found(label: str, object_id: str) -> ApiError:
    return ApiError(404, "Not Found", "NOT_FOUND", f"{label} {object_id} not found")


def route_not_found(method: str, path: str) -> ApiError:
    return ApiError(404, "Not Found", "NOT_FOUND", f"no route for {method} {path}")


def method_not_allowed(method: str, path: str) -> ApiError:
    return ApiError(405, "Method Not Allowed", "METHOD_NOT_ALLOWED", f"{method} is not allowed on {path}")


def invalid(fields: dict[str, list[str]]) -> ApiError:
    """422 listing every field problem; the top-level message names the first one."""
    first_field, problems = next(iter(fields.items()))
    return ApiError(422, "Validation failed", "INVALID_INPUT", f"{first_field} {problems[0]}", fields)


def invalid_field(field: str, problem: str) -> ApiError:
    return invalid({field: [problem]})


def rate_limited(tier: str, retry_after: int) -> ApiError:
    return ApiError(
        429,
        "Too Many Requests",
        "RATE_LIMITED",
        f"Rate limit exceeded for tier {tier}",
        headers={"Retry-After": str(retry_after)},
    )


def internal_error() -> ApiError:
    return ApiError(500, "Internal Server Error", "INTERNAL_ERROR", "The emulator failed; see its log.")
