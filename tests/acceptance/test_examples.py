"""Every example configuration is applied against the emulator, so none of them rots.

Registry-layout examples (`examples/resources/<type>/resource.tf`,
`examples/data-sources/<type>/data-source.tf`) carry no terraform block; the test adds one
pointing at the locally installed provider."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from emulator.process import EmulatorProcess
from tests.acceptance.conftest import assert_emulator_empty
from tests.acceptance.terraform import Terraform

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
REGISTRY_EXAMPLES = sorted(
    str(path.relative_to(EXAMPLES))
    for kind in ("resources", "data-sources")
    for path in (EXAMPLES / kind).iterdir()
    if path.is_dir()
)


def apply_plan_destroy(tf: Terraform, emulator: EmulatorProcess) -> None:
    tf.apply()
    assert tf.plan_exit_code() == 0, tf.plan_text()
    tf.destroy()
    assert_emulator_empty(emulator)


def test_quickstart_applies_plans_clean_and_destroys(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    shutil.copytree(EXAMPLES / "quickstart", tf.workdir)
    tf.apply()
    assert tf.plan_exit_code() == 0
    assert tf.outputs()["database"]["status"] == "ready"
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_every_type_has_an_example() -> None:
    from data_sources import DATA_SOURCES
    from resources import RESOURCES

    resources = {f"resources/{r._registered_name}" for r in RESOURCES}  # type: ignore[attr-defined]
    data_sources = {f"data-sources/{d._registered_name}" for d in DATA_SOURCES}  # type: ignore[attr-defined]
    assert set(REGISTRY_EXAMPLES) == resources | data_sources
    for example in REGISTRY_EXAMPLES:
        has_import = (EXAMPLES / example / "import.sh").exists()
        assert has_import == (example.startswith("resources/") and not example.endswith("_deployment")), (
            example
        )


@pytest.mark.parametrize("example", REGISTRY_EXAMPLES)
def test_registry_example_applies_plans_clean_and_destroys(
    example: str, tf: Terraform, clean_emulator: EmulatorProcess
) -> None:
    shutil.copytree(EXAMPLES / example, tf.workdir)
    tf.write("", name="terraform.tf")  # just the terraform { required_providers } block
    apply_plan_destroy(tf, clean_emulator)
