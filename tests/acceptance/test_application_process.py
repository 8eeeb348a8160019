"""sevalla_application_process with real Terraform against the emulator."""

from __future__ import annotations

from emulator.process import EmulatorProcess
from tests.acceptance.conftest import assert_emulator_empty
from tests.acceptance.lifecycle import (
    api,
    application_hcl,
    check_import_of_missing_fails,
    check_lifecycle,
    plan_error,
)
from tests.acceptance.terraform import Terraform

APP = application_hcl("acc-process-app") + 'data "sevalla_process_resource_types" "all" {}\n'
MANUAL = 'scaling_strategy = { type = "manual", instance_count = 2 }'
HORIZONTAL = """scaling_strategy = {
    type               = "horizontal"
    min_instance_count = 1
    max_instance_count = 4
    target_cpu_percent = 70
  }"""
PROBES = """liveness_probe = {
    http_get = {
      path         = "/health"
      port         = 8080
      scheme       = "HTTP"
      http_headers = [{ name = "X-Probe", value = "1" }]
    }
    initial_delay_seconds = 5
  }
  readiness_probe = {
    tcp_socket     = { port = 8080 }
    period_seconds = 10
  }"""


def process_hcl(display_name: str, scaling: str, extra: str = "", size: int = 0) -> str:
    return (
        APP
        + f"""
resource "sevalla_application_process" "worker" {{
  application_id   = sevalla_application.app.id
  display_name     = "{display_name}"
  type             = "worker"
  entrypoint       = "node worker.js"
  resource_type_id = data.sevalla_process_resource_types.all.process_resource_types[{size}].id
  {scaling}
  {extra}
}}
"""
    )


def test_process_lifecycle(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    def created(values: dict) -> None:
        assert values["key"] == "acc-worker" and values["resource_type_name"] == "s1"
        assert values["scaling_strategy"]["instance_count"] == 2
        assert values["liveness_probe"]["http_get"]["http_headers"] == [{"name": "X-Probe", "value": "1"}]
        assert values["readiness_probe"]["tcp_socket"]["port"] == 8080
        assert values["is_ingress_enabled"] is False and values["port"] is None

    def updated(values: dict) -> None:
        assert values["display_name"] == "acc-worker-renamed"
        assert values["scaling_strategy"]["max_instance_count"] == 4
        assert values["scaling_strategy"]["instance_count"] is None
        assert values["resource_type_name"] == "s2"
        assert values["readiness_probe"]["exec"]["command"] == ["true"]

    check_lifecycle(
        tf,
        "sevalla_application_process.worker",
        create_hcl=process_hcl("acc-worker", MANUAL, PROBES),
        update_hcl=process_hcl(
            "acc-worker-renamed",
            HORIZONTAL,
            PROBES.replace("tcp_socket     = { port = 8080 }", 'exec = { command = ["true"] }'),
            size=1,
        ),
        import_id=lambda values: f"{values['application_id']}/{values['id']}",
        ignore_on_import={},
        check_created=created,
        check_updated=updated,
    )
    app_id = tf.state()["sevalla_application.app"]["id"]
    processes = api(clean_emulator, "GET", f"applications/{app_id}/processes")["data"]
    assert sorted(p["key"] for p in processes) == ["acc-worker", "web"], "the default web process stays"
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_web_process_is_an_additional_one(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    tf.write(
        APP
        + """
resource "sevalla_application_process" "web" {
  application_id   = sevalla_application.app.id
  display_name     = "Second web"
  type             = "web"
  resource_type_id = data.sevalla_process_resource_types.all.process_resource_types[0].id
  scaling_strategy = { type = "manual", instance_count = 1 }
  is_ingress_enabled = true
  ingress_protocol   = "grpc"
}
"""
    )
    tf.apply()
    web = tf.state()["sevalla_application_process.web"]
    assert (web["port"], web["ingress_protocol"], web["key"]) == (8080, "grpc", "second-web")
    app_id = web["application_id"]
    assert api(clean_emulator, "GET", f"applications/{app_id}/processes")["total"] == 2
    assert tf.plan_exit_code() == 0
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_process_drift(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    tf.write(process_hcl("acc-drift", MANUAL))
    tf.apply()
    process = tf.state()["sevalla_application_process.worker"]
    path = f"applications/{process['application_id']}/processes/{process['id']}"
    api(
        clean_emulator,
        "PATCH",
        path,
        {
            "display_name": "changed-outside",
            "scaling_strategy": {"type": "manual", "config": {"instanceCount": 5}},
        },
    )
    plan = tf.plan_text()
    assert "will be updated in-place" in plan and "changed-outside" in plan, plan
    tf.apply()
    assert tf.state()["sevalla_application_process.worker"]["scaling_strategy"]["instance_count"] == 2
    api(clean_emulator, "DELETE", path)
    plan = tf.plan_text()
    assert "sevalla_application_process.worker will be created" in plan, plan
    tf.apply()
    assert tf.plan_exit_code() == 0
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_import_of_unknown_process_fails(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    check_import_of_missing_fails(
        tf,
        clean_emulator,
        APP,
        process_hcl("x", MANUAL),
        "sevalla_application_process.worker",
        "{app}/00000000-0000-4000-8000-000000000000",
    )


def test_bad_scaling_points_at_the_attribute(tf: Terraform) -> None:
    hcl = process_hcl("acc-bad", 'scaling_strategy = { type = "manual", max_instance_count = 3 }')
    output = plan_error(tf, hcl)
    assert 'Invalid scaling_strategy.max_instance_count: does not apply to type = "manual"' in output
