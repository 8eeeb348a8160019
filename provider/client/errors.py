"""The exception tree every API call can raise.

    SevallaError
    ├── ConfigurationError        bad provider settings (never reaches the network)
    ├── InvalidIdError            an id that cannot be one segment of an API path (kinds.py)
    └── APIError                  the API answered with an error status
        ├── BadRequestError       400
        ├── UnauthorizedError     401 missing or wrong API key
        ├── ForbiddenError        403 the key lacks a permission
        ├── NotFoundError         404 (also "no access")
        ├── ValidationError       422, with per-field messages
        │   └── ExistingObjectError   a create refused because its identity is taken: names it
        ├── RateLimitedError      429, with the wait the server asked for
        └── ServerError           5xx
    ├── TransportError            no answer: connection refused/reset, timeout
    ├── UnexpectedAnswerError     an answer that is not what the API promises (not JSON, wrong
    │                             JSON type, no id, empty where a body is required)
    ├── CircuitOpenError          failing fast after repeated failures (breaker.py)
    ├── StopRequested             Terraform asked the provider to stop during a wait (waiting.py)
    └── DeadlineExceeded          a wait would outlast the resource's timeout (waiting.py)

Handlers turn these into Terraform diagnostics (provider/diagnostics.py); the API's own
message and the `x-request-id` travel with every APIError so a user can quote them.
"""

from __future__ import annotations

from typing import Any


class SevallaError(Exception):
    """Base of everything this client raises."""


class ConfigurationError(SevallaError):
    """A provider setting is invalid; `attribute` names the provider attribute."""

    def __init__(self, attribute: str, summary: str, detail: str = "") -> None:
        super().__init__(f"{summary}: {detail}" if detail else summary)
        self.attribute = attribute
        self.summary = summary
        self.detail = detail


class InvalidIdError(SevallaError):
    """An id that would change which endpoint a path names ("..", "a/b", "x?y"); raised by
    kinds.py before any request. `value` is the id, `problem` says what is wrong."""

    def __init__(self, value: object, problem: str) -> None:
        super().__init__(f"invalid id {value!r}: {problem}")
        self.value = value
        self.problem = problem


class APIError(SevallaError):
    """The API answered with an error status."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        method: str = "",
        path: str = "",
        request_id: str | None = None,
        code: str | None = None,
        detail: str | None = None,
        fields: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.method = method
        self.path = path
        self.request_id = request_id
        self.code = code
        self.detail = detail
        self.fields = fields or {}

    def __str__(self) -> str:
        parts = [f"{self.method} {self.path}: {self.status} {self.message}".strip()]
        if self.detail:
            parts.append(self.detail)
        if self.request_id:
            parts.append(f"(request id {self.request_id})")
        return " ".join(parts)


class BadRequestError(APIError):
    pass


class UnauthorizedError(APIError):
    pass


class ForbiddenError(APIError):
    pass


class NotFoundError(APIError):
    pass


class ValidationError(APIError):
    pass


class ExistingObjectError(ValidationError):
    """A create refused (422) because an object with the same identity (key, name) exists:
    `existing_id` says which, so the error can give the `terraform import` that adopts it."""

    def __init__(self, refusal: ValidationError, *, existing_id: str) -> None:
        super().__init__(
            refusal.status,
            refusal.message,
            method=refusal.method,
            path=refusal.path,
            request_id=refusal.request_id,
            code=refusal.code,
            detail=refusal.detail,
            fields=refusal.fields,
        )
        self.existing_id = existing_id


class RateLimitedError(APIError):
    def __init__(self, *args: Any, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.retry_after = retry_after


class ServerError(APIError):
    pass


class TransportError(SevallaError):
    """No usable HTTP answer (connection refused or reset, timeout).

    `sent` is False only when the request surely never reached the server (the connection
    could not be opened), which makes even a POST safe to retry.
    """

    def __init__(self, message: str, *, method: str = "", path: str = "", sent: bool = True) -> None:
        super().__init__(f"{method} {path}: {message}".strip())
        self.method = method
        self.path = path
        self.sent = sent


class UnexpectedAnswerError(SevallaError):
    """The API answered, but not with what it promises for this request: the method, path,
    status and request id say which answer, so it can be reported."""

    def __init__(
        self, problem: str, *, method: str, path: str, status: int, request_id: str | None = None
    ) -> None:
        where = f"{method} {path} answered {status}"
        super().__init__(f"{where}: {problem}" + (f" (request id {request_id})" if request_id else ""))
        self.problem = problem
        self.method = method
        self.path = path
        self.status = status
        self.request_id = request_id


_BY_STATUS: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: UnauthorizedError,
    403: ForbiddenError,
    404: NotFoundError,
    422: ValidationError,
    429: RateLimitedError,
}


def error_class_for(status: int) -> type[APIError]:
    if status >= 500:
        return ServerError
    return _BY_STATUS.get(status, APIError)
