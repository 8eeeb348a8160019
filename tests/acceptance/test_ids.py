"""Ids never change which endpoint is called: bad ones fail on the attribute, before any request.

Before: `terraform import sevalla_webhook.x ../applications` made the provider GET
/v3/applications, then /v3/webhooks/None.
"""

from __future__ import annotations

from emulator.process import EmulatorProcess
from tests.acceptance.terraform import Terraform

WEBHOOK = """
resource "sevalla_webhook" "x" {
  endpoint       = "https://hooks.example.com/sevalla"
  allowed_events = ["APP_DEPLOY"]
}
"""

DOMAIN = """
resource "sevalla_application_domain" "x" {
  application_id = "%s"
  name           = "app.example.com"
}
"""


def requests_seen(emulator: EmulatorProcess) -> dict[str, int]:
    routes: dict[str, int] = emulator.stats()["by_route"]
    return routes


def test_import_of_a_path_like_id_fails_on_the_id_without_a_request(
    tf: Terraform, clean_emulator: EmulatorProcess
) -> None:
    tf.write(WEBHOOK)
    tf.init()
    clean_emulator.reset_stats()
    output = tf.fail("import", "-input=false", "sevalla_webhook.x", "../applications")
    assert "Expected import ID in format '<id>', got: ../applications" in output, output
    assert "'..' is not an id" in output, output
    assert requests_seen(clean_emulator) == {}, "no request may be sent for a bad id"
    # The counter does see an import's request: a well-formed id is looked up (and not found).
    output = tf.fail("import", "-input=false", "sevalla_webhook.x", "no-such-webhook")
    assert "Cannot import non-existent remote object" in output, output
    assert requests_seen(clean_emulator)


def test_import_of_a_child_with_dot_dot_fails_on_the_id_without_a_request(
    tf: Terraform, clean_emulator: EmulatorProcess
) -> None:
    tf.write(DOMAIN % "00000000-0000-4000-8000-000000000000")
    tf.init()
    clean_emulator.reset_stats()
    for import_id in ("app/../x", "app/..", "app/x?limit=1"):
        output = tf.fail("import", "-input=false", "sevalla_application_domain.x", import_id)
        assert f"Expected import ID in format '<application_id>/<domain_id>', got: {import_id}" in output
        assert "is not an id" in output or "an id cannot contain '?'" in output, output
    assert requests_seen(clean_emulator) == {}


def test_a_configured_path_like_id_fails_at_plan_on_the_attribute(
    tf: Terraform, clean_emulator: EmulatorProcess
) -> None:
    tf.write(DOMAIN % "a/b")
    tf.init()
    clean_emulator.reset_stats()
    output = tf.fail("plan", "-input=false")
    assert "Invalid application_id: an id cannot contain '/'; got \"a/b\"" in output, output
    assert 'application_id = "a/b"' in output, "the diagnostic should quote the attribute's line"
    assert requests_seen(clean_emulator) == {}
    assert clean_emulator.objects()["total"] == 0


def test_a_data_source_id_that_is_a_path_fails_at_plan(
    tf: Terraform, clean_emulator: EmulatorProcess
) -> None:
    tf.write('data "sevalla_webhook" "x" {\n  id = "../applications"\n}\n')
    tf.init()
    clean_emulator.reset_stats()
    output = tf.fail("plan", "-input=false")
    assert "Invalid id: '..' is not an id" not in output  # the whole value is checked, not a part
    assert "Invalid id: an id cannot contain '/'; got \"../applications\"" in output, output
    assert requests_seen(clean_emulator) == {}
