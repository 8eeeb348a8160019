"""Migrating from the official provider, as docs/index.md tells it: a state the official provider
would have written (its address, schema version 0, no attribute it lacks), `terraform state
replace-provider`, `terraform init` (no access to the official provider needed), and the plan
shows no changes. Also: the official README's `version = "~> 1.0"` matches none of our versions,
the documented `"~> 0.1"` does.

The state is this provider's own, rewritten; a state written by the official binary itself is
not available here."""

from __future__ import annotations

import json
import shutil

from emulator.process import EmulatorProcess
from tests.acceptance.conftest import assert_emulator_empty
from tests.acceptance.terraform import Terraform

OFFICIAL = "registry.terraform.io/sevalla-hosting/sevalla"
OURS = "terraform.local/sevalla/sevalla"
# Only what the official provider accepts: no `timeouts`.
CONFIGURATION = """
data "sevalla_clusters" "all" {}
data "sevalla_database_resource_types" "all" {}

resource "sevalla_project" "shop" {
  display_name = "shop"
}

resource "sevalla_application" "web" {
  display_name = "shop-web"
  cluster_id   = data.sevalla_clusters.all.clusters[0].id
  source       = "dockerImage"
  docker_image = "nginx:latest"
}

resource "sevalla_application_environment_variable" "mode" {
  application_id = sevalla_application.web.id
  key            = "MODE"
  value          = "production"
}

resource "sevalla_database" "main" {
  display_name     = "shop-db"
  type             = "postgresql"
  version          = "16"
  cluster_id       = data.sevalla_clusters.all.clusters[0].id
  resource_type_id = data.sevalla_database_resource_types.all.database_resource_types[0].id
  db_name          = "shop"
  db_password      = "change-me-please"
}
"""


def terraform_block(version: str) -> str:
    return (
        "terraform {\n  required_providers {\n    sevalla = {\n"
        f'      source  = "{OURS}"\n      version = "{version}"\n    }}\n  }}\n}}\n'
    )


def as_the_official_provider_wrote_it(tf: Terraform) -> None:
    path = tf.workdir / "terraform.tfstate"
    state = json.loads(path.read_text())
    for resource in state["resources"]:
        resource["provider"] = f'provider["{OFFICIAL}"]'
        for instance in resource["instances"]:
            instance["schema_version"] = 0  # terraform-plugin-framework's default
            instance["attributes"].pop("timeouts", None)
    path.write_text(json.dumps(state))
    shutil.rmtree(tf.workdir / ".terraform")
    (tf.workdir / ".terraform.lock.hcl").unlink()


def test_a_state_of_the_official_provider_migrates_without_changes(
    tf: Terraform, clean_emulator: EmulatorProcess
) -> None:
    tf.workdir.mkdir(parents=True)
    (tf.workdir / "main.tf").write_text(terraform_block("~> 0.1") + CONFIGURATION)
    tf.apply()
    as_the_official_provider_wrote_it(tf)

    # The official README's constraint: no release of this provider matches it.
    (tf.workdir / "main.tf").write_text(terraform_block("~> 1.0") + CONFIGURATION)
    failed = tf.run("init", "-input=false", "-no-color", expect=(1,))
    assert "no available releases match" in failed.stdout + failed.stderr
    (tf.workdir / "main.tf").write_text(terraform_block("~> 0.1") + CONFIGURATION)

    # The documented steps: replace-provider first (then init needs only this provider); the
    # state holds 6 objects of the provider: 4 resources, 2 data sources.
    moved = tf.run("state", "replace-provider", "-auto-approve", "-no-color", OFFICIAL, OURS)
    assert "Successfully replaced provider for 6 resources" in moved.stdout, moved.stdout
    tf.init()
    assert tf.plan_exit_code() == 0, tf.plan_text()
    tf.destroy()
    assert_emulator_empty(clean_emulator)
