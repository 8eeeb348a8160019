"""Provider settings: each knob is a provider attribute and a SEVALLA_* environment variable.

The provider block wins over the environment, the environment over the default. One table
(KNOBS) drives the provider schema, the parsing and the README, so they cannot disagree.
Invalid values raise ConfigurationError naming the provider attribute, which Terraform
shows as an error on that attribute.
"""

from __future__ import annotations

import ipaddress
import math
import os
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, Literal
from urllib.parse import urlsplit

import attrs

from provider.client.errors import ConfigurationError
from provider.formatting import shown

DEFAULT_API_URL = "https://api.sevalla.com/v3"

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)")
_UNIT_SECONDS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def parse_duration(text: str) -> float:
    """Seconds in a Go-style duration ("1m30s", "100ms", "5m"); ValueError otherwise."""
    text = text.strip()
    if text == "0":
        return 0.0
    pos, total = 0, 0.0
    for match in _DURATION_PART.finditer(text):
        if match.start() != pos:
            break
        total += float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
        pos = match.end()
    if pos != len(text) or pos == 0:
        raise ValueError(f'invalid duration {text!r}: use Go syntax such as "30s", "5m" or "100ms"')
    if not math.isfinite(total):  # hundreds of digits overflow a float
        raise ValueError(f"invalid duration {text!r}: too long")
    return total


def is_loopback_host(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def validate_api_url(url: str) -> str:
    """https only; plain http is allowed for loopback hosts (the local emulator)."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ConfigurationError("api_url", "Invalid API URL", f"{url!r} is not an absolute http(s) URL.")
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        raise ConfigurationError(
            "api_url",
            "Insecure API URL",
            f"{url!r} uses plain http. The API key is sent with every request, so only https is "
            "allowed, except for loopback hosts (127.0.0.1, ::1, localhost) such as the local emulator.",
        )
    return url.rstrip("/")


Kind = Literal["bool", "int", "float", "duration", "str"]


@attrs.frozen
class Knob:
    """One setting. `minimum` and `maximum` bound numbers and durations (seconds): NaN,
    infinities and absurd values would make the client spin, divide by zero or wait forever."""

    attribute: str
    kind: Kind
    default: Any
    description: str
    minimum: float | None = None
    maximum: float | None = None
    sensitive: bool = False  # Terraform hides it; errors never show it

    @property
    def env(self) -> str:
        return "SEVALLA_" + self.attribute.upper()

    @property
    def bounds(self) -> str:
        """The allowed range as the schema and the README show it, e.g. "From 1 to 10000."."""
        if self.minimum is None or self.maximum is None:
            return ""
        if self.kind == "duration":
            return f"From {_seconds_text(self.minimum)} to {_seconds_text(self.maximum)}."
        return f"From {self.minimum:g} to {self.maximum:g}."


def _seconds_text(seconds: float) -> str:
    """A bound in Go duration syntax: 0, 1ms, 30s, 1h."""
    for unit, size in (("h", 3600), ("m", 60), ("s", 1)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds / size:g}{unit}"
    return "0" if seconds == 0 else f"{seconds * 1000:g}ms"


_HOUR, _DAY = 3600, 86400

KNOBS: tuple[Knob, ...] = (
    Knob("cache_enabled", "bool", True, "Cache GET results in memory (invalidated by writes)."),
    Knob("cache_ttl", "duration", "5m", "How long a cached GET result is used.", 0, _DAY),
    Knob("rate_limit_enabled", "bool", True, "Client-side rate limiting (token bucket and tier pacing)."),
    Knob("rate_limit_per_second", "float", 10.0, "Token bucket: sustained requests per second.", 0.001, 1000),
    Knob("rate_limit_burst", "int", 20, "Token bucket: requests allowed in a burst.", 1, 10000),
    Knob("batch_enabled", "bool", True, "Coalesce reads during plan and refresh."),
    # A batch is answered by one list page, and the API's pages hold 100 items.
    Knob(
        "batch_size",
        "int",
        10,
        "Copies of one kind on disk from which one summary list replaces their GETs.",
        1,
        100,
    ),
    # The official provider's batches close after it; here no read waits (`provider.client.reader`
    # says why), so it is accepted and checked, for configurations written for that provider.
    Knob(
        "batch_timeout", "duration", "100ms", "Accepted for compatibility; no read waits for company.", 0, 60
    ),
    Knob("max_idle_conns", "int", 10, "Idle keep-alive connections kept in the pool.", 0, 1000),
    Knob("max_open_conns", "int", 20, "Connections open at once (requests beyond wait).", 1, 1000),
    Knob("conn_max_lifetime", "duration", "30m", "Age after which the pool is renewed.", 0.001, _DAY),
    Knob("conn_max_idle_time", "duration", "10m", "Idle time after which a connection is closed.", 0, _DAY),
    Knob("request_timeout", "duration", "30s", "Timeout of one HTTP request.", 0.001, _HOUR),
    Knob("retry_attempts", "int", 3, "Retries after the first try (429, 5xx, connection errors).", 0, 20),
    Knob("retry_delay", "duration", "1s", "Base of the exponential backoff (full jitter).", 0, 60),
    Knob(
        "breaker_threshold", "int", 5, "Consecutive 5xx/connection failures that open the circuit.", 1, 1000
    ),
    Knob(
        "breaker_cooldown",
        "duration",
        "30s",
        "Longest pause between probes of a failing API (the first is 1/16 of it, then doubling).",
        0,
        _HOUR,
    ),
    Knob(
        "outage_timeout",
        "duration",
        "2m",
        "How long requests wait out a failing API (the open circuit's probes) before they fail.",
        0,
        _DAY,
    ),
    Knob(
        "operation_timeout",
        "duration",
        "20m",
        "Longest one API call may take with its retries and waits, where the resource has no timeouts.",
        1,
        _DAY,
    ),
    Knob(
        "long_wait_warning",
        "duration",
        "30s",
        "A create, update or delete that waited this long (a status, a rate limit) also returns a "
        "warning saying what it waited for; 0 turns the warning off.",
        0,
        _DAY,
    ),
    Knob("metrics_file", "str", None, "Append the shutdown metrics summary to this file as one JSON line."),
    Knob(
        "shared_state_url",
        "str",
        None,
        "Redis (redis:// or rediss://) holding one rate-limit budget and the reads (encrypted, for "
        "cache_ttl) shared by every provider process of this API URL and key (CI fleets); unreachable, "
        "the process falls back to its own limits and reads.",
        sensitive=True,
    ),
)


@attrs.frozen(repr=False)
class ProviderSettings:
    api_key: str
    api_url: str = DEFAULT_API_URL
    cache_enabled: bool = True
    cache_ttl: float = 300.0
    rate_limit_enabled: bool = True
    rate_limit_per_second: float = 10.0
    rate_limit_burst: int = 20
    batch_enabled: bool = True
    batch_size: int = 10
    batch_timeout: float = 0.1
    max_idle_conns: int = 10
    max_open_conns: int = 20
    conn_max_lifetime: float = 1800.0
    conn_max_idle_time: float = 600.0
    request_timeout: float = 30.0
    retry_attempts: int = 3
    retry_delay: float = 1.0
    breaker_threshold: int = 5
    breaker_cooldown: float = 30.0
    outage_timeout: float = 120.0
    operation_timeout: float = 1200.0
    long_wait_warning: float = 30.0
    metrics_file: str | None = None
    shared_state_url: str | None = None

    def __repr__(self) -> str:  # never print the key
        return f"ProviderSettings(api_url={self.api_url!r}, …)"


def validate_shared_state_url(url: str) -> str:
    """redis:// or rediss:// with a host; the message never repeats the URL (it may hold a password)."""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss") or not parts.hostname:
        raise ValueError(
            "the value is not a redis:// or rediss:// URL with a host (not shown: it may hold a password)"
        )
    return url


def _parse(knob: Knob, raw: Any) -> Any:
    """One knob's value from the block (typed) or the environment (text)."""
    if knob.kind == "bool":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in _TRUE | _FALSE:
            return text in _TRUE
        raise ValueError(f"{shown(raw)} is not a boolean (true or false)")
    if knob.kind == "str":
        if knob.attribute == "shared_state_url":
            return validate_shared_state_url(str(raw))
        return str(raw)
    number = _number(knob, raw)
    if knob.kind == "int":
        if number != number.to_integral_value():
            raise ValueError(f"{shown(raw)} is not a whole number")
        return int(number)
    return float(number)


def _number(knob: Knob, raw: Any) -> Decimal:
    """A number or duration (in seconds) as an exact Decimal within the knob's bounds.

    Decimal keeps "1e400" and 400-digit numbers exact, so the bounds are checked before
    anything is converted (an int of 10**400 digits would take forever, a float overflows)."""
    if knob.kind == "duration":
        number = Decimal(parse_duration(str(raw)))
    elif isinstance(raw, Decimal):
        number = raw
    else:
        try:
            number = Decimal(str(raw).strip())
        except InvalidOperation:
            raise ValueError(f"{shown(raw)} is not a number") from None
    if not number.is_finite():  # NaN passes every comparison; infinity divides to zero
        raise ValueError(f"{shown(raw)} is not a finite number")
    if knob.minimum is not None and number < Decimal(str(knob.minimum)):
        raise ValueError(f"{shown(raw)} is below the minimum of {_bound_text(knob, knob.minimum)}")
    if knob.maximum is not None and number > Decimal(str(knob.maximum)):
        raise ValueError(f"{shown(raw)} is above the maximum of {_bound_text(knob, knob.maximum)}")
    return number


def _bound_text(knob: Knob, bound: float) -> str:
    return _seconds_text(bound) if knob.kind == "duration" else f"{bound:g}"


def _pick(config: Any, attribute: str, env: Mapping[str, str], env_name: str) -> Any:
    value = getattr(config, attribute, None) if config is not None else None
    if value is not None:
        return value
    return env.get(env_name) or None


def resolve_settings(config: Any, env: Mapping[str, str] | None = None) -> ProviderSettings:
    """Merge the provider block with the environment; the block wins."""
    env = os.environ if env is None else env
    api_key = _pick(config, "api_key", env, "SEVALLA_API_KEY")
    if not api_key:
        raise ConfigurationError(
            "api_key",
            "Missing API Key",
            "Set api_key in the provider block or the SEVALLA_API_KEY environment variable. "
            "Create a key in the Sevalla dashboard under API keys.",
        )
    values: dict[str, Any] = {
        "api_key": str(api_key),
        "api_url": validate_api_url(str(_pick(config, "api_url", env, "SEVALLA_API_URL") or DEFAULT_API_URL)),
    }
    for knob in KNOBS:
        raw = _pick(config, knob.attribute, env, knob.env)
        if raw is None:
            raw = knob.default
        if raw is None:
            continue
        try:
            values[knob.attribute] = _parse(knob, raw)
        except (ValueError, ArithmeticError) as exc:
            source = "the provider block" if getattr(config, knob.attribute, None) is not None else knob.env
            raise ConfigurationError(
                knob.attribute, f"Invalid {knob.attribute}", f"{exc} (from {source})"
            ) from exc
    return ProviderSettings(**values)
