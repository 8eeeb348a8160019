"""sevalla_load_balancer_destination with real Terraform against the emulator."""

from __future__ import annotations

from emulator.process import EmulatorProcess
from tests.acceptance.conftest import assert_emulator_empty
from tests.acceptance.lifecycle import api, application_hcl, check_lifecycle
from tests.acceptance.terraform import Terraform
from tests.acceptance.test_load_balancer import MISSING, lb_hcl

ADDRESS = "sevalla_load_balancer_destination.dest"
LB = lb_hcl("acc-dest-lb", 'type = "GEO"')


def dest_hcl(body: str) -> str:
    return (
        LB
        + f"""
resource "sevalla_load_balancer_destination" "dest" {{
  load_balancer_id = sevalla_load_balancer.lb.id
  {body}
}}
"""
    )


EXTERNAL = (
    'service_type = "EXTERNAL"\n  url = "https://a.example.com"\n  latitude = 48.85\n  longitude = 2.35'
)


def test_destination_lifecycle(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    def created(values: dict) -> None:
        assert values["url"] == "https://a.example.com" and values["service_id"] is None
        assert (values["latitude"], values["longitude"], values["weight"]) == (48.85, 2.35, 1)
        assert values["is_enabled"] is True

    check_lifecycle(
        tf,
        ADDRESS,
        create_hcl=dest_hcl(EXTERNAL),
        update_hcl=None,  # the API cannot change a destination: every change replaces it
        import_id=lambda values: f"{values['load_balancer_id']}/{values['id']}",
        ignore_on_import={},
        check_created=created,
    )
    first = tf.state()[ADDRESS]["id"]
    tf.write(dest_hcl(EXTERNAL + "\n  weight = 40"))
    plan = tf.plan_text()
    assert "must be replaced" in plan and "weight" in plan, plan
    tf.apply()
    replaced = tf.state()[ADDRESS]
    assert replaced["id"] != first and replaced["weight"] == 40
    listed = api(clean_emulator, "GET", f"load-balancers/{replaced['load_balancer_id']}/destinations")
    assert [item["id"] for item in listed["data"]] == [replaced["id"]]
    assert tf.plan_exit_code() == 0
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_destination_to_an_application(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    tf.write(
        application_hcl("acc-dest-app")
        + dest_hcl('service_type = "APP"\n  service_id = sevalla_application.app.id\n  weight = 70')
    )
    tf.apply()
    values = tf.state()[ADDRESS]
    assert values["service_id"] == tf.state()["sevalla_application.app"]["id"] and values["url"] is None
    assert values["latitude"] is None and values["weight"] == 70
    assert tf.plan_exit_code() == 0
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_deleted_destination_is_planned_again(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    tf.write(dest_hcl(EXTERNAL))
    tf.apply()
    dest = tf.state()[ADDRESS]
    api(clean_emulator, "DELETE", f"load-balancers/{dest['load_balancer_id']}/destinations/{dest['id']}")
    assert f"{ADDRESS} will be created" in tf.plan_text()
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_destination_import_errors(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    tf.write(LB)
    tf.apply()
    lb_id = tf.state()["sevalla_load_balancer.lb"]["id"]
    tf.write(dest_hcl(EXTERNAL))
    output = tf.fail("import", ADDRESS, f"{lb_id}/{MISSING}")
    assert "Cannot import non-existent remote object" in output
    output = tf.fail("import", ADDRESS, lb_id)
    assert f"Expected import ID in format '<load_balancer_id>/<destination_id>', got: {lb_id}" in output
    tf.write(LB)
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_invalid_destination_points_at_the_attribute(tf: Terraform) -> None:
    tf.write(
        'resource "sevalla_load_balancer_destination" "dest" {\n'
        f'  load_balancer_id = "{MISSING}"\n'
        '  service_type     = "EXTERNAL"\n'
        "  latitude         = 95\n}\n"
    )
    output = tf.fail("plan", "-input=false")
    assert "Invalid url: is required when service_type is EXTERNAL" in output
    assert "latitude: must be between -90 and 90" in output
