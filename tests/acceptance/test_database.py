"""sevalla_database with real Terraform against the emulator (creating -> ready)."""

from __future__ import annotations

from emulator.process import EmulatorProcess
from tests.acceptance.conftest import assert_emulator_empty
from tests.acceptance.lifecycle import check_lifecycle
from tests.acceptance.terraform import Terraform


def db_hcl(display_name: str, size_index: int = 0) -> str:
    return f"""
data "sevalla_clusters" "all" {{}}
data "sevalla_database_resource_types" "all" {{}}

resource "sevalla_database" "db" {{
  display_name     = "{display_name}"
  type             = "postgresql"
  version          = "16"
  cluster_id       = data.sevalla_clusters.all.clusters[0].id
  resource_type_id = data.sevalla_database_resource_types.all.database_resource_types[{size_index}].id
  db_name          = "acc_db"
  db_password      = "acc-password"
  db_user          = "acc_user"
  timeouts         = {{ create = "2m" }}
}}
"""


def test_database_lifecycle(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    def created(values: dict) -> None:
        assert values["status"] == "ready", "create must wait for the database to be ready"
        assert values["internal_port"] == "5432"
        assert values["db_password"] == "acc-password"

    def updated(values: dict) -> None:
        assert values["display_name"] == "acc-db-renamed"
        assert values["status"] == "ready", "a size change must wait for the update to finish"

    final = check_lifecycle(
        tf,
        "sevalla_database.db",
        create_hcl=db_hcl("acc-db"),
        update_hcl=db_hcl("acc-db-renamed", size_index=1),
        import_id=lambda values: values["id"],
        ignore_on_import={
            "db_password": "the API never returns the password",
            "db_user": "the API does not return the user",
            "timeouts": "configuration only",
        },
        check_created=created,
        check_updated=updated,
    )
    assert final["resource_type_name"] != "db1"
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_bad_database_type_points_at_the_attribute(tf: Terraform) -> None:
    tf.write(db_hcl("acc-bad").replace('"postgresql"', '"oracle"'))
    output = tf.fail("plan", "-input=false")
    assert "Invalid type: must be one of postgresql" in output


def test_bad_timeout_points_at_the_attribute(tf: Terraform) -> None:
    tf.write(db_hcl("acc-bad").replace('create = "2m"', 'create = "two minutes"'))
    output = tf.fail("plan", "-input=false")
    assert "Invalid timeouts.create" in output
