from __future__ import annotations

import attrs
import pytest

from provider.client.errors import ConfigurationError
from provider.settings import DEFAULT_API_URL, parse_duration, resolve_settings


@attrs.define
class Block:
    api_key: str | None = None
    api_url: str | None = None
    request_timeout: str | None = None


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("30s", 30), ("5m", 300), ("100ms", 0.1), ("1m30s", 90), ("1h", 3600), ("0", 0), ("1.5s", 1.5)],
)
def test_go_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["", "5", "5 minutes", "m5", "1x", "-1s", "1s2"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


def test_block_wins_over_environment() -> None:
    env = {"SEVALLA_API_KEY": "from-env", "SEVALLA_API_URL": "https://env.example.com/v3"}
    settings = resolve_settings(Block(api_key="from-block", api_url="https://block.example.com/v3/"), env)
    assert settings.api_key == "from-block"
    assert settings.api_url == "https://block.example.com/v3"


def test_environment_fills_what_the_block_leaves_out() -> None:
    settings = resolve_settings(Block(), {"SEVALLA_API_KEY": "k", "SEVALLA_REQUEST_TIMEOUT": "5s"})
    assert (settings.api_key, settings.api_url, settings.request_timeout) == ("k", DEFAULT_API_URL, 5.0)


def test_missing_key_names_the_attribute() -> None:
    with pytest.raises(ConfigurationError) as caught:
        resolve_settings(Block(), {})
    assert caught.value.attribute == "api_key"
    assert caught.value.summary == "Missing API Key"


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080/v3", "http://localhost:1/v3", "http://[::1]:9/v3"])
def test_plain_http_is_allowed_on_loopback(url: str) -> None:
    assert resolve_settings(Block(api_key="k", api_url=url), {}).api_url == url


@pytest.mark.parametrize("url", ["http://api.sevalla.com/v3", "ftp://x/v3", "not a url"])
def test_other_urls_are_refused(url: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        resolve_settings(Block(api_key="k", api_url=url), {})
    assert caught.value.attribute == "api_url"


def test_bad_timeout_names_the_attribute() -> None:
    with pytest.raises(ConfigurationError) as caught:
        resolve_settings(Block(api_key="k", request_timeout="soon"), {})
    assert caught.value.attribute == "request_timeout"


def test_repr_hides_the_key() -> None:
    assert "secret-key" not in repr(resolve_settings(Block(api_key="secret-key"), {}))
