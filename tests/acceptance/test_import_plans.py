"""Import -> an empty plan, for every type that supports import.

Each type's registry example (`examples/resources/<type>/resource.tf`) is applied; the object its
`import.sh` names is removed from the state and imported again by its import id; the very next
`terraform plan -detailed-exitcode` must exit 0 (no apply in between: an import that leaves a
diff, e.g. `+ cluster_id`, would make the user's first plan after an import show changes).

Attributes the API never returns (write-once inputs, secrets, `timeouts`) cannot be known by an
import: Terraform plans `null -> configured value` for them, an in-place update, whatever the
provider does (a plan may not differ from the configuration for a non-computed attribute). For
those types the test pins exactly that diff (no replacement, nothing else) and that the apply
adopts it, after which the plan is empty."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from emulator.process import EmulatorProcess
from tests.acceptance.conftest import assert_emulator_empty
from tests.acceptance.terraform import Terraform

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "resources"
IMPORTABLE = sorted(path.parent.name for path in EXAMPLES.glob("*/import.sh"))


# type -> the attributes its first plan after an import sets (from null to the configuration's
# value) because the API never returns them; every other type plans clean at once.
NOT_RETURNED = {
    "sevalla_application": {"cluster_id"},  # TF: "cluster_id is not returned by the API on import"
    "sevalla_database": {"db_password", "timeouts"},  # never returned; timeouts: configuration only
    "sevalla_docker_registry": {"secret", "updated_at"},  # never returned; sent again by the PATCH
    "sevalla_object_storage": {"public_access"},  # not in the GET answer (reference §7.4)
    "sevalla_pipeline_stage": {"insert_before"},  # a create-time position, not returned
}


def planned_changes(tf: Terraform, address: str) -> tuple[list[str], set[str]]:
    """(actions, attributes whose planned value differs from the state) of `address`."""
    tf.run("plan", "-input=false", "-no-color", "-out=after-import.plan", expect=(0,))
    shown = json.loads(tf.run("show", "-json", "-no-color", "after-import.plan").stdout)
    for change in shown.get("resource_changes", []):
        if change["address"] == address:
            before, after = change["change"]["before"] or {}, change["change"]["after"] or {}
            unknown = change["change"].get("after_unknown") or {}
            differ = {name for name in set(before) | set(after) if before.get(name) != after.get(name)}
            return change["change"]["actions"], differ | {name for name, yes in unknown.items() if yes}
    return ["no-op"], set()


def import_command(example: str) -> tuple[str, str]:
    """(address, import id format) from the example's import.sh."""
    text = (EXAMPLES / example / "import.sh").read_text()
    found = re.search(r"^terraform import (\S+) (\S+)$", text, re.MULTILINE)
    assert found, f"no terraform import line in {example}/import.sh"
    return found.group(1), found.group(2)


def import_id(template: str, values: dict[str, object]) -> str:
    """The import id: `<label>` is the state's attribute of that name (a parent's id), else the
    object's own id."""

    def value(match: re.Match[str]) -> str:
        label = match.group(1)
        return str(values[label] if label in values else values["id"])

    return re.sub(r"<([a-z_]+)>", value, template)


def test_every_importable_type_is_covered() -> None:
    from resources import RESOURCES

    names = {r._registered_name for r in RESOURCES}  # type: ignore[attr-defined]
    assert set(IMPORTABLE) == names - {"sevalla_application_deployment"}


@pytest.mark.parametrize("example", IMPORTABLE)
def test_plan_after_import_is_empty(example: str, tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    shutil.copytree(EXAMPLES / example, tf.workdir)
    (tf.workdir / "import.sh").unlink()
    tf.write("", name="terraform.tf")  # just the terraform { required_providers } block
    tf.apply()
    address, template = import_command(example)
    created = tf.state()[address]
    tf.state_rm(address)
    tf.import_(address, import_id(template, created))
    if example in NOT_RETURNED:
        actions, changed = planned_changes(tf, address)
        assert (actions, changed) == (["update"], NOT_RETURNED[example]), tf.plan_text()
        tf.apply()
        assert tf.state()[address].get("id") == created.get("id"), "apply after import replaced it"
    assert tf.plan_exit_code() == 0, "plan after import is not empty:\n" + tf.plan_text()
    tf.destroy()
    assert_emulator_empty(clean_emulator)
