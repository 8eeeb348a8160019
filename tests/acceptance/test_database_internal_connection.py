"""sevalla_database_internal_connection with real Terraform (one database for the whole module's
main test: databases take a moment to become ready)."""

from __future__ import annotations

from emulator.process import EmulatorProcess
from tests.acceptance.conftest import assert_emulator_empty
from tests.acceptance.lifecycle import api, check_lifecycle
from tests.acceptance.terraform import Terraform

ADDRESS = "sevalla_database_internal_connection.conn"
UNKNOWN = "00000000-0000-4000-8000-000000000000"

SETUP = """
data "sevalla_clusters" "all" {}
data "sevalla_database_resource_types" "all" {}

resource "sevalla_database" "db" {
  display_name     = "acc-conn-db"
  type             = "postgresql"
  version          = "16"
  cluster_id       = data.sevalla_clusters.all.clusters[0].id
  resource_type_id = data.sevalla_database_resource_types.all.database_resource_types[0].id
  db_name          = "acc_db"
  db_password      = "acc-password"
}

resource "sevalla_application" "app" {
  display_name = "acc-conn-app"
  cluster_id   = data.sevalla_clusters.all.clusters[0].id
  source       = "dockerImage"
  docker_image = "nginx:latest"
}
"""


OTHER_DB = """
resource "sevalla_database" "other" {
  display_name     = "acc-conn-other"
  type             = "redis"
  version          = "7"
  cluster_id       = data.sevalla_clusters.all.clusters[0].id
  resource_type_id = data.sevalla_database_resource_types.all.database_resource_types[0].id
  db_name          = "acc_other"
  db_password      = "acc-password"
}
"""


def connection_hcl(target_id: str = "sevalla_application.app.id", target_type: str = "app") -> str:
    return (
        SETUP
        + f"""
resource "sevalla_database_internal_connection" "conn" {{
  database_id = sevalla_database.db.id
  target_id   = {target_id}
  target_type = "{target_type}"
}}
"""
    )


def test_internal_connection_lifecycle_import_and_drift(
    tf: Terraform, clean_emulator: EmulatorProcess
) -> None:
    def created(values: dict) -> None:
        assert values["source_type"] == "database"
        assert values["source_display_name"] == "acc-conn-db"
        assert values["target_display_name"] == "acc-conn-app"
        assert values["target_type"] == "app"

    final = check_lifecycle(
        tf,
        ADDRESS,
        create_hcl=connection_hcl(),
        update_hcl=None,  # every argument forces replacement: no in-place update
        import_id=lambda values: f"{values['database_id']}/{values['id']}",
        ignore_on_import={},
        check_created=created,
    )
    database_id = final["database_id"]
    path = f"databases/{database_id}/internal-connections"
    listed = api(clean_emulator, "GET", path)
    assert [item["id"] for item in listed] == [final["id"]]
    # The API reads target_type back as appResource; the state keeps "app" and the plans after
    # the create and the import (check_lifecycle) were empty.
    assert [item["target_type"] for item in listed] == ["appResource"]
    assert tf.state()[ADDRESS]["target_type"] == "app"
    assert tf.plan_exit_code() == 0

    # Import: an unknown connection of a real database, and a malformed id.
    tf.state_rm(ADDRESS)
    output = tf.fail("import", ADDRESS, f"{database_id}/{UNKNOWN}")
    assert "Cannot import non-existent remote object" in output, output
    output = tf.fail("import", ADDRESS, "only-one-part")
    assert "Expected import ID in format '<database_id>/<connection_id>', got: only-one-part" in output
    tf.import_(ADDRESS, f"{database_id}/{final['id']}")

    # Deleted outside Terraform: planned again, then re-created.
    api(clean_emulator, "DELETE", f"{path}/{final['id']}")
    plan = tf.plan_text()
    assert f"{ADDRESS} will be created" in plan, plan
    tf.apply()
    again = tf.state()[ADDRESS]
    assert again["id"] != final["id"]
    assert tf.plan_exit_code() == 0

    # A different target replaces the connection (a second database as the target).
    tf.write(connection_hcl("sevalla_database.other.id", "database") + OTHER_DB)
    plan = tf.plan_text()
    assert f"{ADDRESS} must be replaced" in plan, plan
    tf.apply()
    replaced = tf.state()[ADDRESS]
    assert (replaced["target_type"], replaced["target_display_name"]) == ("database", "acc-conn-other")
    assert [item["target_type"] for item in api(clean_emulator, "GET", path)] == ["dbResource"]
    assert tf.plan_exit_code() == 0

    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_bad_target_type_points_at_the_attribute(tf: Terraform) -> None:
    tf.write(connection_hcl(f'"{UNKNOWN}"', "server").replace("sevalla_database.db.id", f'"{UNKNOWN}"'))
    output = tf.fail("plan", "-input=false")
    assert 'Invalid target_type: must be one of app, database; got "server"' in output, output
    assert 'target_type = "server"' in output, output  # Terraform underlines the attribute


def test_unknown_target_is_the_apis_field_message(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    tf.write(connection_hcl(f'"{UNKNOWN}"', "app"))
    output = tf.fail("apply", "-auto-approve", "-input=false")
    assert "target_id" in output and "is not a known application" in output, output
    tf.destroy()
    assert_emulator_empty(clean_emulator)
