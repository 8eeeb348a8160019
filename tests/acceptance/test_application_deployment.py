"""sevalla_application_deployment (a trigger: create deploys and waits) with real Terraform.

The emulator's deployments take about 1 s; an application whose Docker image contains "fail"
gets failing deployments."""

from __future__ import annotations

from emulator.process import EmulatorProcess
from tests.acceptance.conftest import assert_emulator_empty
from tests.acceptance.lifecycle import api, application_hcl
from tests.acceptance.terraform import Terraform


def deployment_hcl(image: str = "nginx:latest", extra: str = "") -> str:
    return (
        application_hcl("acc-deploy-app").replace("nginx:latest", image)
        + f"""
resource "sevalla_application_deployment" "this" {{
  application_id = sevalla_application.app.id
  timeouts       = {{ create = "1m" }}
  {extra}
}}
"""
    )


def test_deployment_waits_for_success_and_redeploys_on_trigger_change(
    tf: Terraform, clean_emulator: EmulatorProcess
) -> None:
    tf.write(deployment_hcl(extra='triggers = { release = "1" }'))
    tf.apply()
    first = tf.state()["sevalla_application_deployment.this"]
    assert first["status"] == "success" and first["is_restart"] is True and first["finished_at"]
    app_id = first["application_id"]
    remote = api(clean_emulator, "GET", f"applications/{app_id}/deployments/{first['id']}")
    assert remote["status"] == "success" and remote["is_restart"] is True
    assert tf.plan_exit_code() == 0, "read keeps the state as it is"

    tf.write(deployment_hcl(extra='triggers = { release = "2" }'))
    assert "must be replaced" in tf.plan_text()
    tf.apply()
    second = tf.state()["sevalla_application_deployment.this"]
    assert second["id"] != first["id"] and second["status"] == "success"

    tf.write(deployment_hcl(extra='triggers = { release = "2" }\n  is_restart = false'))
    plan = tf.plan_text()
    assert "will be updated in-place" in plan, plan
    tf.apply()
    third = tf.state()["sevalla_application_deployment.this"]
    assert third["id"] != second["id"] and third["is_restart"] is False
    assert api(clean_emulator, "GET", f"applications/{app_id}/deployments")["total"] == 3
    assert tf.plan_exit_code() == 0
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_failed_deployment_is_an_error_naming_it(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    tf.write(deployment_hcl(image="example/fail:1"))
    output = tf.fail("apply", "-auto-approve", "-input=false")
    app_id = tf.state()["sevalla_application.app"]["id"]
    deployments = api(clean_emulator, "GET", f"applications/{app_id}/deployments")["data"]
    assert len(deployments) == 1 and deployments[0]["status"] == "failed"
    assert f"Deployment {deployments[0]['id']}" in output and "'failed'" in output, output
    # The deployment exists on the server: its id is kept in the state (tainted), like every
    # object a create made before it failed, and the next apply deploys again.
    assert tf.state()["sevalla_application_deployment.this"]["id"] == deployments[0]["id"]
    assert "sevalla_application_deployment.this is tainted, so must be replaced" in tf.plan_text()
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_deployment_cannot_be_imported(tf: Terraform) -> None:
    tf.write(deployment_hcl())
    output = tf.fail("import", "sevalla_application_deployment.this", "anything")
    assert "does not support import" in output, output
