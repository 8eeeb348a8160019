"""Provider settings: the provider block wins over SEVALLA_* environment variables.

Resolved once in ConfigureProvider; invalid values raise ConfigurationError naming the
provider attribute, which becomes an attribute diagnostic in Terraform.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import attrs

from provider.client.errors import ConfigurationError

DEFAULT_API_URL = "https://api.sevalla.com/v3"

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)")
_UNIT_SECONDS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_duration(text: str) -> float:
    """Seconds in a Go-style duration ("1m30s", "100ms", "5m"); ValueError otherwise."""
    text = text.strip()
    if text in ("0", ""):
        if text == "":
            raise ValueError("empty duration")
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


@attrs.frozen(repr=False)
class ProviderSettings:
    api_key: str
    api_url: str = DEFAULT_API_URL
    request_timeout: float = 30.0

    def __repr__(self) -> str:  # never print the key
        return f"ProviderSettings(api_url={self.api_url!r}, request_timeout={self.request_timeout})"


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
    api_url = validate_api_url(str(_pick(config, "api_url", env, "SEVALLA_API_URL") or DEFAULT_API_URL))
    timeout_text = _pick(config, "request_timeout", env, "SEVALLA_REQUEST_TIMEOUT")
    request_timeout = 30.0
    if timeout_text is not None:
        try:
            request_timeout = parse_duration(str(timeout_text))
        except ValueError as exc:
            raise ConfigurationError("request_timeout", "Invalid duration", str(exc)) from exc
        if request_timeout <= 0:
            raise ConfigurationError("request_timeout", "Invalid duration", "must be greater than 0")
    return ProviderSettings(api_key=str(api_key), api_url=api_url, request_timeout=request_timeout)
