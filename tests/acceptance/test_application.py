"""sevalla_application with real Terraform against the emulator."""

from __future__ import annotations

import httpx

from emulator.process import EmulatorProcess
from tests.acceptance.conftest import assert_emulator_empty
from tests.acceptance.lifecycle import check_lifecycle
from tests.acceptance.terraform import Terraform

CLUSTERS = 'data "sevalla_clusters" "all" {}\n'


def app_hcl(display_name: str, extra: str = "") -> str:
    return (
        CLUSTERS
        + f"""
resource "sevalla_application" "app" {{
  display_name   = "{display_name}"
  cluster_id     = data.sevalla_clusters.all.clusters[0].id
  source         = "publicGit"
  repo_url       = "https://github.com/example/app"
  default_branch = "main"
  {extra}
}}
"""
    )


def test_application_lifecycle(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    def created(values: dict) -> None:
        assert values["name"].startswith("acc-app")
        assert values["build_type"] == "dockerfile"
        assert values["dockerfile_path"] == "Dockerfile"
        assert values["cluster_id"]

    def updated(values: dict) -> None:
        assert values["display_name"] == "acc-app-renamed"
        assert values["build_type"] == "nixpacks"
        assert values["nixpacks_version"] == "1.21.0"
        assert values["dockerfile_path"] is None, "dockerfile-only field must be null for nixpacks"
        assert values["allow_deploy_paths"] == ["src/**"]
        assert values["hibernation_enabled"] is True

    check_lifecycle(
        tf,
        "sevalla_application.app",
        create_hcl=app_hcl("acc-app"),
        update_hcl=app_hcl(
            "acc-app-renamed",
            'build_type = "nixpacks"\n  nixpacks_version = "1.21.0"\n'
            '  allow_deploy_paths = ["src/**"]\n  hibernation_enabled = true',
        ),
        import_id=lambda values: values["id"],
        ignore_on_import={"cluster_id": "the API does not return cluster_id"},
        check_created=created,
        check_updated=updated,
    )
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_application_import_block(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    tf.write(app_hcl("acc-import-block"))
    tf.apply()
    app_id = tf.state()["sevalla_application.app"]["id"]
    tf.state_rm("sevalla_application.app")
    tf.write(
        app_hcl("acc-import-block") + f'\nimport {{\n  to = sevalla_application.app\n  id = "{app_id}"\n}}\n'
    )
    plan = tf.plan_text()
    assert "1 to import" in plan and "0 to add" in plan and "0 to destroy" in plan, plan
    tf.apply()
    assert tf.state()["sevalla_application.app"]["id"] == app_id
    assert tf.plan_exit_code() == 0
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_import_of_unknown_application_fails(tf: Terraform) -> None:
    tf.write(app_hcl("acc-missing"))
    output = tf.fail("import", "sevalla_application.app", "00000000-0000-4000-8000-000000000000")
    assert "Cannot import non-existent remote object" in output


def test_application_deleted_outside_terraform_is_planned_again(
    tf: Terraform, clean_emulator: EmulatorProcess
) -> None:
    tf.write(app_hcl("acc-drift"))
    tf.apply()
    app_id = tf.state()["sevalla_application.app"]["id"]
    response = httpx.delete(
        f"{clean_emulator.url}/applications/{app_id}",
        headers={"Authorization": f"Bearer {clean_emulator.api_key}"},
    )
    assert response.status_code in (200, 204)
    plan = tf.plan_text()
    assert "sevalla_application.app will be created" in plan, plan
    tf.apply()
    assert tf.state()["sevalla_application.app"]["id"] != app_id
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_invalid_build_settings_point_at_the_attribute(tf: Terraform) -> None:
    tf.write(app_hcl("acc-bad", 'build_type = "pack"\n  dockerfile_path = "Dockerfile"'))
    output = tf.fail("plan", "-input=false")
    assert 'Invalid dockerfile_path: only applies when build_type = "dockerfile"' in output
    assert "dockerfile_path = " in output, "the diagnostic should quote the attribute's line"


def test_application_changed_outside_terraform_is_planned_back(
    tf: Terraform, clean_emulator: EmulatorProcess
) -> None:
    tf.write(app_hcl("acc-changed"))
    tf.apply()
    app_id = tf.state()["sevalla_application.app"]["id"]
    response = httpx.patch(
        f"{clean_emulator.url}/applications/{app_id}",
        headers={"Authorization": f"Bearer {clean_emulator.api_key}"},
        json={"display_name": "renamed-in-the-dashboard"},
    )
    assert response.status_code == 200
    plan = tf.plan_text()
    assert "sevalla_application.app will be updated in-place" in plan, plan
    assert '"renamed-in-the-dashboard" -> "acc-changed"' in plan, plan
    tf.apply()
    assert tf.state()["sevalla_application.app"]["display_name"] == "acc-changed"
    assert tf.plan_exit_code() == 0
    tf.destroy()
    assert_emulator_empty(clean_emulator)
