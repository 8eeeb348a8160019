"""The Sevalla API client shared by every resource and data source."""

from provider.client import kinds
from provider.client.client import SevallaClient
from provider.client.errors import (
    APIError,
    BadRequestError,
    ConfigurationError,
    ExistingObjectError,
    ForbiddenError,
    InvalidIdError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    SevallaError,
    TransportError,
    UnauthorizedError,
    UnexpectedAnswerError,
    ValidationError,
)

__all__ = [
    "APIError",
    "BadRequestError",
    "ConfigurationError",
    "ExistingObjectError",
    "ForbiddenError",
    "InvalidIdError",
    "NotFoundError",
    "RateLimitedError",
    "ServerError",
    "SevallaClient",
    "SevallaError",
    "TransportError",
    "UnauthorizedError",
    "UnexpectedAnswerError",
    "ValidationError",
    "kinds",
]
