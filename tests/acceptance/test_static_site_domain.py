"""sevalla_static_site_domain with real Terraform against the emulator."""

from __future__ import annotations

from emulator.process import EmulatorProcess
from tests.acceptance.conftest import assert_emulator_empty
from tests.acceptance.lifecycle import api, check_lifecycle
from tests.acceptance.terraform import Terraform
from tests.acceptance.test_static_site import site_hcl

ADDRESS = "sevalla_static_site_domain.www"
SITE = site_hcl("acc-domain-site")
CERT = "-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----"
KEY = "-----BEGIN PRIVATE KEY-----\\nMIIE\\n-----END PRIVATE KEY-----"


def domain_hcl(name: str = "www.example.com", extra: str = "") -> str:
    return (
        SITE
        + f"""
resource "sevalla_static_site_domain" "www" {{
  static_site_id = sevalla_static_site.site.id
  name           = "{name}"
  {extra}
}}
"""
    )


def test_static_site_domain_lifecycle(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    def created(values: dict) -> None:
        assert values["name"] == "www.example.com" and values["is_wildcard"] is False
        assert values["type"] == "CUSTOM" and values["status"] == "ACTIVE" and values["is_enabled"] is True
        assert values["custom_ssl_cert"] == CERT.replace("\\n", "\n")

    check_lifecycle(
        tf,
        ADDRESS,
        create_hcl=domain_hcl(extra=f'custom_ssl_cert = "{CERT}"\n  custom_ssl_key = "{KEY}"'),
        update_hcl=None,  # every argument replaces the domain
        import_id=lambda values: f"{values['static_site_id']}/{values['id']}",
        ignore_on_import={
            "custom_ssl_cert": "never returned by the API (adopted from the configuration)",
            "custom_ssl_key": "never returned by the API (adopted from the configuration)",
        },
        check_created=created,
    )
    tf.write(domain_hcl(extra=f'custom_ssl_cert = "{CERT}x"\n  custom_ssl_key = "{KEY}"'))
    assert "must be replaced" in tf.plan_text()
    tf.write(domain_hcl("*.example.com"))
    assert "must be replaced" in tf.plan_text()
    tf.apply()
    assert tf.state()[ADDRESS]["is_wildcard"] is True
    assert tf.plan_exit_code() == 0
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_deleted_domain_is_planned_again(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    tf.write(domain_hcl())
    tf.apply()
    domain = tf.state()[ADDRESS]
    api(clean_emulator, "DELETE", f"static-sites/{domain['static_site_id']}/domains/{domain['id']}")
    assert f"{ADDRESS} will be created" in tf.plan_text()
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_static_site_domain_import_errors(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    tf.write(SITE)
    tf.apply()
    site_id = tf.state()["sevalla_static_site.site"]["id"]
    tf.write(domain_hcl())
    output = tf.fail("import", ADDRESS, f"{site_id}/00000000-0000-4000-8000-000000000000")
    assert "Cannot import non-existent remote object" in output
    output = tf.fail("import", ADDRESS, site_id)
    assert f"Expected import ID in format '<static_site_id>/<domain_id>', got: {site_id}" in output
    tf.write(SITE)
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_invalid_domain_points_at_the_attribute(tf: Terraform) -> None:
    tf.write(
        'resource "sevalla_static_site_domain" "www" {\n'
        '  static_site_id = "00000000-0000-4000-8000-000000000000"\n'
        '  name           = "WWW.Example.com"\n'
        f'  custom_ssl_cert = "{CERT}"\n}}\n'
    )
    output = tf.fail("plan", "-input=false")
    assert 'Invalid name: must be lower case (the API stores "www.example.com")' in output
    assert "custom_ssl_key: custom_ssl_cert and custom_ssl_key go together" in output
