"""sevalla_pipeline_stage and sevalla_pipeline_stage_application with real Terraform."""

from __future__ import annotations

from emulator.process import EmulatorProcess
from tests.acceptance.conftest import assert_emulator_empty
from tests.acceptance.lifecycle import api, application_hcl, check_lifecycle
from tests.acceptance.terraform import Terraform
from tests.acceptance.test_pipeline import MISSING, pipeline_hcl

STAGE = "sevalla_pipeline_stage.stage"
MEMBER = "sevalla_pipeline_stage_application.member"
PIPE = pipeline_hcl("acc-stage-pipe")


def stage_hcl(name: str = "Staging", insert_before: int = 0, extra: str = "") -> str:
    return (
        PIPE
        + f"""
resource "sevalla_pipeline_stage" "stage" {{
  pipeline_id   = sevalla_pipeline.pipe.id
  name          = "{name}"
  insert_before = {insert_before}
  {extra}
}}
"""
    )


def member_hcl() -> str:
    return (
        application_hcl("acc-stage-app")
        + stage_hcl()
        + """
resource "sevalla_pipeline_stage_application" "member" {
  pipeline_id    = sevalla_pipeline.pipe.id
  stage_id       = sevalla_pipeline_stage.stage.id
  application_id = sevalla_application.app.id
}
"""
    )


def test_pipeline_stage_lifecycle(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    def created(values: dict) -> None:
        assert (values["name"], values["branch"], values["order"], values["type"]) == (
            "Staging", "main", 0, "standard",
        )  # fmt: skip
        assert values["auto_create_app"] is False and values["stale_app_days"] == 0

    final = check_lifecycle(
        tf,
        STAGE,
        create_hcl=stage_hcl(extra='branch = "main"'),
        update_hcl=None,  # the API cannot change a stage: every argument replaces it
        import_id=lambda values: f"{values['pipeline_id']}/{values['id']}",
        ignore_on_import={
            "insert_before": "a creation input the API never returns (adopted from the configuration)"
        },
        check_created=created,
    )
    pipeline = api(clean_emulator, "GET", f"pipelines/{final['pipeline_id']}")
    assert [stage["id"] for stage in pipeline["stages"]] == [final["id"]]
    tf.write(stage_hcl(extra='branch = "main"', insert_before=1))
    assert "must be replaced" in tf.plan_text()
    tf.write(stage_hcl("Production", extra='branch = "main"'))
    assert "must be replaced" in tf.plan_text()
    tf.apply()
    replaced = tf.state()[STAGE]
    assert replaced["id"] != final["id"] and replaced["name"] == "Production"
    assert tf.plan_exit_code() == 0
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_second_stage_moves_the_first(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    hcl = stage_hcl() + (
        '\nresource "sevalla_pipeline_stage" "first" {\n'
        "  pipeline_id   = sevalla_pipeline.pipe.id\n"
        '  name          = "Development"\n'
        "  insert_before = 0\n"
        "  depends_on    = [sevalla_pipeline_stage.stage]\n}\n"
    )
    tf.write(hcl)
    tf.apply()
    tf.apply()  # refresh: the first stage's order is now 1
    state = tf.state()
    assert (state["sevalla_pipeline_stage.first"]["order"], state[STAGE]["order"]) == (0, 1)
    assert tf.plan_exit_code() == 0
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_deleted_stage_is_planned_again_and_import_errors(
    tf: Terraform, clean_emulator: EmulatorProcess
) -> None:
    tf.write(stage_hcl())
    tf.apply()
    stage = tf.state()[STAGE]
    api(clean_emulator, "DELETE", f"pipelines/{stage['pipeline_id']}/stages/{stage['id']}")
    assert f"{STAGE} will be created" in tf.plan_text()
    tf.state_rm(STAGE)
    output = tf.fail("import", STAGE, f"{stage['pipeline_id']}/{MISSING}")
    assert "Cannot import non-existent remote object" in output
    output = tf.fail("import", STAGE, stage["pipeline_id"])
    assert f"Expected import ID in format '<pipeline_id>/<stage_id>', got: {stage['pipeline_id']}" in output
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_invalid_stage_points_at_the_attribute(tf: Terraform) -> None:
    tf.write(
        'resource "sevalla_pipeline_stage" "stage" {\n'
        f'  pipeline_id   = "{MISSING}"\n'
        '  name          = "QA"\n'
        "  insert_before = -1\n}\n"
    )
    output = tf.fail("plan", "-input=false")
    assert "Invalid insert_before: must be at least 0; got -1" in output


def test_stage_application_lifecycle(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    def created(values: dict) -> None:
        state = tf.state()
        assert values["stage_id"] == state[STAGE]["id"]
        assert values["application_id"] == state["sevalla_application.app"]["id"]

    final = check_lifecycle(
        tf,
        MEMBER,
        create_hcl=member_hcl(),
        update_hcl=None,  # every argument replaces
        import_id=lambda values: f"{values['pipeline_id']}/{values['stage_id']}/{values['application_id']}",
        ignore_on_import={},
        check_created=created,
    )
    pipeline = api(clean_emulator, "GET", f"pipelines/{final['pipeline_id']}")
    assert [app["id"] for app in pipeline["stages"][0]["apps"]] == [final["application_id"]]

    # Removed behind Terraform's back: planned again.
    api(
        clean_emulator,
        "DELETE",
        f"pipelines/{final['pipeline_id']}/stages/{final['stage_id']}/apps/{final['application_id']}",
    )
    assert f"{MEMBER} will be created" in tf.plan_text()
    tf.apply()
    assert tf.plan_exit_code() == 0

    tf.state_rm(MEMBER)
    wrong = f"{final['pipeline_id']}/{final['stage_id']}/{MISSING}"
    assert "Cannot import non-existent remote object" in tf.fail("import", MEMBER, wrong)
    short = f"{final['pipeline_id']}/{final['stage_id']}"
    output = tf.fail("import", MEMBER, short)
    assert f"Expected import ID in format '<pipeline_id>/<stage_id>/<application_id>', got: {short}" in output
    tf.import_(MEMBER, f"{final['pipeline_id']}/{final['stage_id']}/{final['application_id']}")
    tf.destroy()
    assert_emulator_empty(clean_emulator)
