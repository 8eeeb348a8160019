"""sevalla_database_ip_restriction (no id; keyed by database_id) with real Terraform. The main test
reuses one database for every step: databases take a moment to become ready."""

from __future__ import annotations

import time

from emulator.process import EmulatorProcess
from tests.acceptance.conftest import assert_emulator_empty
from tests.acceptance.lifecycle import api, check_lifecycle
from tests.acceptance.terraform import Terraform

ADDRESS = "sevalla_database_ip_restriction.this"
UNKNOWN = "00000000-0000-4000-8000-000000000000"
DATABASE = """
data "sevalla_clusters" "all" {}
data "sevalla_database_resource_types" "all" {}

resource "sevalla_database" "db" {
  display_name     = "acc-ip-db"
  type             = "mysql"
  version          = "8"
  cluster_id       = data.sevalla_clusters.all.clusters[0].id
  resource_type_id = data.sevalla_database_resource_types.all.database_resource_types[0].id
  db_name          = "acc_db"
  db_password      = "acc-password"
}
"""


def restriction_hcl(
    kind: str, ips: str, enabled: str = "true", database_id: str = "sevalla_database.db.id"
) -> str:
    return (
        DATABASE
        + f"""
resource "sevalla_database_ip_restriction" "this" {{
  database_id = {database_id}
  type        = "{kind}"
  is_enabled  = {enabled}
  ip_list     = [{ips}]
}}
"""
    )


def test_database_ip_restriction_lifecycle_import_and_drift(
    tf: Terraform, clean_emulator: EmulatorProcess
) -> None:
    def updated(values: dict) -> None:
        assert (values["type"], values["ip_list"]) == ("deny", ["192.0.2.0/24", "2001:db8::/32"])

    check_lifecycle(
        tf,
        ADDRESS,
        create_hcl=restriction_hcl("allow", '"10.0.0.0/8", "203.0.113.7"'),
        update_hcl=restriction_hcl("deny", '"192.0.2.0/24", "2001:db8::/32"'),
        import_id=lambda values: values["database_id"],
        ignore_on_import={},
        check_updated=updated,
    )
    database_id = tf.state()["sevalla_database.db"]["id"]
    path = f"databases/{database_id}/ip-restriction"
    assert api(clean_emulator, "GET", path)["type"] == "deny"

    # Changed outside Terraform: planned back in place.
    api(clean_emulator, "PUT", path, {"type": "deny", "is_enabled": False, "ip_list": ["192.0.2.0/24"]})
    plan = tf.plan_text()
    assert f"{ADDRESS} will be updated in-place" in plan, plan
    tf.apply()
    assert tf.plan_exit_code() == 0

    # Removed outside Terraform (back to the never-set state): still an object the API answers
    # for, so it is planned as an update that turns it on again.
    api(clean_emulator, "PUT", path, {"type": "allow", "is_enabled": False, "ip_list": []})
    assert f"{ADDRESS} will be updated in-place" in tf.plan_text()
    tf.apply()
    assert api(clean_emulator, "GET", path)["is_enabled"] is True

    # Destroying only the restriction puts it back to "disabled, empty list"; then nothing to import.
    tf.write(DATABASE)
    tf.apply()
    assert api(clean_emulator, "GET", path) == {"type": "allow", "is_enabled": False, "ip_list": []}
    assert clean_emulator.objects()["database_ip_restrictions"] == 0
    tf.write(restriction_hcl("allow", ""))
    output = tf.fail("import", ADDRESS, database_id)
    assert "Cannot import non-existent remote object" in output, output
    output = tf.fail("import", ADDRESS, UNKNOWN)
    assert "Cannot import non-existent remote object" in output, output

    tf.write(DATABASE)
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_database_deleted_outside_terraform_is_planned_again(
    tf: Terraform, clean_emulator: EmulatorProcess
) -> None:
    tf.write(restriction_hcl("allow", '"10.0.0.0/8"'))
    tf.apply()
    database_id = tf.state()["sevalla_database.db"]["id"]
    # Deleted outside Terraform and gone: the DELETE is asynchronous (the emulator's delete delay),
    # so the plan starts once the API no longer lists it, instead of racing that delay.
    api(clean_emulator, "DELETE", f"databases/{database_id}")
    deadline = time.monotonic() + 30
    while api(clean_emulator, "GET", "databases")["data"] and time.monotonic() < deadline:
        time.sleep(0.1)
    plan = tf.plan_text()
    assert f"{ADDRESS} will be created" in plan and "sevalla_database.db will be created" in plan, plan
    tf.destroy()  # nothing left to delete: both are gone
    assert_emulator_empty(clean_emulator)


def test_bad_input_points_at_the_attribute(tf: Terraform) -> None:
    tf.write(restriction_hcl("block", '"10.0.0.300"', database_id=f'"{UNKNOWN}"'))
    output = tf.fail("plan", "-input=false")
    assert 'Invalid type: must be one of allow, deny; got "block"' in output, output
    assert 'also ip_list: not IP addresses or CIDR ranges: "10.0.0.300"' in output, output
