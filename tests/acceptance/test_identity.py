"""Resource identity (Terraform >= 1.12), with Terraform 1.15.5 against the emulator: every
importable type declares an identity mirroring its import id, Terraform keeps it in state, and
`import { identity = { ... } }` adopts an object."""

from __future__ import annotations

import json
from typing import Any

from emulator.process import EmulatorProcess
from tests.acceptance.conftest import assert_emulator_empty
from tests.acceptance.lifecycle import application_hcl
from tests.acceptance.terraform import Terraform

DOMAIN = """
resource "sevalla_application_domain" "www" {
  application_id = sevalla_application.app.id
  name           = "www.example.com"
}
"""


def identities(tf: Terraform) -> dict[str, dict[str, Any]]:
    """Identity of each resource instance in `terraform show -json`."""
    shown = tf.show_json()
    found = {}
    for resource in shown.get("values", {}).get("root_module", {}).get("resources", []):
        if resource.get("mode") == "managed":
            found[resource["address"]] = resource.get("identity")
    return found


def test_identity_is_kept_and_imports_by_identity(
    tf_modern: Terraform, clean_emulator: EmulatorProcess
) -> None:
    tf = tf_modern
    tf.write(application_hcl("acc-identity") + DOMAIN)
    tf.apply()
    state = tf.state()
    app, domain = state["sevalla_application.app"], state["sevalla_application_domain.www"]
    kept = identities(tf)
    assert kept["sevalla_application.app"] == {"id": app["id"]}
    assert kept["sevalla_application_domain.www"] == {"application_id": app["id"], "id": domain["id"]}

    # Forgotten, then adopted again by identity alone.
    tf.state_rm("sevalla_application_domain.www")
    tf.write(
        application_hcl("acc-identity")
        + DOMAIN
        + f"""
import {{
  to       = sevalla_application_domain.www
  identity = {{
    application_id = "{app["id"]}"
    id             = "{domain["id"]}"
  }}
}}
"""
    )
    plan = tf.plan_text()
    assert "1 to import, 0 to add, 0 to change, 0 to destroy" in plan, plan
    tf.apply()
    assert tf.state()["sevalla_application_domain.www"]["id"] == domain["id"]
    assert identities(tf)["sevalla_application_domain.www"]["id"] == domain["id"]
    assert tf.plan_exit_code() == 0, tf.plan_text()
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_a_state_without_identity_upgrades_without_a_diff(
    tf_modern: Terraform, clean_emulator: EmulatorProcess
) -> None:
    """A state written before identity (by Terraform < 1.12, or an earlier provider): no change
    planned, and the next refresh adds the identity."""
    tf = tf_modern
    tf.write(application_hcl("acc-identity-old") + DOMAIN)
    tf.apply()
    state_file = tf.workdir / "terraform.tfstate"
    state = json.loads(state_file.read_text())
    for resource in state["resources"]:
        for instance in resource["instances"]:
            instance.pop("identity", None)
            instance.pop("identity_schema_version", None)
    state["serial"] += 1
    state_file.write_text(json.dumps(state))
    assert all(value is None for value in identities(tf).values())
    assert tf.plan_exit_code() == 0, tf.plan_text()
    tf.apply()  # no changes; the refresh is saved
    assert identities(tf)["sevalla_application_domain.www"]["application_id"]
    tf.destroy()
    assert_emulator_empty(clean_emulator)
