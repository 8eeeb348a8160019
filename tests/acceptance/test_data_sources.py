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


def test_applications_list_follows_pagination(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    """More applications than one page of 100: the data source reads them all."""
    headers = {"Authorization": f"Bearer {clean_emulator.api_key}"}
    cluster_id = api_get(clean_emulator, "resources/clusters")[0]["id"]  # type: ignore[index]
    with httpx.Client(base_url=clean_emulator.url, headers=headers) as client:
        for index in range(102):
            body = {"display_name": f"bulk-{index}", "cluster_id": cluster_id, "source": "publicGit"}
            client.post("/applications", json=body).raise_for_status()
    tf.write(
        """
data "sevalla_applications" "all" {}

output "applications" { value = data.sevalla_applications.all.applications }
"""
    )
    tf.apply()
    listed = tf.outputs()["applications"]
    assert [app["display_name"] for app in listed] == [f"bulk-{index}" for index in range(102)]
    assert set(listed[0]) == {
        "id", "name", "display_name", "status", "type", "source", "is_suspended", "created_at", "updated_at",
    }  # fmt: skip
    assert listed[0]["is_suspended"] is False and listed[0]["type"] == "app"
    clean_emulator.reset()


def test_users_list(tf: Terraform) -> None:
    tf.write('data "sevalla_users" "all" {}\n\noutput "users" { value = data.sevalla_users.all.users }\n')
    tf.apply()
    users = tf.outputs()["users"]
    assert [user["email"] for user in users] == ["owner@example.com", "dev@example.com"]
    assert set(users[0]) == {"id", "email", "full_name", "image"}
