"""sevalla_pipeline (resource and data source) with real Terraform against the emulator."""

from __future__ import annotations

from emulator.process import EmulatorProcess
from tests.acceptance.conftest import assert_emulator_empty
from tests.acceptance.lifecycle import api, check_lifecycle
from tests.acceptance.terraform import Terraform

ADDRESS = "sevalla_pipeline.pipe"
MISSING = "00000000-0000-4000-8000-000000000000"


def pipeline_hcl(display_name: str, pipeline_type: str = "trunk", extra: str = "") -> str:
    """A pipeline `sevalla_pipeline.pipe`, also the parent of the stage tests."""
    return f"""
resource "sevalla_pipeline" "pipe" {{
  display_name = "{display_name}"
  type         = "{pipeline_type}"
  {extra}
}}
"""


def test_pipeline_lifecycle(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    def created(values: dict) -> None:
        assert values["type"] == "trunk" and values["project_id"] is None and values["company_id"]

    def updated(values: dict) -> None:
        assert (values["display_name"], values["type"]) == ("acc-pipe-renamed", "branch")

    final = check_lifecycle(
        tf,
        ADDRESS,
        create_hcl=pipeline_hcl("acc-pipe"),
        update_hcl=pipeline_hcl("acc-pipe-renamed", "branch"),
        import_id=lambda values: values["id"],
        ignore_on_import={},
        check_created=created,
        check_updated=updated,
    )
    assert api(clean_emulator, "GET", f"pipelines/{final['id']}")["display_name"] == "acc-pipe-renamed"
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_pipeline_drift_deletion_and_import_errors(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    tf.write(pipeline_hcl("acc-pipe-drift"))
    output = tf.fail("import", ADDRESS, MISSING)
    assert "Cannot import non-existent remote object" in output
    tf.apply()
    pipe_id = tf.state()[ADDRESS]["id"]
    api(clean_emulator, "PATCH", f"pipelines/{pipe_id}", {"type": "branch"})
    plan = tf.plan_text()
    assert "will be updated in-place" in plan and '"branch" -> "trunk"' in plan, plan
    tf.apply()
    assert api(clean_emulator, "GET", f"pipelines/{pipe_id}")["type"] == "trunk"
    api(clean_emulator, "DELETE", f"pipelines/{pipe_id}")
    assert f"{ADDRESS} will be created" in tf.plan_text()
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_invalid_pipeline_points_at_the_attribute(tf: Terraform) -> None:
    tf.write(pipeline_hcl("acc-pipe", "gitflow"))
    output = tf.fail("plan", "-input=false")
    assert 'Invalid type: must be one of trunk, branch; got "gitflow"' in output


def test_pipeline_data_source(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    tf.write(
        pipeline_hcl("acc-pipe-ds")
        + """
data "sevalla_pipeline" "one" {
  id = sevalla_pipeline.pipe.id
}

output "one" {
  value = data.sevalla_pipeline.one
}
"""
    )
    tf.apply()
    assert tf.outputs()["one"] == tf.state()[ADDRESS]
    tf.destroy()
    assert_emulator_empty(clean_emulator)
    tf.write(f'data "sevalla_pipeline" "x" {{\n  id = "{MISSING}"\n}}\n')
    output = tf.fail("plan", "-input=false")
    assert "Pipeline not found" in output and MISSING in output
