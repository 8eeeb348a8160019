"""sevalla_application_domain with real Terraform against the emulator."""

from __future__ import annotations

from emulator.process import EmulatorProcess
from tests.acceptance.conftest import assert_emulator_empty
from tests.acceptance.lifecycle import (
    api,
    application_hcl,
    check_import_of_missing_fails,
    check_lifecycle,
    plan_error,
)
from tests.acceptance.terraform import Terraform

APP = application_hcl("acc-domain-app")
CERT = (
    'custom_ssl_cert = "-----BEGIN CERTIFICATE-----acc"\n  custom_ssl_key = "-----BEGIN KEY-----acc-secret"'
)


def domain_hcl(extra: str = "") -> str:
    return (
        APP
        + f"""
resource "sevalla_application_domain" "domain" {{
  application_id = sevalla_application.app.id
  name           = "app.example.com"
  {extra}
}}
"""
    )


def test_domain_lifecycle(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    def created(values: dict) -> None:
        assert (values["type"], values["status"], values["is_wildcard"]) == ("CUSTOM", "ACTIVE", False)
        assert values["is_enabled"] is True and values["is_primary"] is False

    def updated(values: dict) -> None:
        assert values["custom_ssl_key"] == "-----BEGIN KEY-----acc-secret"

    check_lifecycle(
        tf,
        "sevalla_application_domain.domain",
        create_hcl=domain_hcl(),
        update_hcl=domain_hcl(CERT),
        import_id=lambda values: f"{values['application_id']}/{values['id']}",
        ignore_on_import={},
        check_created=created,
        check_updated=updated,
    )
    plan = tf.plan_text()
    assert "acc-secret" not in plan
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_imported_certificate_is_adopted_from_configuration(
    tf: Terraform, clean_emulator: EmulatorProcess
) -> None:
    tf.write(domain_hcl(CERT))
    tf.apply()
    domain = tf.state()["sevalla_application_domain.domain"]
    tf.state_rm("sevalla_application_domain.domain")
    tf.import_("sevalla_application_domain.domain", f"{domain['application_id']}/{domain['id']}")
    assert tf.state()["sevalla_application_domain.domain"]["custom_ssl_cert"] is None, (
        "the API never returns it"
    )
    plan = tf.plan_text()
    assert "will be updated in-place" in plan and "must be replaced" not in plan, plan
    tf.apply()
    assert tf.plan_exit_code() == 0
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_domain_drift(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    tf.write(domain_hcl())
    tf.apply()
    domain = tf.state()["sevalla_application_domain.domain"]
    path = f"applications/{domain['application_id']}/domains/{domain['id']}"
    # The name is the only thing the API can change, and it forces replacement.
    api(clean_emulator, "PATCH", path, {"name": "other.example.com"})
    plan = tf.plan_text()
    assert "name" in plan and "other.example.com" in plan and "must be replaced" in plan, plan
    api(clean_emulator, "DELETE", path)
    plan = tf.plan_text()
    assert "sevalla_application_domain.domain will be created" in plan, plan
    tf.apply()
    assert tf.state()["sevalla_application_domain.domain"]["id"] != domain["id"]
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_import_of_unknown_domain_fails(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    check_import_of_missing_fails(
        tf,
        clean_emulator,
        APP,
        domain_hcl(),
        "sevalla_application_domain.domain",
        "{app}/00000000-0000-4000-8000-000000000000",
    )


def test_upper_case_domain_points_at_the_name(tf: Terraform) -> None:
    output = plan_error(tf, domain_hcl().replace('"app.example.com"', '"App.Example.com"'))
    assert "Invalid name: must be lower case" in output
