"""Logs at TF_LOG=TRACE: the client's lines are there, the secrets are not."""

from __future__ import annotations

from pathlib import Path

from emulator.process import EmulatorProcess
from tests.acceptance.conftest import assert_emulator_empty
from tests.acceptance.terraform import Terraform

SECRET_VALUE = "s3cr3t-env-value-7f2a"
CONFIG = f"""
data "sevalla_clusters" "all" {{}}

resource "sevalla_application" "app" {{
  display_name = "acc-logs"
  cluster_id   = data.sevalla_clusters.all.clusters[0].id
  source       = "dockerImage"
  docker_image = "nginx:latest"
}}

resource "sevalla_application_environment_variable" "secret" {{
  application_id = sevalla_application.app.id
  key            = "TOKEN"
  value          = "{SECRET_VALUE}"
}}
"""


def test_trace_logs_carry_requests_and_metrics_but_no_secret(
    tf: Terraform, clean_emulator: EmulatorProcess, tmp_path: Path
) -> None:
    log = tmp_path / "terraform.log"
    tf.env.update({"TF_LOG": "TRACE", "TF_LOG_PATH": str(log)})
    tf.write(CONFIG)
    tf.apply()
    tf.destroy()
    text = log.read_text()
    assert "POST applications/" in text and "-> 201" in text, "the client's DEBUG request lines are missing"
    assert "sevalla client: apply (terraform 1." in text and "); api calls " in text, (
        "the metrics line is missing"
    )
    assert "[REDACTED]" in text
    assert SECRET_VALUE not in text
    assert clean_emulator.api_key not in text
    assert_emulator_empty(clean_emulator)


def test_pyvider_logs_only_when_asked_and_never_at_debug(
    tf: Terraform, clean_emulator: EmulatorProcess, tmp_path: Path
) -> None:
    """SEVALLA_PROVIDER_LOG_LEVEL opens pyvider's own logs, but never below INFO: its DEBUG lines
    print planned values, sensitive ones included."""
    quiet, verbose = tmp_path / "quiet.log", tmp_path / "verbose.log"
    tf.write(CONFIG)
    tf.env.update({"TF_LOG_PROVIDER": "DEBUG", "TF_LOG_PATH": str(quiet)})
    tf.apply()
    tf.env.update(
        {"SEVALLA_PROVIDER_LOG_LEVEL": "DEBUG", "PROVIDE_LOG_LEVEL": "DEBUG", "TF_LOG_PATH": str(verbose)}
    )
    tf.destroy()
    assert "[info" not in quiet.read_text(), "pyvider's INFO lines appear without being asked for"
    text = verbose.read_text()
    assert "[info" in text, "SEVALLA_PROVIDER_LOG_LEVEL did not reach pyvider's logger"
    assert "[debug" not in text
    assert SECRET_VALUE not in text
    assert clean_emulator.api_key not in text
    assert_emulator_empty(clean_emulator)


def test_a_long_wait_is_told_at_info_and_warned_of(
    tf: Terraform, clean_emulator: EmulatorProcess, tmp_path: Path
) -> None:
    """A database takes the emulator's ready delay (1 s) to be ready: at TF_LOG=INFO the wait's
    start, its status change and its end are in the log, and with long_wait_warning below that
    delay Terraform shows a warning without TF_LOG."""
    from tests.acceptance.test_database import db_hcl

    log = tmp_path / "terraform.log"
    tf.env.update({"TF_LOG_PROVIDER": "INFO", "TF_LOG_PATH": str(log), "SEVALLA_LONG_WAIT_WARNING": "500ms"})
    tf.write(db_hcl("acc-progress"))
    applied = tf.apply()
    text = log.read_text()
    db_id = tf.state()["sevalla_database.db"]["id"]
    assert f"waiting for the database {db_id}: ready, deadline in " in text, text[-3000:]
    assert f"the database {db_id}: creating -> ready after " in text
    assert f"the database {db_id}: ready after " in text
    assert "Warning: The create of sevalla_database waited" in applied.stdout + applied.stderr
    assert "(creating -> ready)" in " ".join((applied.stdout + applied.stderr).split())  # wrapped
    tf.env.update({"SEVALLA_LONG_WAIT_WARNING": "0"})
    destroyed = tf.destroy()
    assert "Warning" not in destroyed.stdout + destroyed.stderr, "0 turns the warning off"
    assert_emulator_empty(clean_emulator)
