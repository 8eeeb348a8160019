"""sevalla_load_balancer (resource and data sources) with real Terraform against the emulator."""

from __future__ import annotations

from emulator.process import EmulatorProcess
from tests.acceptance.conftest import assert_emulator_empty
from tests.acceptance.lifecycle import api, check_lifecycle
from tests.acceptance.terraform import Terraform

ADDRESS = "sevalla_load_balancer.lb"
MISSING = "00000000-0000-4000-8000-000000000000"


def lb_hcl(display_name: str, extra: str = "") -> str:
    """A load balancer `sevalla_load_balancer.lb`, also the parent of the child-type tests."""
    return f"""
resource "sevalla_load_balancer" "lb" {{
  display_name = "{display_name}"
  {extra}
}}
"""


def test_load_balancer_lifecycle(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    def created(values: dict) -> None:
        assert values["type"] == "DEFAULT" and values["project_id"] is None
        assert values["name"].startswith("acc-lb-") and values["company_id"]

    def updated(values: dict) -> None:
        assert (values["display_name"], values["type"]) == ("acc-lb-renamed", "GEO")

    final = check_lifecycle(
        tf,
        ADDRESS,
        create_hcl=lb_hcl("acc-lb"),
        update_hcl=lb_hcl("acc-lb-renamed", 'type = "GEO"'),
        import_id=lambda values: values["id"],
        ignore_on_import={},
        check_created=created,
        check_updated=updated,
    )
    assert api(clean_emulator, "GET", f"load-balancers/{final['id']}")["type"] == "GEO"
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_load_balancer_drift_and_deletion(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    tf.write(lb_hcl("acc-lb-drift"))
    tf.apply()
    lb_id = tf.state()[ADDRESS]["id"]
    api(clean_emulator, "PATCH", f"load-balancers/{lb_id}", {"display_name": "changed elsewhere"})
    plan = tf.plan_text()
    assert "will be updated in-place" in plan and "changed elsewhere" in plan, plan
    tf.apply()
    assert api(clean_emulator, "GET", f"load-balancers/{lb_id}")["display_name"] == "acc-lb-drift"
    api(clean_emulator, "DELETE", f"load-balancers/{lb_id}")
    assert f"{ADDRESS} will be created" in tf.plan_text()
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_load_balancer_import_of_unknown_id_fails(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    tf.write(lb_hcl("acc-lb"))
    output = tf.fail("import", ADDRESS, MISSING)
    assert "Cannot import non-existent remote object" in output
    assert_emulator_empty(clean_emulator)


def test_invalid_load_balancer_points_at_the_attribute(tf: Terraform) -> None:
    tf.write(lb_hcl("x", 'type = "ROUND_ROBIN"'))
    output = tf.fail("plan", "-input=false")
    assert "Invalid display_name: must be 2 to 64 characters long" in output
    assert 'type: must be one of DEFAULT, GEO; got "ROUND_ROBIN"' in output


def test_load_balancer_data_sources(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    # 3 of them listed with limit=100 would fit one page: the emulator's pages are checked in
    # tests/emulator; here the data source must see every one and match the resource.
    hcl = "".join(
        f'resource "sevalla_load_balancer" "lb{i}" {{\n  display_name = "acc-lbs-{i}"\n}}\n' for i in range(3)
    )
    hcl += """
data "sevalla_load_balancer" "one" {
  id = sevalla_load_balancer.lb1.id
}

data "sevalla_load_balancers" "all" {
  depends_on = [sevalla_load_balancer.lb0, sevalla_load_balancer.lb1, sevalla_load_balancer.lb2]
}

output "one" {
  value = data.sevalla_load_balancer.one
}

output "all" {
  value = data.sevalla_load_balancers.all.load_balancers
}
"""
    tf.write(hcl)
    tf.apply()
    outputs = tf.outputs()
    state = tf.state()
    one = outputs["one"]
    assert {k: v for k, v in one.items()} == {k: v for k, v in state["sevalla_load_balancer.lb1"].items()}, (
        "the data source differs from the resource"
    )
    listed = outputs["all"]
    assert sorted(item["display_name"] for item in listed) == ["acc-lbs-0", "acc-lbs-1", "acc-lbs-2"]
    assert set(listed[0]) == {"id", "name", "display_name", "type", "created_at", "updated_at"}
    tf.destroy()
    assert_emulator_empty(clean_emulator)
    tf.write(f'data "sevalla_load_balancer" "x" {{\n  id = "{MISSING}"\n}}\n')
    output = tf.fail("plan", "-input=false")
    assert "Load balancer not found" in output and MISSING in output
