"""Onboarding an existing account (Terraform >= 1.14 `terraform query`), with Terraform 1.15.5
against the emulator: objects made straight through the API, then query -> generated
configuration -> a plan that only imports -> apply -> an empty plan, with no hand edits."""

from __future__ import annotations

import re
import shutil

from devtools.onboard import EXAMPLE, GENERATED, seed
from emulator.process import EmulatorProcess
from resources import LIST_RESOURCES
from tests.acceptance.terraform import Terraform

QUERY_FILE = "onboarding.tfquery.hcl"


def test_an_account_made_outside_terraform_comes_under_it(
    tf_modern: Terraform, clean_emulator: EmulatorProcess
) -> None:
    tf = tf_modern
    made = seed(clean_emulator.url, clean_emulator.api_key)
    assert made >= 50
    tf.write("")
    shutil.copy(EXAMPLE / QUERY_FILE, tf.workdir / QUERY_FILE)
    clean_emulator.reset_stats()
    tf.run("query", f"-generate-config-out={GENERATED}", "-no-color")
    calls = clean_emulator.stats()["total"]
    print(f"\nthe query step made {calls} API calls for {made} objects")
    generated = (tf.workdir / GENERATED).read_text()
    imports = generated.count("\nimport {")
    kinds = set(re.findall(r'^resource "(sevalla_[a-z_]+)"', generated, re.MULTILINE))
    assert imports >= made and len(kinds) >= 10, (imports, sorted(kinds))
    # About N/100 list calls plus the objects' full reads: never a call per object per type.
    assert calls <= imports + 2 * len(LIST_RESOURCES), calls

    plan = tf.plan_text()
    assert f"Plan: {imports} to import, 0 to add, 0 to change, 0 to destroy." in plan, plan
    tf.apply()
    assert tf.plan_exit_code() == 0, "plan after the onboarding apply is not empty:\n" + tf.plan_text()
    # The generated configuration stays usable: destroy what it describes.
    tf.destroy()
    assert clean_emulator.objects()["total"] == 0, clean_emulator.objects()


def test_the_example_lists_every_type() -> None:
    text = (EXAMPLE / QUERY_FILE).read_text()
    listed = set(re.findall(r'^list "(sevalla_[a-z_]+)" "all"', text, re.MULTILINE))
    assert listed == {resource._registered_name for resource in LIST_RESOURCES}


def test_a_create_without_what_only_an_existing_object_may_omit_is_refused_at_plan(tf: Terraform) -> None:
    """cluster_id, db_password, a registry's secret, an env var's value ... are optional so that a
    generated configuration (null where the API returns nothing or a secret) is valid; a create
    without them is refused at plan, on the attribute, before anything is made."""
    tf.write(
        """
resource "sevalla_application" "app" {
  display_name = "acc-no-cluster"
  source       = "dockerImage"
  docker_image = "nginx:latest"
}

resource "sevalla_docker_registry" "registry" {
  name     = "acc-no-secret"
  username = "robot"
}
"""
    )
    output = tf.fail("plan", "-input=false", "-no-color")
    assert "Invalid cluster_id: is required to create a sevalla_application" in output, output
    assert "Invalid secret: is required to create a sevalla_docker_registry" in output, output
