"""sevalla_webhook (resource and data source) with real Terraform against the emulator; and
the secrets of webhooks and Docker registries never reach a TRACE log."""

from __future__ import annotations

from pathlib import Path

from emulator.process import EmulatorProcess
from tests.acceptance.conftest import assert_emulator_empty
from tests.acceptance.lifecycle import api, check_lifecycle
from tests.acceptance.terraform import Terraform
from tests.acceptance.test_static_site import check_drift

ADDRESS = "sevalla_webhook.hook"
MISSING = "00000000-0000-4000-8000-000000000000"


def webhook_hcl(
    events: str = '["APP_DEPLOY"]', extra: str = "", endpoint: str = "https://hooks.example.com/a"
) -> str:
    return f"""
resource "sevalla_webhook" "hook" {{
  endpoint       = "{endpoint}"
  allowed_events = {events}
  {extra}
}}
"""


def test_webhook_lifecycle(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    def created(values: dict) -> None:
        assert values["allowed_events"] == ["APP_DEPLOY"] and values["description"] == "deploys"
        assert values["is_enabled"] is True and values["secret"].startswith("whsec_")
        assert values["old_secret"] is None and values["updated_by"] is None
        assert values["created_by"] and values["company_id"]

    def updated(values: dict) -> None:
        assert values["allowed_events"] == ["APP_CREATE", "STATIC_SITE_DEPLOY"]
        assert values["description"] is None and values["endpoint"] == "https://hooks.example.com/b"
        assert values["updated_by"]
        remote = api(clean_emulator, "GET", f"webhooks/{values['id']}")
        assert remote["description"] is None and remote["secret"] == values["secret"]

    check_lifecycle(
        tf,
        ADDRESS,
        create_hcl=webhook_hcl(extra='description = "deploys"'),
        update_hcl=webhook_hcl(
            '["APP_CREATE", "STATIC_SITE_DEPLOY"]', endpoint="https://hooks.example.com/b"
        ),
        import_id=lambda values: values["id"],
        ignore_on_import={},
        check_created=created,
        check_updated=updated,
    )
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_webhook_drift_and_rolled_secret(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    tf.write(webhook_hcl())
    tf.apply()
    hook = tf.state()[ADDRESS]
    # A secret rolled elsewhere is read back (computed: no change to plan).
    rolled = api(clean_emulator, "POST", f"webhooks/{hook['id']}/roll-secret", {"expire_in_hours": 1})
    assert tf.plan_exit_code() == 0
    tf.apply()
    refreshed = tf.state()[ADDRESS]
    assert (refreshed["secret"], refreshed["old_secret"]) == (rolled["secret"], hook["secret"])
    check_drift(tf, clean_emulator, ADDRESS, "webhooks", {"endpoint": "https://elsewhere.example.com/x"})


def test_import_of_unknown_webhook_fails(tf: Terraform) -> None:
    tf.write(webhook_hcl())
    output = tf.fail("import", ADDRESS, MISSING)
    assert "Cannot import non-existent remote object" in output


def test_invalid_webhook_events_point_at_the_attribute(tf: Terraform) -> None:
    tf.write(webhook_hcl('["APP_DEPLOY", "APP EXPLODE"]', endpoint="ftp://example.com"))
    output = tf.fail("plan", "-input=false")
    assert 'Invalid endpoint: must be an http:// or https:// URL; got "ftp://example.com"' in output, output
    assert "allowed_events[1]: must be an event name such as APP_DEPLOY" in output, output
    assert 'got "APP EXPLODE"' in output, output


def test_private_endpoint_shows_the_api_field_message(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    tf.write(webhook_hcl(endpoint="https://localhost/hook"))
    output = tf.fail("apply", "-auto-approve", "-input=false")
    assert "Unable to create webhook" in output and "The provided endpoint is not allowed" in output, output
    assert_emulator_empty(clean_emulator)


def test_webhook_data_source(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    tf.write(
        webhook_hcl(extra='description = "ds"')
        + """
data "sevalla_webhook" "by_id" {
  id = sevalla_webhook.hook.id
}

output "looked_up" {
  value     = data.sevalla_webhook.by_id
  sensitive = true
}
"""
    )
    tf.apply()
    assert tf.outputs()["looked_up"] == tf.state()[ADDRESS]
    assert tf.plan_exit_code() == 0
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_webhook_data_source_unknown_id(tf: Terraform) -> None:
    tf.write(f'data "sevalla_webhook" "x" {{\n  id = "{MISSING}"\n}}\n')
    output = tf.fail("plan", "-input=false")
    assert "Webhook not found" in output


def test_trace_logs_carry_no_registry_or_webhook_secret(
    tf: Terraform, clean_emulator: EmulatorProcess, tmp_path: Path
) -> None:
    log = tmp_path / "terraform.log"
    tf.env.update({"TF_LOG": "TRACE", "TF_LOG_PATH": str(log)})
    username, secret = "acc-user-7c41e9", "acc-registry-secret-5b1d"
    tf.write(
        webhook_hcl()
        + f"""
resource "sevalla_docker_registry" "registry" {{
  name     = "acc-logs"
  username = "{username}"
  secret   = "{secret}"
}}
"""
    )
    tf.apply()
    webhook_secret = tf.state()[ADDRESS]["secret"]
    tf.write(
        webhook_hcl().replace('a"', 'b"')
        + f"""
resource "sevalla_docker_registry" "registry" {{
  name     = "acc-logs"
  username = "{username}"
  secret   = "{secret}-2"
}}
"""
    )
    tf.apply()
    tf.destroy()
    text = log.read_text()
    assert "POST docker-registries" in text and "POST webhooks" in text, "the request lines are missing"
    assert "PATCH docker-registries/" in text and "PATCH webhooks/" in text
    for value in (username, secret, webhook_secret):
        assert value not in text, value
    assert_emulator_empty(clean_emulator)
