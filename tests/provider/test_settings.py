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


def test_every_knob_has_its_documented_default() -> None:
    settings = resolve_settings(Block(api_key="k"), {})
    assert (settings.cache_enabled, settings.cache_ttl) == (True, 300.0)
    assert (settings.rate_limit_enabled, settings.rate_limit_per_second, settings.rate_limit_burst) == (
        True,
        10.0,
        20,
    )
    assert (settings.batch_enabled, settings.batch_size, settings.batch_timeout) == (True, 10, 0.1)
    assert (settings.max_idle_conns, settings.max_open_conns) == (10, 20)
    assert (settings.conn_max_lifetime, settings.conn_max_idle_time) == (1800.0, 600.0)
    assert (settings.request_timeout, settings.retry_attempts, settings.retry_delay) == (30.0, 3, 1.0)


def test_knobs_from_the_environment_are_parsed() -> None:
    env = {
        "SEVALLA_API_KEY": "k",
        "SEVALLA_CACHE_ENABLED": "false",
        "SEVALLA_CACHE_TTL": "10m",
        "SEVALLA_RATE_LIMIT_PER_SECOND": "2.5",
        "SEVALLA_MAX_OPEN_CONNS": "50",
        "SEVALLA_BATCH_TIMEOUT": "250ms",
        "SEVALLA_METRICS_FILE": "/tmp/m.jsonl",
    }
    settings = resolve_settings(Block(), env)
    assert settings.cache_enabled is False and settings.cache_ttl == 600
    assert settings.rate_limit_per_second == 2.5 and settings.max_open_conns == 50
    assert settings.batch_timeout == pytest.approx(0.25) and settings.metrics_file == "/tmp/m.jsonl"


@attrs.define
class KnobBlock(Block):
    cache_enabled: bool | None = None
    retry_attempts: object = None


def test_block_knobs_win_and_terraform_numbers_are_decimals() -> None:
    from decimal import Decimal

    env = {"SEVALLA_API_KEY": "k", "SEVALLA_CACHE_ENABLED": "true", "SEVALLA_RETRY_ATTEMPTS": "9"}
    settings = resolve_settings(KnobBlock(cache_enabled=False, retry_attempts=Decimal("5")), env)
    assert settings.cache_enabled is False and settings.retry_attempts == 5


@pytest.mark.parametrize(
    ("env_name", "value", "attribute"),
    [
        ("SEVALLA_CACHE_ENABLED", "maybe", "cache_enabled"),
        ("SEVALLA_CACHE_TTL", "5 minutes", "cache_ttl"),
        ("SEVALLA_RATE_LIMIT_BURST", "0", "rate_limit_burst"),
        ("SEVALLA_RETRY_ATTEMPTS", "2.5", "retry_attempts"),
        ("SEVALLA_MAX_OPEN_CONNS", "lots", "max_open_conns"),
    ],
)
def test_bad_knob_values_name_the_attribute_and_the_source(env_name: str, value: str, attribute: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        resolve_settings(Block(api_key="k"), {env_name: value})
    assert caught.value.attribute == attribute
    assert env_name in caught.value.detail


def test_readme_documents_every_knob() -> None:
    from pathlib import Path

    from provider.settings import KNOBS

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for knob in KNOBS:
        assert f"`{knob.attribute}`" in readme and f"`{knob.env}`" in readme, knob.attribute
