"""sevalla_object_storage (resource and data source) with real Terraform against the emulator."""

from __future__ import annotations

from emulator.process import EmulatorProcess
from tests.acceptance.conftest import assert_emulator_empty
from tests.acceptance.lifecycle import check_lifecycle
from tests.acceptance.terraform import Terraform
from tests.acceptance.test_static_site import check_drift

ADDRESS = "sevalla_object_storage.bucket"
MISSING = "00000000-0000-4000-8000-000000000000"


def bucket_hcl(display_name: str, extra: str = "") -> str:
    return f"""
resource "sevalla_object_storage" "bucket" {{
  display_name = "{display_name}"
  {extra}
}}
"""


def test_object_storage_lifecycle(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    def created(values: dict) -> None:
        assert values["location"] == "weur" and values["jurisdiction"] == "default"
        assert values["public_access"] is True and values["domain"]
        assert values["access_key"] and values["secret_key"] and values["bucket_name"] == values["name"]
        assert values["endpoint"].startswith("https://")

    def updated(values: dict) -> None:
        assert values["display_name"] == "acc-bucket-renamed"
        assert values["updated_at"] >= values["created_at"]

    check_lifecycle(
        tf,
        ADDRESS,
        create_hcl=bucket_hcl("acc-bucket", 'location = "weur"\n  public_access = true'),
        update_hcl=bucket_hcl("acc-bucket-renamed", 'location = "weur"\n  public_access = true'),
        import_id=lambda values: values["id"],
        ignore_on_import={"public_access": "the API never returns it (adopted from the configuration)"},
        check_created=created,
        check_updated=updated,
    )
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_object_storage_defaults_and_replacing_changes(
    tf: Terraform, clean_emulator: EmulatorProcess
) -> None:
    tf.write(bucket_hcl("acc-bucket-defaults"))
    tf.apply()
    bucket = tf.state()[ADDRESS]
    assert (bucket["location"], bucket["jurisdiction"]) == ("enam", "default")
    assert bucket["public_access"] is None and bucket["domain"] is None
    # Saying what the API defaulted to changes nothing.
    tf.write(bucket_hcl("acc-bucket-defaults", 'location = "enam"\n  public_access = false'))
    tf.apply()
    assert tf.plan_exit_code() == 0
    for extra in ('jurisdiction = "eu"', "public_access = true"):
        tf.write(bucket_hcl("acc-bucket-defaults", extra))
        assert "must be replaced" in tf.plan_text(), extra
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_object_storage_drift(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    tf.write(bucket_hcl("acc-bucket-drift"))
    tf.apply()
    check_drift(tf, clean_emulator, ADDRESS, "object-storage", {"display_name": "renamed-behind-our-back"})


def test_import_of_unknown_object_storage_fails(tf: Terraform) -> None:
    tf.write(bucket_hcl("acc-missing"))
    output = tf.fail("import", ADDRESS, MISSING)
    assert "Cannot import non-existent remote object" in output


def test_invalid_location_points_at_the_attribute(tf: Terraform) -> None:
    tf.write(bucket_hcl("acc-bad", 'location = "mars"'))
    output = tf.fail("plan", "-input=false")
    assert 'Invalid location: must be one of apac, eeur, enam, oc, weur, wnam; got "mars"' in output
    assert 'location = "mars"' in output, output


def test_object_storage_data_source(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    tf.write(
        bucket_hcl("acc-ds-bucket", "public_access = true")
        + """
data "sevalla_object_storage" "by_id" {
  id = sevalla_object_storage.bucket.id
}

output "looked_up" {
  value     = data.sevalla_object_storage.by_id
  sensitive = true
}
"""
    )
    tf.apply()
    bucket = tf.state()[ADDRESS]
    assert tf.outputs()["looked_up"] == bucket
    assert tf.plan_exit_code() == 0
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_object_storage_data_source_unknown_id(tf: Terraform) -> None:
    tf.write(f'data "sevalla_object_storage" "x" {{\n  id = "{MISSING}"\n}}\n')
    output = tf.fail("plan", "-input=false")
    assert "Object storage not found" in output
