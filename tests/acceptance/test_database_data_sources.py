"""sevalla_database (by id) and sevalla_databases (every database, following pagination) with
real Terraform."""

from __future__ import annotations

from emulator.catalog import CLUSTERS, DATABASE_RESOURCE_TYPES
from emulator.process import EmulatorProcess
from tests.acceptance.conftest import assert_emulator_empty
from tests.acceptance.lifecycle import api
from tests.acceptance.terraform import Terraform

UNKNOWN = "00000000-0000-4000-8000-000000000000"
CONFIG = """
data "sevalla_clusters" "all" {}
data "sevalla_database_resource_types" "all" {}

resource "sevalla_database" "db" {
  display_name     = "acc-ds-db"
  type             = "valkey"
  version          = "8"
  cluster_id       = data.sevalla_clusters.all.clusters[0].id
  resource_type_id = data.sevalla_database_resource_types.all.database_resource_types[1].id
  db_name          = "acc_db"
  db_password      = "acc-password"
}

data "sevalla_database" "db" {
  id = sevalla_database.db.id
}

data "sevalla_databases" "all" {
  depends_on = [sevalla_database.db]
}
"""
# Never returned by the API: null in the data source.
CONFIG_ONLY = {"db_password", "db_user", "extensions", "timeouts"}


def test_database_data_sources(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    # More databases than one page of the API (100), made behind Terraform's back.
    others = [
        api(
            clean_emulator,
            "POST",
            "databases",
            {
                "display_name": f"acc-page-{index:03d}",
                "type": "redis",
                "version": "7",
                "cluster_id": CLUSTERS[0]["id"],
                "resource_type_id": DATABASE_RESOURCE_TYPES[0]["id"],
                "db_name": "page",
                "db_password": "page-password",
            },
        )["id"]
        for index in range(101)
    ]
    tf.write(CONFIG)
    tf.apply()
    state = tf.state()
    resource, looked_up = state["sevalla_database.db"], state["data.sevalla_database.db"]
    assert looked_up["status"] == "ready" and looked_up["internal_port"] == "6379"
    assert all(looked_up[name] is None for name in CONFIG_ONLY)
    assert {k: v for k, v in looked_up.items() if k not in CONFIG_ONLY} == {
        k: v
        for k, v in resource.items()
        if k not in CONFIG_ONLY and "_wo" not in k  # write-only inputs
    }
    listed = state["data.sevalla_databases.all"]["databases"]
    assert len(listed) == 102, "the list must follow pagination"
    ours = next(item for item in listed if item["id"] == resource["id"])
    assert ours == {
        "id": resource["id"],
        "name": resource["name"],
        "display_name": "acc-ds-db",
        "type": "valkey",
        "status": "ready",
        "is_suspended": False,
        "created_at": resource["created_at"],
        "updated_at": resource["updated_at"],
    }
    assert tf.plan_exit_code() == 0
    for database_id in others:
        api(clean_emulator, "DELETE", f"databases/{database_id}")

    tf.write(CONFIG + f'data "sevalla_database" "missing" {{\n  id = "{UNKNOWN}"\n}}\n')
    output = tf.fail("plan", "-input=false")
    assert "Database not found" in output and UNKNOWN in output, output
    tf.write(CONFIG)
    tf.destroy()
    assert_emulator_empty(clean_emulator)
