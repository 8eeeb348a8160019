"""sevalla_global_environment_variable with real Terraform against the emulator."""

from __future__ import annotations

from emulator.process import EmulatorProcess
from tests.acceptance.conftest import assert_emulator_empty
from tests.acceptance.lifecycle import check_import_of_missing_fails, check_lifecycle
from tests.acceptance.terraform import Terraform


def global_hcl(value: str, extra: str = "") -> str:
    return f"""
resource "sevalla_global_environment_variable" "var" {{
  key   = "ACC_GLOBAL"
  value = "{value}"
  {extra}
}}
"""


def test_global_environment_variable_lifecycle(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    def created(values: dict) -> None:
        assert values["value"] == "one" and values["is_runtime"] is True and values["is_buildtime"] is True

    def updated(values: dict) -> None:
        assert values["value"] == "two" and values["is_runtime"] is False

    check_lifecycle(
        tf,
        "sevalla_global_environment_variable.var",
        create_hcl=global_hcl("one"),
        update_hcl=global_hcl("two", "is_runtime = false"),
        import_id=lambda values: values["id"],
        ignore_on_import={},
        check_created=created,
        check_updated=updated,
    )
    assert "two" not in tf.plan_text()
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_import_of_unknown_global_variable_fails(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    check_import_of_missing_fails(
        tf,
        clean_emulator,
        "",
        global_hcl("x"),
        "sevalla_global_environment_variable.var",
        "00000000-0000-4000-8000-000000000000",
    )
