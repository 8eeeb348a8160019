"""Data sources with real Terraform against the emulator."""

from __future__ import annotations

import httpx

from emulator.process import EmulatorProcess
from tests.acceptance.conftest import assert_emulator_empty
from tests.acceptance.terraform import Terraform


def api_get(emulator: EmulatorProcess, path: str) -> object:
    response = httpx.get(f"{emulator.url}/{path}", headers={"Authorization": f"Bearer {emulator.api_key}"})
    response.raise_for_status()
    return response.json()


def test_reference_lists_match_the_api(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    tf.write(
        """
data "sevalla_clusters" "all" {}
data "sevalla_process_resource_types" "all" {}
data "sevalla_database_resource_types" "all" {}

output "clusters" { value = data.sevalla_clusters.all.clusters }
output "process_types" { value = data.sevalla_process_resource_types.all.process_resource_types }
output "database_types" { value = data.sevalla_database_resource_types.all.database_resource_types }
"""
    )
    tf.apply()
    outputs = tf.outputs()
    clusters = api_get(clean_emulator, "resources/clusters")
    assert outputs["clusters"] == [
        {key: cluster[key] for key in ("id", "name", "display_name", "location")} for cluster in clusters
    ]
    assert [item["id"] for item in outputs["process_types"]] == [
        item["id"] for item in api_get(clean_emulator, "resources/process-resource-types")
    ]
    database_types = api_get(clean_emulator, "resources/database-resource-types")
    assert [item["storage_limit"] for item in outputs["database_types"]] == [
        item["storage_limit"] for item in database_types
    ]


def test_application_data_source_reads_by_id(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    tf.write(
        """
data "sevalla_clusters" "all" {}

resource "sevalla_application" "app" {
  display_name = "acc-ds-app"
  cluster_id   = data.sevalla_clusters.all.clusters[0].id
  source       = "dockerImage"
  docker_image = "nginx:1.27"
}

data "sevalla_application" "by_id" {
  id = sevalla_application.app.id
}

output "looked_up" { value = data.sevalla_application.by_id }
"""
    )
    tf.apply()
    app = tf.state()["sevalla_application.app"]
    looked_up = tf.outputs()["looked_up"]
    for name in ("id", "name", "display_name", "docker_image", "source", "status", "namespace", "created_at"):
        assert looked_up[name] == app[name], name
    assert tf.plan_exit_code() == 0
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_application_data_source_unknown_id(tf: Terraform) -> None:
    tf.write('data "sevalla_application" "x" {\n  id = "00000000-0000-4000-8000-000000000000"\n}\n')
    output = tf.fail("plan", "-input=false")
    assert "Application not found" in output
