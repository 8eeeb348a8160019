"""sevalla_static_site_environment_variable with real Terraform against the emulator."""

from __future__ import annotations

from emulator.process import EmulatorProcess
from tests.acceptance.conftest import assert_emulator_empty
from tests.acceptance.lifecycle import api, check_lifecycle
from tests.acceptance.terraform import Terraform
from tests.acceptance.test_static_site import site_hcl

ADDRESS = "sevalla_static_site_environment_variable.var"
SITE = site_hcl("acc-env-site")


def env_hcl(value: str, extra: str = "") -> str:
    return (
        SITE
        + f"""
resource "sevalla_static_site_environment_variable" "var" {{
  static_site_id = sevalla_static_site.site.id
  key            = "API_URL"
  value          = "{value}"
  {extra}
}}
"""
    )


def test_static_site_environment_variable_lifecycle(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    def created(values: dict) -> None:
        assert values["value"] == "https://api.example.com"
        assert values["is_production"] is True and values["is_preview"] is True
        assert values["branch"] is None

    def updated(values: dict) -> None:
        assert values["value"] == "https://staging.example.com"
        assert values["is_production"] is False and values["branch"] == "staging"

    check_lifecycle(
        tf,
        ADDRESS,
        create_hcl=env_hcl("https://api.example.com"),
        update_hcl=env_hcl("https://staging.example.com", 'is_production = false\n  branch = "staging"'),
        import_id=lambda values: f"{values['static_site_id']}/{values['id']}",
        ignore_on_import={},
        check_created=created,
        check_updated=updated,
    )
    # Dropping the branch clears it in the API.
    tf.write(env_hcl("https://staging.example.com", "is_production = false"))
    tf.apply()
    var = tf.state()[ADDRESS]
    assert [
        item["branch"]
        for item in api(clean_emulator, "GET", f"static-sites/{var['static_site_id']}/env-vars")
    ] == [None]
    assert tf.plan_exit_code() == 0
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_value_is_sensitive_in_plans(tf: Terraform) -> None:
    tf.write(env_hcl("top-secret-value"))
    plan = tf.plan_text()
    assert "top-secret-value" not in plan and "(sensitive value)" in plan


def test_deleted_variable_is_planned_again(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    tf.write(env_hcl("x"))
    tf.apply()
    var = tf.state()[ADDRESS]
    api(clean_emulator, "DELETE", f"static-sites/{var['static_site_id']}/env-vars/{var['id']}")
    assert f"{ADDRESS} will be created" in tf.plan_text()
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_static_site_environment_variable_import_errors(
    tf: Terraform, clean_emulator: EmulatorProcess
) -> None:
    tf.write(SITE)
    tf.apply()
    site_id = tf.state()["sevalla_static_site.site"]["id"]
    tf.write(env_hcl("x"))
    output = tf.fail("import", ADDRESS, f"{site_id}/00000000-0000-4000-8000-000000000000")
    assert "Cannot import non-existent remote object" in output
    output = tf.fail("import", ADDRESS, "only-one-part")
    assert "Expected import ID in format '<static_site_id>/<env_var_id>', got: only-one-part" in output
    tf.write(SITE)
    tf.destroy()
    assert_emulator_empty(clean_emulator)
