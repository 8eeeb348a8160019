"""sevalla_application_ip_restriction (no id; keyed by application_id) with real Terraform."""

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

APP = application_hcl("acc-ip-app")


def restriction_hcl(kind: str, ips: str, enabled: str = "true") -> str:
    return (
        APP
        + f"""
resource "sevalla_application_ip_restriction" "this" {{
  application_id = sevalla_application.app.id
  type           = "{kind}"
  is_enabled     = {enabled}
  ip_list        = [{ips}]
}}
"""
    )


def test_ip_restriction_lifecycle(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    def updated(values: dict) -> None:
        assert (values["type"], values["ip_list"]) == ("deny", ["192.0.2.0/24"])

    check_lifecycle(
        tf,
        "sevalla_application_ip_restriction.this",
        create_hcl=restriction_hcl("allow", '"10.0.0.0/8", "203.0.113.7"'),
        update_hcl=restriction_hcl("deny", '"192.0.2.0/24"'),
        import_id=lambda values: values["application_id"],
        ignore_on_import={},
        check_updated=updated,
    )
    app_id = tf.state()["sevalla_application.app"]["id"]
    # Destroying only the restriction puts it back to "disabled, empty list".
    tf.write(APP)
    tf.apply()
    assert api(clean_emulator, "GET", f"applications/{app_id}/ip-restriction") == {
        "type": "allow",
        "is_enabled": False,
        "ip_list": [],
    }
    assert clean_emulator.objects()["application_ip_restrictions"] == 0
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_ip_restriction_drift(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    tf.write(restriction_hcl("allow", '"10.0.0.0/8"'))
    tf.apply()
    app_id = tf.state()["sevalla_application.app"]["id"]
    api(
        clean_emulator,
        "PUT",
        f"applications/{app_id}/ip-restriction",
        {"type": "allow", "is_enabled": False, "ip_list": ["10.0.0.0/8"]},
    )
    assert "will be updated in-place" in tf.plan_text()
    tf.apply()
    assert tf.plan_exit_code() == 0
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_import_of_unset_ip_restriction_fails(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    check_import_of_missing_fails(
        tf,
        clean_emulator,
        APP,
        restriction_hcl("allow", ""),
        "sevalla_application_ip_restriction.this",
        "{app}",
    )


def test_bad_ip_points_at_the_attribute(tf: Terraform) -> None:
    output = plan_error(tf, restriction_hcl("allow", '"10.0.0.300"'))
    assert 'Invalid ip_list: not IP addresses or CIDR ranges: "10.0.0.300"' in output
