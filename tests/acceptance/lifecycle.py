"""The acceptance steps every resource goes through."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from emulator.process import EmulatorProcess
from tests.acceptance.terraform import Terraform


def assert_same_attributes(before: dict[str, Any], after: dict[str, Any], ignore: dict[str, str]) -> None:
    """Equal, except the attributes the API cannot return (each with its reason)."""
    different = {
        name: (before.get(name), after.get(name))
        for name in set(before) | set(after)
        if name not in ignore and before.get(name) != after.get(name)
    }
    assert not different, f"imported attributes differ: {different}"


def check_lifecycle(
    tf: Terraform,
    address: str,
    create_hcl: str,
    update_hcl: str | None,
    import_id: Callable[[dict[str, Any]], str],
    ignore_on_import: dict[str, str],
    check_created: Callable[[dict[str, Any]], None] | None = None,
    check_updated: Callable[[dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """apply -> no-change plan -> import and verify -> update in place -> no-change plan.

    The caller destroys and checks the emulator is empty. Returns the final state of `address`.
    """
    tf.write(create_hcl)
    tf.apply()
    created = tf.state()[address]
    if check_created:
        check_created(created)
    assert tf.plan_exit_code() == 0, "plan after create is not empty:\n" + tf.plan_text()

    tf.state_rm(address)
    tf.import_(address, import_id(created))
    imported = tf.state()[address]
    assert_same_attributes(created, imported, ignore_on_import)
    # Ignored attributes come back from the configuration without replacing anything.
    tf.apply()
    if "id" in created:
        assert tf.state()[address]["id"] == created["id"], "apply after import replaced the object"
    assert tf.plan_exit_code() == 0, "plan after import is not empty:\n" + tf.plan_text()

    final = created
    if update_hcl is not None:
        tf.write(update_hcl)
        plan = tf.plan_text()
        assert "must be replaced" not in plan and "to change" in plan, plan
        tf.apply()
        final = tf.state()[address]
        if "id" in created:
            assert final["id"] == created["id"], "update replaced the object"
        if check_updated:
            check_updated(final)
        assert tf.plan_exit_code() == 0, "plan after update is not empty:\n" + tf.plan_text()
    return final


def application_hcl(display_name: str, extra: str = "") -> str:
    """A cluster look-up and an application `sevalla_application.app` for child resources."""
    return f"""
data "sevalla_clusters" "all" {{}}

resource "sevalla_application" "app" {{
  display_name = "{display_name}"
  cluster_id   = data.sevalla_clusters.all.clusters[0].id
  source       = "dockerImage"
  docker_image = "nginx:latest"
  {extra}
}}
"""


def api(emulator: EmulatorProcess, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    """Call the emulator's API behind Terraform's back (drift tests); returns the JSON body."""
    response = httpx.request(
        method,
        f"{emulator.url}/{path}",
        json=body,
        headers={"Authorization": f"Bearer {emulator.api_key}"},
    )
    response.raise_for_status()
    return response.json() if response.content else None


def check_import_of_missing_fails(
    tf: Terraform, emulator: EmulatorProcess, setup_hcl: str, full_hcl: str, address: str, import_id: str
) -> None:
    """Import of an id that does not exist: "Cannot import non-existent remote object".
    `{app}` in `import_id` is replaced with the id of `sevalla_application.app` from `setup_hcl`."""
    tf.write(setup_hcl)
    tf.apply()
    app = tf.state().get("sevalla_application.app", {})
    tf.write(full_hcl)
    output = tf.fail("import", address, import_id.replace("{app}", str(app.get("id"))))
    assert "Cannot import non-existent remote object" in output, output
    tf.write(setup_hcl)
    tf.destroy()
    objects = emulator.objects()
    assert objects["total"] == 0, f"objects left after destroy: {objects}"


def plan_error(tf: Terraform, hcl: str) -> str:
    """Output of a `terraform plan` that must fail validation. The application id is made a
    literal: Terraform skips a resource's validation while any of its values is unknown."""
    tf.write(hcl.replace("sevalla_application.app.id", '"00000000-0000-4000-8000-000000000000"'))
    return tf.fail("plan", "-input=false")
