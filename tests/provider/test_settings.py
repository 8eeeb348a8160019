from __future__ import annotations

from decimal import Decimal

import attrs
import pytest

from provider.client.errors import ConfigurationError
from provider.settings import DEFAULT_API_URL, KNOBS, Knob, parse_duration, resolve_settings


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


@pytest.mark.parametrize("text", ["", "5", "5 minutes", "m5", "1x", "-1s", "1s2", "1e400s", "9" * 400 + "h"])
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


NON_FINITE = ["nan", "NaN", "-nan", "inf", "-inf", "Infinity", "+infinity", "1e400", "-1e400", "9" * 400]


@pytest.mark.parametrize("knob", [k for k in KNOBS if k.kind in ("int", "float")], ids=lambda k: k.attribute)
@pytest.mark.parametrize("value", NON_FINITE)
def test_non_finite_and_huge_numbers_are_attribute_errors(knob: Knob, value: str) -> None:
    """NaN passes every bound comparison (the provider spun at 85% CPU); inf divided to zero."""
    with pytest.raises(ConfigurationError) as caught:
        resolve_settings(Block(api_key="k"), {knob.env: value})
    assert caught.value.attribute == knob.attribute
    assert knob.env in caught.value.detail


@pytest.mark.parametrize("knob", [k for k in KNOBS if k.kind == "duration"], ids=lambda k: k.attribute)
@pytest.mark.parametrize("value", ["nan", "infs", "1e400s", "9" * 400 + "h", "25h", "1000000h"])
def test_non_finite_and_huge_durations_are_attribute_errors(knob: Knob, value: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        resolve_settings(Block(api_key="k"), {knob.env: value})
    assert caught.value.attribute == knob.attribute
    assert knob.env in caught.value.detail


@pytest.mark.parametrize("knob", [k for k in KNOBS if k.maximum is not None], ids=lambda k: k.attribute)
def test_every_bound_is_inclusive_and_enforced(knob: Knob) -> None:
    assert knob.minimum is not None and knob.maximum is not None
    step = 0.001 if knob.kind == "duration" else 1 if knob.kind == "int" else 0.0001
    unit = "s" if knob.kind == "duration" else ""
    for inside in (knob.minimum, knob.maximum):
        settings = resolve_settings(Block(api_key="k"), {knob.env: f"{inside:f}{unit}"})
        assert getattr(settings, knob.attribute) == pytest.approx(inside)
    for outside in (knob.minimum - step, knob.maximum + step):
        if outside < 0 and knob.kind == "duration":
            continue  # a negative duration is a syntax error, tested above
        with pytest.raises(ConfigurationError) as caught:
            resolve_settings(Block(api_key="k"), {knob.env: f"{outside:f}{unit}"})
        assert caught.value.attribute == knob.attribute


@pytest.mark.parametrize(
    "value",
    [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity"), Decimal("1e400"), Decimal("1e999999")],
)
def test_terraform_numbers_out_of_range_from_the_block(value: Decimal) -> None:
    """HCL numbers are arbitrary precision: the block can carry 1e400 as a Decimal."""

    @attrs.define
    class RateBlock(Block):
        rate_limit_per_second: object = None
        rate_limit_burst: object = None

    for attribute in ("rate_limit_per_second", "rate_limit_burst"):
        with pytest.raises(ConfigurationError) as caught:
            resolve_settings(RateBlock(api_key="k", **{attribute: value}), {})
        assert caught.value.attribute == attribute
        assert "the provider block" in caught.value.detail


def test_every_numeric_knob_has_bounds() -> None:
    """No number or duration may go unbounded: a new knob must say its range."""
    for knob in KNOBS:
        if knob.kind in ("int", "float", "duration"):
            assert knob.minimum is not None and knob.maximum is not None, knob.attribute


def test_readme_gives_every_knob_its_range() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for knob in KNOBS:
        row = next(line for line in readme.splitlines() if line.startswith(f"| `{knob.attribute}` |"))
        assert knob.bounds in row, knob.attribute


def test_shared_state_url_is_off_by_default_and_read_from_the_environment() -> None:
    assert resolve_settings(Block(api_key="k"), {}).shared_state_url is None
    env = {"SEVALLA_SHARED_STATE_URL": "rediss://:pw@redis.example.com:6380/2"}
    assert (
        resolve_settings(Block(api_key="k"), env).shared_state_url == "rediss://:pw@redis.example.com:6380/2"
    )


@pytest.mark.parametrize("url", ["http://redis.example.com", "redis://", "unix:///tmp/r.sock", "x:pw@host"])
def test_bad_shared_state_urls_are_attribute_errors_without_the_password(url: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        resolve_settings(Block(api_key="k"), {"SEVALLA_SHARED_STATE_URL": url.replace("x:pw", "x:s3cret")})
    assert caught.value.attribute == "shared_state_url"
    assert "s3cret" not in caught.value.detail and "SEVALLA_SHARED_STATE_URL" in caught.value.detail


def test_shared_state_url_is_a_sensitive_attribute() -> None:
    from provider.provider import SevallaSettingsCapability

    assert SevallaSettingsCapability.get_schema_contribution()["shared_state_url"].sensitive
