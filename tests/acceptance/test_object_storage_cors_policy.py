"""sevalla_object_storage_cors_policy with real Terraform against the emulator."""

from __future__ import annotations

from emulator.process import EmulatorProcess
from tests.acceptance.conftest import assert_emulator_empty
from tests.acceptance.lifecycle import api, check_lifecycle
from tests.acceptance.terraform import Terraform
from tests.acceptance.test_object_storage import ADDRESS, MISSING, bucket_hcl


def cors_hcl(origins: str, methods: str, extra: str = "") -> str:
    return (
        bucket_hcl("acc-cors-bucket")
        + f"""
resource "sevalla_object_storage_cors_policy" "cors" {{
  object_storage_id = sevalla_object_storage.bucket.id
  allowed_origins   = {origins}
  allowed_methods   = {methods}
  {extra}
}}
"""
    )


def test_cors_policy_lifecycle(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    def created(values: dict) -> None:
        assert values["allowed_origins"] == ["https://example.com"]
        assert values["allowed_methods"] == ["GET"]
        assert values["allowed_headers"] is None

    def updated(values: dict) -> None:
        assert values["allowed_origins"] == ["https://example.com", "https://other.example.com"]
        assert values["allowed_methods"] == ["GET", "PUT"]
        assert values["allowed_headers"] == ["Content-Type"]

    check_lifecycle(
        tf,
        "sevalla_object_storage_cors_policy.cors",
        create_hcl=cors_hcl('["https://example.com"]', '["GET"]'),
        update_hcl=cors_hcl(
            '["https://example.com", "https://other.example.com"]',
            '["GET", "PUT"]',
            'allowed_headers = ["Content-Type"]',
        ),
        import_id=lambda values: f"{values['object_storage_id']}/{values['id']}",
        ignore_on_import={},
        check_created=created,
        check_updated=updated,
    )
    # Dropping the headers clears them in the API.
    tf.write(cors_hcl('["https://example.com"]', '["GET"]'))
    tf.apply()
    policy = tf.state()["sevalla_object_storage_cors_policy.cors"]
    listed = api(clean_emulator, "GET", f"object-storage/{policy['object_storage_id']}/cors-policies")
    assert [item["headers"] for item in listed["data"]] == [[]]
    assert tf.plan_exit_code() == 0
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_cors_policy_deleted_outside_terraform_is_planned_again(
    tf: Terraform, clean_emulator: EmulatorProcess
) -> None:
    tf.write(cors_hcl('["*"]', '["GET", "HEAD"]'))
    tf.apply()
    policy = tf.state()["sevalla_object_storage_cors_policy.cors"]
    api(
        clean_emulator, "DELETE", f"object-storage/{policy['object_storage_id']}/cors-policies/{policy['id']}"
    )
    assert "sevalla_object_storage_cors_policy.cors will be created" in tf.plan_text()
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_cors_policy_import_errors(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    tf.write(bucket_hcl("acc-cors-bucket"))
    tf.apply()
    bucket_id = tf.state()[ADDRESS]["id"]
    tf.write(cors_hcl('["*"]', '["GET"]'))
    address = "sevalla_object_storage_cors_policy.cors"
    output = tf.fail("import", address, f"{bucket_id}/{MISSING}")
    assert "Cannot import non-existent remote object" in output
    output = tf.fail("import", address, bucket_id)
    assert f"Expected import ID in format '<object_storage_id>/<cors_policy_id>', got: {bucket_id}" in output
    tf.write(bucket_hcl("acc-cors-bucket"))
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_invalid_cors_method_points_at_the_attribute(tf: Terraform) -> None:
    tf.write(
        'resource "sevalla_object_storage_cors_policy" "cors" {\n'
        f'  object_storage_id = "{MISSING}"\n'
        '  allowed_origins   = ["*"]\n'
        '  allowed_methods   = ["GET", "PATCH"]\n}\n'
    )
    output = tf.fail("plan", "-input=false")
    assert 'Invalid allowed_methods: must be among GET, PUT, POST, DELETE, HEAD; got "PATCH"' in output
