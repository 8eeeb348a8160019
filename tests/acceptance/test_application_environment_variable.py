"""sevalla_application_environment_variable with real Terraform against the emulator."""

from __future__ import annotations

from emulator.process import EmulatorProcess
from tests.acceptance.conftest import assert_emulator_empty
from tests.acceptance.lifecycle import api, check_lifecycle
from tests.acceptance.terraform import Terraform

APP = """
data "sevalla_clusters" "all" {}

resource "sevalla_application" "app" {
  display_name = "acc-env-app"
  cluster_id   = data.sevalla_clusters.all.clusters[0].id
  source       = "dockerImage"
  docker_image = "nginx:latest"
}
"""


def env_hcl(value: str, extra: str = "") -> str:
    return (
        APP
        + f"""
resource "sevalla_application_environment_variable" "var" {{
  application_id = sevalla_application.app.id
  key            = "GREETING"
  value          = "{value}"
  {extra}
}}
"""
    )


def test_environment_variable_lifecycle(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    def created(values: dict) -> None:
        assert values["value"] == "hello"
        assert values["is_runtime"] is True and values["is_buildtime"] is True

    def updated(values: dict) -> None:
        assert values["value"] == "bonjour"
        assert values["is_buildtime"] is False

    check_lifecycle(
        tf,
        "sevalla_application_environment_variable.var",
        create_hcl=env_hcl("hello"),
        update_hcl=env_hcl("bonjour", "is_buildtime = false"),
        import_id=lambda values: f"{values['application_id']}/{values['id']}",
        ignore_on_import={},
        check_created=created,
        check_updated=updated,
    )
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_value_is_sensitive_in_plans(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    tf.write(env_hcl("top-secret-value"))
    plan = tf.plan_text()
    assert "top-secret-value" not in plan
    assert "(sensitive value)" in plan


def test_malformed_import_id_is_explained(tf: Terraform) -> None:
    tf.write(env_hcl("x"))
    output = tf.fail("import", "sevalla_application_environment_variable.var", "only-one-part")
    assert "Expected import ID in format '<application_id>/<env_var_id>', got: only-one-part" in output


def test_import_of_unknown_variable_fails(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    tf.write(APP)
    tf.apply()
    app_id = tf.state()["sevalla_application.app"]["id"]
    tf.write(env_hcl("x"))
    output = tf.fail(
        "import",
        "sevalla_application_environment_variable.var",
        f"{app_id}/00000000-0000-4000-8000-000000000000",
    )
    assert "Cannot import non-existent remote object" in output
    tf.write(APP)
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_taken_key_says_which_import_adopts_it(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    """A variable made by a create this machine has no record of (another machine's interrupted
    apply): the create fails on the unique key, naming the import that brings it in; after that
    import the configuration converges."""
    tf.write(APP)
    tf.apply()
    app_id = tf.state()["sevalla_application.app"]["id"]
    existing = api(
        clean_emulator, "POST", f"applications/{app_id}/env-vars", {"key": "GREETING", "value": "hi"}
    )
    tf.write(env_hcl("hi"))
    output = tf.fail("apply", "-auto-approve", "-input=false")
    command = f"terraform import sevalla_application_environment_variable.<name> {app_id}/{existing['id']}"
    assert command in output, output
    tf.import_("sevalla_application_environment_variable.var", f"{app_id}/{existing['id']}")
    assert tf.plan_exit_code() == 0
    tf.destroy()
    assert_emulator_empty(clean_emulator)
