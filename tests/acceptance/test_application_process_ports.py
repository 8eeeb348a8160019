"""sevalla_application_private_port and sevalla_application_tcp_proxy (same shape: create,
read, import, delete; every attribute forces replacement) with real Terraform."""

from __future__ import annotations

import pytest

from emulator.process import EmulatorProcess
from tests.acceptance.conftest import assert_emulator_empty
from tests.acceptance.lifecycle import api, application_hcl, check_import_of_missing_fails, check_lifecycle
from tests.acceptance.terraform import Terraform

APP = (
    application_hcl("acc-port-app")
    + """
data "sevalla_process_resource_types" "all" {}

resource "sevalla_application_process" "db" {
  application_id   = sevalla_application.app.id
  display_name     = "db"
  type             = "worker"
  resource_type_id = data.sevalla_process_resource_types.all.process_resource_types[0].id
  scaling_strategy = { type = "manual", instance_count = 1 }
}
"""
)
TYPES = {"private_port": "private-ports", "tcp_proxy": "tcp-proxies"}


def port_hcl(kind: str, port: int) -> str:
    return (
        APP
        + f"""
resource "sevalla_application_{kind}" "this" {{
  application_id = sevalla_application.app.id
  process_id     = sevalla_application_process.db.id
  port           = {port}
}}
"""
    )


@pytest.mark.parametrize("kind", sorted(TYPES))
def test_process_port_lifecycle_and_replacement(
    kind: str, tf: Terraform, clean_emulator: EmulatorProcess
) -> None:
    address = f"sevalla_application_{kind}.this"

    def created(values: dict) -> None:
        assert values["port"] == 5432 and values["status"] == "active"
        if kind == "tcp_proxy":
            assert values["external_port"] >= 30000 and values["hostname"]

    check_lifecycle(
        tf,
        address,
        create_hcl=port_hcl(kind, 5432),
        update_hcl=None,  # no attribute can change in place
        import_id=lambda values: f"{values['application_id']}/{values['id']}",
        ignore_on_import={},
        check_created=created,
    )
    first = tf.state()[address]["id"]
    tf.write(port_hcl(kind, 6379))
    assert "must be replaced" in tf.plan_text()
    tf.apply()
    assert tf.state()[address]["id"] != first
    app_id = tf.state()["sevalla_application.app"]["id"]
    assert api(clean_emulator, "GET", f"applications/{app_id}/{TYPES[kind]}")["total"] == 1
    tf.destroy()
    assert_emulator_empty(clean_emulator)


@pytest.mark.parametrize("kind", sorted(TYPES))
def test_process_port_deleted_outside_is_created_again(
    kind: str, tf: Terraform, clean_emulator: EmulatorProcess
) -> None:
    address = f"sevalla_application_{kind}.this"
    tf.write(port_hcl(kind, 5432))
    tf.apply()
    values = tf.state()[address]
    api(clean_emulator, "DELETE", f"applications/{values['application_id']}/{TYPES[kind]}/{values['id']}")
    assert f"{address} will be created" in tf.plan_text()
    tf.destroy()
    assert_emulator_empty(clean_emulator)


@pytest.mark.parametrize("kind", sorted(TYPES))
def test_import_of_unknown_process_port_fails(
    kind: str, tf: Terraform, clean_emulator: EmulatorProcess
) -> None:
    check_import_of_missing_fails(
        tf,
        clean_emulator,
        APP,
        port_hcl(kind, 5432),
        f"sevalla_application_{kind}.this",
        "{app}/00000000-0000-4000-8000-000000000000",
    )
