"""sevalla_project and sevalla_project_service (resources and data source) with real Terraform."""

from __future__ import annotations

from emulator.process import EmulatorProcess
from tests.acceptance.conftest import assert_emulator_empty
from tests.acceptance.lifecycle import api, check_lifecycle
from tests.acceptance.terraform import Terraform
from tests.acceptance.test_static_site import check_drift

ADDRESS = "sevalla_project.project"
SERVICE = "sevalla_project_service.bucket"
MISSING = "00000000-0000-4000-8000-000000000000"


def project_hcl(display_name: str) -> str:
    return f"""
resource "sevalla_project" "project" {{
  display_name = "{display_name}"
}}
"""


def attached_hcl(bucket: str = "a", service_type: str = "object-storage") -> str:
    """A project, two buckets and bucket `bucket` attached to the project."""
    return (
        project_hcl("acc-project-services")
        + f"""
resource "sevalla_object_storage" "a" {{
  display_name = "acc-project-bucket-a"
}}

resource "sevalla_object_storage" "b" {{
  display_name = "acc-project-bucket-b"
}}

resource "sevalla_project_service" "bucket" {{
  project_id   = sevalla_project.project.id
  service_id   = sevalla_object_storage.{bucket}.id
  service_type = "{service_type}"
}}
"""
    )


def test_project_lifecycle(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    def created(values: dict) -> None:
        assert values["display_name"] == "acc-project"
        assert values["name"].startswith("acc-project-") and values["company_id"] and values["created_at"]

    def updated(values: dict) -> None:
        assert values["display_name"] == "acc-project-renamed"
        assert values["updated_at"] >= values["created_at"]

    final = check_lifecycle(
        tf,
        ADDRESS,
        create_hcl=project_hcl("acc-project"),
        update_hcl=project_hcl("acc-project-renamed"),
        import_id=lambda values: values["id"],
        ignore_on_import={},
        check_created=created,
        check_updated=updated,
    )
    assert api(clean_emulator, "GET", f"projects/{final['id']}")["display_name"] == "acc-project-renamed"
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_project_drift(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    tf.write(project_hcl("acc-project-drift"))
    tf.apply()
    check_drift(tf, clean_emulator, ADDRESS, "projects", {"display_name": "renamed-behind-our-back"})


def test_import_of_unknown_project_fails(tf: Terraform) -> None:
    tf.write(project_hcl("acc-missing"))
    output = tf.fail("import", ADDRESS, MISSING)
    assert "Cannot import non-existent remote object" in output


def test_invalid_project_name_points_at_the_attribute(tf: Terraform) -> None:
    tf.write(project_hcl("x"))
    output = tf.fail("plan", "-input=false")
    assert "Invalid display_name: must be 2 to 64 characters long" in output
    assert 'display_name = "x"' in output, output


def test_project_data_source(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    tf.write(
        project_hcl("acc-ds-project")
        + """
data "sevalla_project" "by_id" {
  id = sevalla_project.project.id
}

output "looked_up" { value = data.sevalla_project.by_id }
"""
    )
    tf.apply()
    assert tf.outputs()["looked_up"] == tf.state()[ADDRESS]
    assert tf.plan_exit_code() == 0
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_project_data_source_unknown_id(tf: Terraform) -> None:
    tf.write(f'data "sevalla_project" "x" {{\n  id = "{MISSING}"\n}}\n')
    output = tf.fail("plan", "-input=false")
    assert "Project not found" in output


def test_project_service_lifecycle(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    def created(values: dict) -> None:
        assert values["id"] == values["service_id"]
        assert values["service_type"] == "object-storage"
        project = api(clean_emulator, "GET", f"projects/{values['project_id']}")
        # Read back in another spelling (as the real API does); the state keeps the configured one.
        assert [(s["id"], s["type"]) for s in project["services"]] == [
            (values["service_id"], "objectStorageResource")
        ]

    attached = check_lifecycle(
        tf,
        SERVICE,
        create_hcl=attached_hcl("a"),
        update_hcl=None,  # every argument forces replacement
        import_id=lambda values: f"{values['project_id']}/{values['service_id']}",
        ignore_on_import={},
        check_created=created,
    )
    # Another service: the attachment is replaced (detach a, attach b).
    tf.write(attached_hcl("b"))
    assert "must be replaced" in tf.plan_text()
    tf.apply()
    state = tf.state()
    project = api(clean_emulator, "GET", f"projects/{attached['project_id']}")
    assert [s["id"] for s in project["services"]] == [state["sevalla_object_storage.b"]["id"]]
    assert tf.plan_exit_code() == 0
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_project_service_detached_outside_terraform_is_planned_again(
    tf: Terraform, clean_emulator: EmulatorProcess
) -> None:
    tf.write(attached_hcl("a"))
    tf.apply()
    attached = tf.state()[SERVICE]
    api(
        clean_emulator,
        "DELETE",
        f"projects/{attached['project_id']}/services/{attached['service_id']}?service_type=object-storage",
    )
    assert f"{SERVICE} will be created" in tf.plan_text()
    tf.apply()
    assert tf.plan_exit_code() == 0
    # The attached service deleted outside Terraform: both are planned again.
    api(clean_emulator, "DELETE", f"object-storage/{attached['service_id']}")
    plan = tf.plan_text()
    assert "sevalla_object_storage.a will be created" in plan and f"{SERVICE} will be created" in plan, plan
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_project_service_import_errors(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    tf.write(project_hcl("acc-project-import"))
    tf.apply()
    project_id = tf.state()[ADDRESS]["id"]
    tf.write(attached_hcl("a"))
    output = tf.fail("import", SERVICE, f"{project_id}/{MISSING}")
    assert "Cannot import non-existent remote object" in output
    output = tf.fail("import", SERVICE, project_id)
    assert f"Expected import ID in format '<project_id>/<service_id>', got: {project_id}" in output
    tf.write(project_hcl("acc-project-import"))
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_invalid_service_type_points_at_the_attribute(tf: Terraform) -> None:
    tf.write(
        'resource "sevalla_project_service" "x" {\n'
        f'  project_id   = "{MISSING}"\n'
        f'  service_id   = "{MISSING}"\n'
        '  service_type = "Virtual Machine"\n}\n'
    )
    output = tf.fail("plan", "-input=false")
    assert "Invalid service_type: must be a service type such as app, database, static-site" in output
    assert 'service_type = "Virtual Machine"' in output, output


def test_attaching_a_missing_service_shows_the_api_field_message(
    tf: Terraform, clean_emulator: EmulatorProcess
) -> None:
    tf.write(
        project_hcl("acc-project-bad-service")
        + f"""
resource "sevalla_project_service" "x" {{
  project_id   = sevalla_project.project.id
  service_id   = "{MISSING}"
  service_type = "app"
}}
"""
    )
    output = tf.fail("apply", "-auto-approve", "-input=false")
    assert "Unable to create project service" in output and "service_id" in output, output
    assert "is not a known app" in output, output
    tf.destroy()
    assert_emulator_empty(clean_emulator)
