"""sevalla_docker_registry (resource and data source) with real Terraform against the emulator."""

from __future__ import annotations

from emulator.process import EmulatorProcess
from tests.acceptance.conftest import assert_emulator_empty
from tests.acceptance.lifecycle import api, check_lifecycle
from tests.acceptance.terraform import Terraform
from tests.acceptance.test_static_site import check_drift

ADDRESS = "sevalla_docker_registry.registry"
MISSING = "00000000-0000-4000-8000-000000000000"


def registry_hcl(name: str, username: str = "acc-robot", secret: str = "acc-token-1", extra: str = "") -> str:
    return f"""
resource "sevalla_docker_registry" "registry" {{
  name     = "{name}"
  username = "{username}"
  secret   = "{secret}"
  {extra}
}}
"""


def test_docker_registry_lifecycle(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    def created(values: dict) -> None:
        assert (values["registry"], values["username"], values["secret"]) == (
            "github",
            "acc-robot",
            "acc-token-1",
        )
        assert values["company_id"] and values["created_at"]
        assert "secret" not in api(clean_emulator, "GET", f"docker-registries/{values['id']}")

    def updated(values: dict) -> None:
        assert (values["name"], values["username"], values["secret"]) == (
            "acc-ghcr-2",
            "acc-bot",
            "acc-token-2",
        )
        remote = api(clean_emulator, "GET", f"docker-registries/{values['id']}")
        assert (remote["name"], remote["username"]) == ("acc-ghcr-2", "acc-bot")

    check_lifecycle(
        tf,
        ADDRESS,
        create_hcl=registry_hcl("acc-ghcr", extra='registry = "github"'),
        update_hcl=registry_hcl("acc-ghcr-2", "acc-bot", "acc-token-2", 'registry = "github"'),
        import_id=lambda values: values["id"],
        ignore_on_import={"secret": "never returned by the API (set from the configuration)"},
        check_created=created,
        check_updated=updated,
    )
    # The secret alone changes in place too.
    tf.write(registry_hcl("acc-ghcr-2", "acc-bot", "acc-token-3", 'registry = "github"'))
    plan = tf.plan_text()
    assert "will be updated in-place" in plan and "must be replaced" not in plan, plan
    tf.apply()
    assert tf.state()[ADDRESS]["secret"] == "acc-token-3"
    assert tf.plan_exit_code() == 0
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_docker_registry_default_registry_and_drift(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    tf.write(registry_hcl("acc-hub"))
    tf.apply()
    assert tf.state()[ADDRESS]["registry"] == "dockerHub"
    assert tf.plan_exit_code() == 0
    check_drift(tf, clean_emulator, ADDRESS, "docker-registries", {"name": "renamed-behind-our-back"})


def test_import_of_unknown_docker_registry_fails(tf: Terraform) -> None:
    tf.write(registry_hcl("acc-missing"))
    output = tf.fail("import", ADDRESS, MISSING)
    assert "Cannot import non-existent remote object" in output


def test_invalid_docker_registry_points_at_the_attribute(tf: Terraform) -> None:
    tf.write(registry_hcl("acc-bad", secret=""))
    output = tf.fail("plan", "-input=false")
    assert "Invalid secret: must be 1 to 4096 characters long" in output, output


def test_unknown_registry_type_shows_the_api_field_message(
    tf: Terraform, clean_emulator: EmulatorProcess
) -> None:
    tf.write(registry_hcl("acc-quay", extra='registry = "quay"'))
    output = tf.fail("apply", "-auto-approve", "-input=false")
    assert "Unable to create docker registry" in output and "registry" in output, output
    assert "must be one of: gcr, ecr, dockerHub" in output, output
    assert_emulator_empty(clean_emulator)


def test_docker_registry_data_source(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    tf.write(
        registry_hcl("acc-ds-registry", extra='registry = "gitlab"')
        + """
data "sevalla_docker_registry" "by_id" {
  id = sevalla_docker_registry.registry.id
}

output "looked_up" {
  value     = data.sevalla_docker_registry.by_id
  sensitive = true
}
"""
    )
    tf.apply()
    registry = tf.state()[ADDRESS]
    written_only = {"secret_wo", "secret_wo_version"}  # inputs of the write-only secret: not mirrored
    assert tf.outputs()["looked_up"] == {
        **{k: v for k, v in registry.items() if k not in written_only},
        "secret": None,
    }
    assert tf.plan_exit_code() == 0
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_docker_registry_data_source_unknown_id(tf: Terraform) -> None:
    tf.write(f'data "sevalla_docker_registry" "x" {{\n  id = "{MISSING}"\n}}\n')
    output = tf.fail("plan", "-input=false")
    assert "Docker registry not found" in output
