"""Provider block and SEVALLA_* environment: precedence and diagnostics, with real Terraform."""

from __future__ import annotations

import time

import pytest

from tests.acceptance.terraform import Terraform

LOOKUP = (
    'data "sevalla_clusters" "all" {}\noutput "n" { value = length(data.sevalla_clusters.all.clusters) }\n'
)


def test_missing_api_key_is_an_attribute_error(tf: Terraform) -> None:
    tf.env.pop("SEVALLA_API_KEY")
    tf.write('provider "sevalla" {}\n' + LOOKUP)
    output = tf.fail("plan", "-input=false")
    assert "Missing API Key" in output
    assert "SEVALLA_API_KEY" in output


def test_config_block_wins_over_environment(tf: Terraform) -> None:
    tf.env["SEVALLA_API_KEY"] = "wrong-key-from-env"
    # The right key only in the block: the data source must read.
    tf.write('variable "key" {}\nprovider "sevalla" {\n  api_key = var.key\n}\n' + LOOKUP)
    tf.env["TF_VAR_key"] = "acceptance-key"
    tf.apply()
    assert tf.outputs()["n"] >= 1


def test_wrong_api_key_shows_the_api_message_and_request_id(tf: Terraform) -> None:
    tf.env["SEVALLA_API_KEY"] = "not-the-key"
    tf.write(LOOKUP)
    output = tf.fail("plan", "-input=false")
    assert "the API key was refused" in output
    assert "401 Unauthorized" in output
    assert "Request id: " in output


def test_plain_http_is_refused_for_remote_hosts(tf: Terraform) -> None:
    tf.write('provider "sevalla" {\n  api_url = "http://api.example.com/v3"\n}\n' + LOOKUP)
    output = tf.fail("plan", "-input=false")
    assert "Insecure API URL" in output
    assert "api_url" in output


def test_bad_knob_in_the_block_is_an_attribute_error(tf: Terraform) -> None:
    tf.write('provider "sevalla" {\n  cache_ttl = "5 minutes"\n}\n' + LOOKUP)
    output = tf.fail("plan", "-input=false")
    assert "Invalid cache_ttl" in output
    assert 'cache_ttl = "5 minutes"' in output, "the diagnostic should quote the attribute's line"


def test_bad_knob_in_the_environment_names_the_variable(tf: Terraform) -> None:
    tf.env["SEVALLA_MAX_OPEN_CONNS"] = "lots"
    tf.write(LOOKUP)
    output = tf.fail("plan", "-input=false")
    assert "Invalid max_open_conns" in output and "SEVALLA_MAX_OPEN_CONNS" in output


@pytest.mark.parametrize("value", ["nan", "inf"])
def test_non_finite_rate_is_an_attribute_error_and_fails_fast(tf: Terraform, value: str) -> None:
    """Before: nan was accepted and the provider spun at 85% CPU (the plan never ended), inf
    was an internal error (ZeroDivisionError in the token bucket)."""
    tf.write(LOOKUP)
    tf.init()  # not timed
    tf.env["SEVALLA_RATE_LIMIT_PER_SECOND"] = value
    started = time.monotonic()
    output = tf.fail("plan", "-input=false")
    assert time.monotonic() - started < 60, "terraform should fail at configure, not hang"
    assert "Invalid rate_limit_per_second" in output
    assert f'"{value}" is not a finite number (from SEVALLA_RATE_LIMIT_PER_SECOND)' in output
    assert "Internal" not in output and "ZeroDivision" not in output
