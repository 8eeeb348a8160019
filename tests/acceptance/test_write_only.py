"""Write-only secrets (Terraform >= 1.11): `*_wo` arguments with `*_wo_version`, against the
emulator. Each secret reaches the API and never the state file nor the plan; a new version sends
a new one (in place, or by replacement for a database's password)."""

from __future__ import annotations

import json

from emulator.process import EmulatorProcess
from tests.acceptance.conftest import assert_emulator_empty
from tests.acceptance.lifecycle import api, application_hcl, plan_error
from tests.acceptance.terraform import Terraform
from tests.acceptance.test_database import db_hcl

NAMES = ("db_password", "env_value", "registry_secret", "tls_key")


def secrets_hcl(tf: Terraform, n: int) -> str:
    """Every write-only argument, each with secret number `n` (ephemeral variables, as write-only
    values are meant to come: a literal would be in the plan's copy of the configuration)
    and version `n`."""
    for name, secret in zip(NAMES, secrets(n), strict=True):
        tf.env[f"TF_VAR_{name}"] = secret
    variables = "".join(
        f'variable "{name}" {{\n  type      = string\n  ephemeral = true\n}}\n' for name in NAMES
    )
    database = (
        db_hcl("acc-wo-db")
        .replace('data "sevalla_clusters" "all" {}', "")
        .replace(
            '  db_password      = "acc-password"\n',
            f"  db_password_wo   = var.db_password\n  db_password_wo_version = {n}\n",
        )
    )
    return (
        variables
        + application_hcl("acc-wo-app")
        + database
        + f"""
resource "sevalla_application_environment_variable" "token" {{
  application_id   = sevalla_application.app.id
  key              = "TOKEN"
  value_wo         = var.env_value
  value_wo_version = {n}
}}

resource "sevalla_docker_registry" "registry" {{
  name              = "acc-wo-registry"
  username          = "robot"
  secret_wo         = var.registry_secret
  secret_wo_version = {n}
}}

resource "sevalla_application_domain" "www" {{
  application_id            = sevalla_application.app.id
  name                      = "www.example.com"
  custom_ssl_cert           = "-----BEGIN CERTIFICATE-----acc"
  custom_ssl_key_wo         = var.tls_key
  custom_ssl_key_wo_version = {n}
}}
"""
    )


def secrets(n: int) -> list[str]:
    return [f"wo-db-password-{n}", f"wo-env-value-{n}", f"wo-registry-secret-{n}", f"wo-tls-key-{n}"]


def assert_nowhere(tf: Terraform, n: int) -> None:
    """Zero occurrences of the secrets in the state file and in the plan's JSON."""
    state = (tf.workdir / "terraform.tfstate").read_text()
    tf.run("plan", "-input=false", "-out=check.tfplan")
    plan = json.dumps(json.loads(tf.run("show", "-json", "check.tfplan").stdout))
    for secret in secrets(n):
        assert state.count(secret) == 0, f"{secret} is in the state"
        at = plan.find(secret)
        assert at < 0, f"{secret} is in the plan: ...{plan[max(at - 300, 0) : at + 100]}"


def test_write_only_secrets_reach_the_api_and_never_the_state(
    tf: Terraform, clean_emulator: EmulatorProcess
) -> None:
    tf.write(secrets_hcl(tf, 1))
    tf.apply()
    state = tf.state()
    app = state["sevalla_application.app"]
    variables = api(clean_emulator, "GET", f"applications/{app['id']}/env-vars")["data"]
    assert [v["value"] for v in variables if v["key"] == "TOKEN"] == ["wo-env-value-1"]
    assert state["sevalla_application_environment_variable.token"]["value"] is None
    assert state["sevalla_docker_registry.registry"]["secret"] is None
    assert_nowhere(tf, 1)
    assert tf.plan_exit_code() == 0, "plan after create is not empty:\n" + tf.plan_text()

    # New versions: the variable, the registry and the domain change in place, the database
    # (whose password cannot change) is replaced.
    db_id = state["sevalla_database.db"]["id"]
    tf.write(secrets_hcl(tf, 2))
    plan = tf.plan_text()
    assert "1 to add, 3 to change, 1 to destroy" in plan, plan
    tf.apply()
    state = tf.state()
    variables = api(clean_emulator, "GET", f"applications/{app['id']}/env-vars")["data"]
    assert [v["value"] for v in variables if v["key"] == "TOKEN"] == ["wo-env-value-2"]
    assert state["sevalla_database.db"]["id"] != db_id
    assert_nowhere(tf, 2)
    assert tf.plan_exit_code() == 0, "plan after the new versions is not empty:\n" + tf.plan_text()
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_a_secret_and_its_write_only_twin_are_refused_together(tf: Terraform) -> None:
    output = plan_error(
        tf,
        """
resource "sevalla_docker_registry" "registry" {
  name      = "acc-wo-registry"
  username  = "robot"
  secret    = "plain"
  secret_wo = "write-only"
}
""",
    )
    assert "Invalid secret_wo: set secret or secret_wo, not both" in output, output
    assert "secret_wo_version: is required with secret_wo" in output, output
