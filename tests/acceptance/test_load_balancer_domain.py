"""sevalla_load_balancer_domain with real Terraform against the emulator."""

from __future__ import annotations

from pathlib import Path

from emulator.process import EmulatorProcess
from tests.acceptance.conftest import assert_emulator_empty
from tests.acceptance.lifecycle import api, check_lifecycle
from tests.acceptance.terraform import Terraform
from tests.acceptance.test_load_balancer import MISSING, lb_hcl

ADDRESS = "sevalla_load_balancer_domain.www"
LB = lb_hcl("acc-domain-lb")
CERT = "-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----"
KEY = "-----BEGIN PRIVATE KEY-----\\nMIIE\\n-----END PRIVATE KEY-----"


def domain_hcl(name: str = "lb.example.com", extra: str = "") -> str:
    return (
        LB
        + f"""
resource "sevalla_load_balancer_domain" "www" {{
  load_balancer_id = sevalla_load_balancer.lb.id
  name             = "{name}"
  {extra}
}}
"""
    )


def test_load_balancer_domain_lifecycle(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    def created(values: dict) -> None:
        assert values["name"] == "lb.example.com" and values["is_wildcard"] is False
        assert values["type"] == "CUSTOM" and values["status"] == "ACTIVE"
        assert values["custom_ssl_cert"] is None

    def updated(values: dict) -> None:
        assert values["custom_ssl_cert"] == CERT.replace("\\n", "\n")
        assert values["custom_ssl_key"] == KEY.replace("\\n", "\n")

    final = check_lifecycle(
        tf,
        ADDRESS,
        create_hcl=domain_hcl(),
        # A certificate is added in place (not a replacement), as in the official provider.
        update_hcl=domain_hcl(extra=f'custom_ssl_cert = "{CERT}"\n  custom_ssl_key = "{KEY}"'),
        import_id=lambda values: f"{values['load_balancer_id']}/{values['id']}",
        ignore_on_import={},
        check_created=created,
        check_updated=updated,
    )
    listed = api(clean_emulator, "GET", f"load-balancers/{final['load_balancer_id']}/domains")
    assert "custom_ssl_key" not in listed[0]  # a bare array, as the official client reads it
    tf.write(domain_hcl("*.example.com"))
    assert "must be replaced" in tf.plan_text()
    tf.apply()
    assert tf.state()[ADDRESS]["is_wildcard"] is True
    assert tf.plan_exit_code() == 0
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_deleted_load_balancer_domain_is_planned_again(
    tf: Terraform, clean_emulator: EmulatorProcess
) -> None:
    tf.write(domain_hcl())
    tf.apply()
    domain = tf.state()[ADDRESS]
    api(clean_emulator, "DELETE", f"load-balancers/{domain['load_balancer_id']}/domains/{domain['id']}")
    assert f"{ADDRESS} will be created" in tf.plan_text()
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_load_balancer_domain_import_errors(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    tf.write(LB)
    tf.apply()
    lb_id = tf.state()["sevalla_load_balancer.lb"]["id"]
    tf.write(domain_hcl())
    output = tf.fail("import", ADDRESS, f"{lb_id}/{MISSING}")
    assert "Cannot import non-existent remote object" in output
    output = tf.fail("import", ADDRESS, f"{lb_id}/")
    assert f"Expected import ID in format '<load_balancer_id>/<domain_id>', got: {lb_id}/" in output
    tf.write(LB)
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_invalid_load_balancer_domain_points_at_the_attribute(tf: Terraform) -> None:
    tf.write(
        'resource "sevalla_load_balancer_domain" "www" {\n'
        f'  load_balancer_id = "{MISSING}"\n'
        '  name             = "LB.Example.com"\n}\n'
    )
    output = tf.fail("plan", "-input=false")
    assert 'Invalid name: must be lower case (the API stores "lb.example.com")' in output


def test_certificate_and_key_never_reach_the_logs(
    tf: Terraform, clean_emulator: EmulatorProcess, tmp_path: Path
) -> None:
    cert, key = "lb-cert-body-4c1d9e", "lb-key-body-8b3f2a"
    log = tmp_path / "terraform.log"
    tf.env.update({"TF_LOG": "TRACE", "TF_LOG_PATH": str(log)})
    tf.write(domain_hcl(extra=f'custom_ssl_cert = "{cert}"\n  custom_ssl_key = "{key}"'))
    tf.apply()
    assert tf.state()[ADDRESS]["custom_ssl_key"] == key
    tf.destroy()
    text = log.read_text()
    assert "POST load-balancers/" in text, "the client's DEBUG request lines are missing"
    assert cert not in text and key not in text
    assert_emulator_empty(clean_emulator)
