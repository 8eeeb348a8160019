"""Value checks shared by the resources' `check(config)` hooks.

Each returns a list of problems, (attribute path, message), empty when the value is fine. A value
that is None (not set) or UNKNOWN (not known yet at plan: a reference to an object that does not
exist yet) is never a problem: it is checked again when Terraform knows it. Checks only refuse what
the Sevalla API refuses for certain (documented limits, or values that cannot mean anything such as
an IP address `300.1.1.1`); where the API's value set is not documented they check the form only.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from provider.formatting import shown
from provider.handlers import Problem as Problem  # (attribute path, message)


class Unknown:
    """A value Terraform does not know yet (planned as "known after apply")."""

    def __repr__(self) -> str:
        return "(known after apply)"


UNKNOWN = Unknown()


def is_text(value: Any) -> bool:
    return isinstance(value, str)


def is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def known_items(values: Any) -> list[Any]:
    """The known items of a list attribute (none when the list itself is unset or unknown)."""
    if not isinstance(values, list | tuple):
        return []
    return [value for value in values if value is not None and not isinstance(value, Unknown)]


# --- text ----------------------------------------------------------------------------------------


def one_of(attribute: str, value: Any, allowed: tuple[str, ...]) -> list[Problem]:
    if not is_text(value) or value in allowed:
        return []
    return [(attribute, f"must be one of {', '.join(allowed)}; got {shown(value)}")]


def length_between(attribute: str, value: Any, shortest: int, longest: int) -> list[Problem]:
    if not is_text(value) or shortest <= len(value) <= longest:
        return []
    return [(attribute, f"must be {shortest} to {longest} characters long")]


def not_empty(attribute: str, value: Any) -> list[Problem]:
    return [(attribute, "must not be empty")] if value == "" else []


def matches(attribute: str, value: Any, pattern: str, meaning: str) -> list[Problem]:
    """`meaning` says in words what the pattern accepts (shown to the user)."""
    if not is_text(value) or re.fullmatch(pattern, value):
        return []
    return [(attribute, f"must be {meaning}; got {shown(value)}")]


# Kubernetes' rule for environment variable names (Sevalla runs applications on Kubernetes).
ENV_KEY_PATTERN = r"[-._a-zA-Z][-._a-zA-Z0-9]*"


def env_key(attribute: str, value: Any) -> list[Problem]:
    return matches(
        attribute, value, ENV_KEY_PATTERN, "letters, digits, _, - and . (not starting with a digit)"
    )


_LABEL = re.compile(r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?")


def domain_name(attribute: str, value: Any) -> list[Problem]:
    """A DNS name of two labels or more (RFC 1123), optionally a wildcard `*.example.com`."""
    if not is_text(value):
        return []
    labels = (value[2:] if value.startswith("*.") else value).split(".")
    valid = (
        len(value) <= 253
        and len(labels) >= 2
        and all(_LABEL.fullmatch(label) for label in labels)
        and not labels[-1].isdigit()
    )
    return (
        [] if valid else [(attribute, f"must be a domain name such as app.example.com; got {shown(value)}")]
    )


def http_url(attribute: str, value: Any) -> list[Problem]:
    if not is_text(value):
        return []
    try:
        parts = urlsplit(value)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname) and " " not in value
    except ValueError:
        valid = False
    return [] if valid else [(attribute, f"must be an http:// or https:// URL; got {shown(value)}")]


def iso_timestamp(attribute: str, value: Any) -> list[Problem]:
    if not is_text(value):
        return []
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return [
            (attribute, f"must be an ISO 8601 timestamp such as 2030-01-31T00:00:00Z; got {shown(value)}")
        ]
    return []


def ip_or_cidr_list(attribute: str, values: Any) -> list[Problem]:
    """IPv4/IPv6 addresses and CIDR ranges (host bits may be set, as the API accepts)."""
    bad = []
    for value in known_items(values):
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError:
            bad.append(shown(value))
    return [(attribute, f"not IP addresses or CIDR ranges: {', '.join(bad)}")] if bad else []


def no_empty_items(attribute: str, values: Any) -> list[Problem]:
    if any(value == "" for value in known_items(values)):
        return [(attribute, "must not contain empty strings")]
    return []


def items_one_of(attribute: str, values: Any, allowed: tuple[str, ...]) -> list[Problem]:
    bad = [shown(value) for value in known_items(values) if value not in allowed]
    if bad:
        return [(attribute, f"must be among {', '.join(allowed)}; got {', '.join(bad)}")]
    return []


# --- numbers -------------------------------------------------------------------------------------


def number_between(attribute: str, value: Any, low: float | None, high: float | None) -> list[Problem]:
    if not is_number(value):
        return []
    if (low is not None and value < low) or (high is not None and value > high):
        return [(attribute, f"must be {_range(low, high)}; got {shown(value)}")]
    return []


def whole_number(
    attribute: str, value: Any, low: int | None = None, high: int | None = None
) -> list[Problem]:
    """A whole number within the bounds (Terraform numbers may be fractions)."""
    if not is_number(value):
        return []
    if value != int(value):
        return [(attribute, f"must be a whole number; got {shown(value)}")]
    return number_between(attribute, value, low, high)


def port(attribute: str, value: Any) -> list[Problem]:
    return whole_number(attribute, value, 1, 65535)


def _range(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"between {shown(low)} and {shown(high)}"
    return f"at least {shown(low)}" if low is not None else f"at most {shown(high)}"


def problems_of(*groups: Iterable[Problem]) -> list[Problem]:
    """All problems of several checks, in order."""
    return [problem for group in groups for problem in group]
