"""Turn client exceptions into Terraform diagnostics.

pyvider makes a diagnostic out of a raised exception; a FoundationError carrying
`terraform.summary` keeps our summary instead of the generic "An unexpected error
occurred", and a CtyValidationError with a path points Terraform at the attribute.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from pyvider.cty.exceptions import CtyValidationError
from pyvider.cty.path import CtyPath, GetAttrStep, IndexStep
from pyvider.exceptions import ResourceError

from provider.client.errors import (
    APIError,
    ConfigurationError,
    SevallaError,
    TransportError,
    UnauthorizedError,
    UnexpectedAnswerError,
    ValidationError,
)


def attribute_path(attribute: str) -> CtyPath:
    """`timeouts.create`, `ip_list[2]`, `capabilities[0].permission` as steps, so Terraform
    points at the nested attribute's line."""
    steps: list[GetAttrStep | IndexStep] = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", attribute):
        steps.append(GetAttrStep(name) if name else IndexStep(int(index)))
    return CtyPath(steps=steps)


def attribute_error(attribute: str, summary: str, detail: str = "") -> CtyValidationError:
    message = f"{summary}: {detail}" if detail else summary
    return CtyValidationError(message, path=attribute_path(attribute))


def _summary(action: str, exc: SevallaError) -> str:
    if isinstance(exc, UnauthorizedError):
        return f"Unable to {action}: the API key was refused"
    if isinstance(exc, ValidationError):
        return f"Unable to {action}: the API rejected the values"
    if isinstance(exc, TransportError):
        return f"Unable to {action}: the API could not be reached"
    if isinstance(exc, UnexpectedAnswerError):
        return f"Unable to {action}: the API's answer was not what it promises"
    return f"Unable to {action}"


def _detail(exc: SevallaError) -> str:
    if isinstance(exc, APIError):
        lines = [f"The Sevalla API answered {exc.status} {exc.message} to {exc.method} {exc.path}."]
        if exc.detail:
            lines.append(exc.detail)
        for field, messages in sorted(exc.fields.items()):
            lines.append(f"  {field}: {'; '.join(messages)}")
        if exc.request_id:
            lines.append(f"Request id: {exc.request_id}")
        return "\n".join(lines)
    return str(exc)


def to_terraform_error(action: str, exc: SevallaError) -> Exception:
    if isinstance(exc, ConfigurationError):
        return attribute_error(exc.attribute, exc.summary, exc.detail)
    error = ResourceError(_detail(exc))
    error.add_context("terraform.summary", _summary(action, exc))
    return error


@contextmanager
def reported(action: str) -> Iterator[None]:
    """Re-raise client errors as diagnostics that name the action, e.g. "create application"."""
    try:
        yield
    except SevallaError as exc:
        raise to_terraform_error(action, exc) from exc
