"""Every example configuration is applied against the emulator, so none of them rots."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from emulator.process import EmulatorProcess
from tests.acceptance.conftest import assert_emulator_empty
from tests.acceptance.terraform import Terraform

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize("name", ["quickstart"])
def test_example_applies_plans_clean_and_destroys(
    name: str, tf: Terraform, clean_emulator: EmulatorProcess
) -> None:
    shutil.copytree(EXAMPLES / name, tf.workdir)
    tf.apply()
    assert tf.plan_exit_code() == 0
    assert tf.outputs()["database"]["status"] == "ready"
    tf.destroy()
    assert_emulator_empty(clean_emulator)
