"""Provider settings: each knob is a provider attribute and a SEVALLA_* environment variable.

The provider block wins over the environment, the environment over the default. One table
(KNOBS) drives the provider schema, the parsing and the README, so they cannot disagree.
Invalid values raise ConfigurationError naming the provider attribute, which Terraform
shows as an error on that attribute.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from decimal import Decimal
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
    attribute: str
    kind: Kind
    default: Any
    description: str
    minimum: float | None = None

    @property
    def env(self) -> str:
        return "SEVALLA_" + self.attribute.upper()


KNOBS: tuple[Knob, ...] = (
    Knob("cache_enabled", "bool", True, "Cache GET results in memory (invalidated by writes)."),
    Knob("cache_ttl", "duration", "5m", "How long a cached GET result is used.", 0),
    Knob("rate_limit_enabled", "bool", True, "Client-side rate limiting (token bucket and tier pacing)."),
    Knob("rate_limit_per_second", "float", 10.0, "Token bucket: sustained requests per second.", 0.001),
    Knob("rate_limit_burst", "int", 20, "Token bucket: requests allowed in a burst.", 1),
    Knob("batch_enabled", "bool", True, "Coalesce reads during plan and refresh."),
    Knob("batch_size", "int", 10, "Reads of one kind that trigger one list call instead.", 1),
    Knob("batch_timeout", "duration", "100ms", "How long a read may wait for company.", 0),
    Knob("max_idle_conns", "int", 10, "Idle keep-alive connections kept in the pool.", 0),
    Knob("max_open_conns", "int", 20, "Connections open at once (requests beyond wait).", 1),
    Knob("conn_max_lifetime", "duration", "30m", "Age after which the pool is renewed.", 0.001),
    Knob("conn_max_idle_time", "duration", "10m", "Idle time after which a connection is closed.", 0),
    Knob("request_timeout", "duration", "30s", "Timeout of one HTTP request.", 0.001),
    Knob("retry_attempts", "int", 3, "Retries after the first try (429, 5xx, connection errors).", 0),
    Knob("retry_delay", "duration", "1s", "Base of the exponential backoff (full jitter).", 0),
    Knob("breaker_threshold", "int", 5, "Consecutive 5xx/connection failures that open the circuit.", 1),
    Knob("breaker_cooldown", "duration", "30s", "How long an open circuit fails fast before a probe.", 0),
    Knob("metrics_file", "str", None, "Append the shutdown metrics summary to this file as one JSON line."),
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
    metrics_file: str | None = None

    def __repr__(self) -> str:  # never print the key
        return f"ProviderSettings(api_url={self.api_url!r}, …)"


def _parse(knob: Knob, raw: Any) -> Any:
    """One knob's value from the block (typed) or the environment (text)."""
    if knob.kind == "bool":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in _TRUE | _FALSE:
            return text in _TRUE
        raise ValueError(f"{shown(raw)} is not a boolean (true or false)")
    if knob.kind == "duration":
        value: Any = parse_duration(str(raw))
    elif knob.kind == "int":
        number = Decimal(str(raw).strip()) if not isinstance(raw, Decimal) else raw
        if number != number.to_integral_value():
            raise ValueError(f"{shown(raw)} is not a whole number")
        value = int(number)
    elif knob.kind == "float":
        value = float(str(raw).strip())
    else:
        return str(raw)
    if knob.minimum is not None and value < knob.minimum:
        raise ValueError(f"{shown(raw)} is below the minimum of {knob.minimum:g}")
    return value


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
