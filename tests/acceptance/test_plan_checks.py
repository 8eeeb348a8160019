"""Values known at plan are checked at plan, even when the resource's parent does not exist yet
(its id is unknown): `terraform plan` fails on the attribute and nothing is created."""

from __future__ import annotations

import textwrap

from emulator.process import EmulatorProcess
from tests.acceptance.conftest import assert_emulator_empty
from tests.acceptance.terraform import REQUIRED_PROVIDERS, Terraform

# Every bad value hangs off a parent created in the same configuration, so the parent's id is
# unknown at plan: the case where checks used to wait for apply, after the parent was created.
HCL = """
data "sevalla_clusters" "all" {}
data "sevalla_database_resource_types" "all" {}

resource "sevalla_application" "app" {
  display_name = "checks-app"
  cluster_id   = data.sevalla_clusters.all.clusters[0].id
  source       = "dockerImage"
  docker_image = "nginx:latest"
}

resource "sevalla_application" "other" {
  display_name = "checks-other"
  cluster_id   = data.sevalla_clusters.all.clusters[0].id
  source       = "dockerImage"
  docker_image = "nginx:latest"
}

resource "sevalla_application_ip_restriction" "bad_ip" {
  application_id = sevalla_application.app.id
  type           = "allow"
  is_enabled     = true
  ip_list        = ["10.0.0.1", "300.1.1.1"]
}

resource "sevalla_application_ip_restriction" "bad_cidr" {
  application_id = sevalla_application.other.id
  type           = "deny"
  is_enabled     = true
  ip_list        = ["10.0.0.0/33"]
}

resource "sevalla_database" "db" {
  display_name     = "checks-db"
  type             = "postgresql"
  version          = "16"
  cluster_id       = data.sevalla_clusters.all.clusters[0].id
  resource_type_id = data.sevalla_database_resource_types.all.database_resource_types[0].id
  db_name          = "checks"
  db_password      = "secret-password"
}

resource "sevalla_database_ip_restriction" "bad_type" {
  database_id = sevalla_database.db.id
  type        = "maybe"
  is_enabled  = true
  ip_list     = ["10.0.0.0/8"]
}

resource "sevalla_load_balancer" "lb" {
  display_name = "checks-lb"
}

resource "sevalla_load_balancer_destination" "bad_weight" {
  load_balancer_id = sevalla_load_balancer.lb.id
  service_type     = "APP"
  service_id       = sevalla_application.app.id
  weight           = -5
}

resource "sevalla_project" "project" {
  display_name = "checks-project"
}

resource "sevalla_project_service" "bad_type" {
  project_id   = sevalla_project.project.id
  service_id   = sevalla_application.app.id
  service_type = "ftp server"
}

resource "sevalla_object_storage" "bucket" {
  display_name = "checks-bucket"
}

resource "sevalla_object_storage_cors_policy" "bad_method" {
  object_storage_id = sevalla_object_storage.bucket.id
  allowed_origins   = ["https://example.com"]
  allowed_methods   = ["GET", "FETCH"]
}
"""

# (error summary, the text on the line Terraform must point at)
EXPECTED = (
    ('Invalid ip_list: not IP addresses or CIDR ranges: "300.1.1.1"', '["10.0.0.1", "300.1.1.1"]'),
    ('Invalid ip_list: not IP addresses or CIDR ranges: "10.0.0.0/33"', '["10.0.0.0/33"]'),
    ('Invalid type: must be one of allow, deny; got "maybe"', '"maybe"'),
    ("Invalid weight: must be between 0 and 100; got -5", "= -5"),
    ("Invalid service_type: must be a service type such as app,", '"ftp server"'),
    ('Invalid allowed_methods: must be among GET, PUT, POST, DELETE, HEAD; got "FETCH"', '"FETCH"'),
)


def line_of(text: str) -> int:
    """The line of main.tf (as written, with the provider block first) holding `text`."""
    lines = (REQUIRED_PROVIDERS + textwrap.dedent(HCL)).splitlines()
    matching = [number for number, line in enumerate(lines, start=1) if text in line]
    assert len(matching) == 1, f"{text!r} is on lines {matching}"
    return matching[0]


def test_known_values_fail_the_plan_before_anything_is_created(
    tf: Terraform, clean_emulator: EmulatorProcess
) -> None:
    tf.write(HCL)
    output = tf.fail("plan", "-input=false")
    assert "Decimal(" not in output, output
    for summary, text in EXPECTED:
        assert summary in output, f"{summary!r} missing:\n{output}"
        assert f"on main.tf line {line_of(text)}" in output, f"no error points at {text!r}:\n{output}"
    assert output.count("Error: ") == len(EXPECTED), output
    tf.fail("apply", "-auto-approve", "-input=false")
    assert_emulator_empty(clean_emulator)
