"""Value sets the API does not document are not refused (emulator/FIDELITY.md, "Validation and
value sets"): such configurations apply, plan clean and destroy. What is still checked (the
form) fails `terraform plan` on the attribute, before anything is created."""

from __future__ import annotations

import textwrap

from emulator.process import EmulatorProcess
from tests.acceptance.conftest import assert_emulator_empty
from tests.acceptance.terraform import REQUIRED_PROVIDERS, Terraform

UNDOCUMENTED = """
data "sevalla_clusters" "all" {}

resource "sevalla_application" "app" {
  display_name = "values-app"
  cluster_id   = data.sevalla_clusters.all.clusters[0].id
  source       = "dockerImage"
  docker_image = "nginx:latest"
}

resource "sevalla_static_site" "site" {
  display_name   = "values-site"
  repo_url       = "https://github.com/example/site"
  default_branch = "main"
}

resource "sevalla_project" "project" {
  display_name = "values-project"
}

resource "sevalla_project_service" "app" {
  project_id   = sevalla_project.project.id
  service_id   = sevalla_application.app.id
  service_type = "application"
}

resource "sevalla_project_service" "site" {
  project_id   = sevalla_project.project.id
  service_id   = sevalla_static_site.site.id
  service_type = "staticSite"
}

resource "sevalla_webhook" "hook" {
  endpoint       = "https://hooks.example.com/sevalla"
  allowed_events = ["APP_DEPLOY", "deployment.created"]
}

resource "sevalla_api_key" "key" {
  name         = "values-key"
  capabilities = [{ permission = "APP:READ" }, { permission = "app:read" }]
}

# One key for production and another for preview (the API keys them per environment).
resource "sevalla_static_site_environment_variable" "production" {
  static_site_id = sevalla_static_site.site.id
  key            = "API_URL"
  value          = "https://api.example.com"
  is_preview     = false
}

resource "sevalla_static_site_environment_variable" "preview" {
  static_site_id = sevalla_static_site.site.id
  key            = "API_URL"
  value          = "https://preview-api.example.com"
  is_production  = false
}
"""


def test_undocumented_values_apply_plan_clean_and_destroy(
    tf: Terraform, clean_emulator: EmulatorProcess
) -> None:
    tf.write(UNDOCUMENTED)
    tf.apply()
    assert tf.plan_exit_code() == 0, "plan after apply is not empty:\n" + tf.plan_text()
    state = tf.state()
    assert state["sevalla_project_service.app"]["service_type"] == "application"
    assert state["sevalla_project_service.site"]["service_type"] == "staticSite"
    assert state["sevalla_api_key.key"]["capabilities"][0]["permission"] == "APP:READ"
    tf.destroy()
    assert_emulator_empty(clean_emulator)


# (A project service's bad service_type under a parent made in the same configuration is in
# test_plan_checks.py: here validation errors stop Terraform before it plans.)
BAD_FORMS = """
resource "sevalla_webhook" "bad_event" {
  endpoint       = "https://hooks.example.com/sevalla"
  allowed_events = ["APP_DEPLOY", "app deploy"]
}

resource "sevalla_api_key" "bad_permission" {
  name         = "forms-key"
  capabilities = [{ permission = "read" }]
}
"""

# (error summary, the text on the line Terraform must point at)
EXPECTED = (
    ('Invalid allowed_events[1]: must be an event name such as APP_DEPLOY; got "app deploy"', '"app deploy"'),
    # An attribute inside a list of objects: Terraform points at the resource block.
    ("Invalid capabilities[0].permission: must be <resource>:<action>", '"bad_permission"'),
)


def line_of(text: str) -> int:
    lines = (REQUIRED_PROVIDERS + textwrap.dedent(BAD_FORMS)).splitlines()
    matching = [number for number, line in enumerate(lines, start=1) if text in line]
    assert len(matching) == 1, f"{text!r} is on lines {matching}"
    return matching[0]


def test_bad_forms_fail_the_plan_on_the_attribute(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    tf.write(BAD_FORMS)
    output = tf.fail("plan", "-input=false")
    for summary, text in EXPECTED:
        assert summary in output, f"{summary!r} missing:\n{output}"
        assert f"on main.tf line {line_of(text)}" in output, f"no error points at {text!r}:\n{output}"
    assert output.count("Error: ") == len(EXPECTED), output
    assert_emulator_empty(clean_emulator)
