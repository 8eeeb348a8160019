"""sevalla_application_deployment_hook (no id; keyed by application_id) with real Terraform."""

from __future__ import annotations

from emulator.process import EmulatorProcess
from tests.acceptance.conftest import assert_emulator_empty
from tests.acceptance.lifecycle import api, application_hcl, check_import_of_missing_fails, check_lifecycle
from tests.acceptance.terraform import Terraform

APP = application_hcl("acc-hook-app")
HOOK = (
    APP
    + """
resource "sevalla_application_deployment_hook" "this" {
  application_id = sevalla_application.app.id
}

output "hook" {
  value     = sevalla_application_deployment_hook.this.url
  sensitive = true
}
"""
)


def test_deployment_hook_lifecycle(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    final = check_lifecycle(
        tf,
        "sevalla_application_deployment_hook.this",
        create_hcl=HOOK,
        update_hcl=None,  # only application_id, which forces replacement
        import_id=lambda values: values["application_id"],
        ignore_on_import={},
    )
    assert final["url"].startswith("https://")
    assert final["url"] not in tf.run("output", "-no-color").stdout, "the URL is sensitive"
    app_id = final["application_id"]
    api(clean_emulator, "DELETE", f"applications/{app_id}/deployment-hook")
    assert "sevalla_application_deployment_hook.this will be created" in tf.plan_text()
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_import_of_disabled_deployment_hook_fails(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    check_import_of_missing_fails(
        tf, clean_emulator, APP, HOOK, "sevalla_application_deployment_hook.this", "{app}"
    )
