"""sevalla_static_site with real Terraform against the emulator."""

from __future__ import annotations

from typing import Any

from emulator.process import EmulatorProcess
from resources._base import pick
from tests.acceptance.conftest import assert_emulator_empty
from tests.acceptance.lifecycle import api, check_lifecycle
from tests.acceptance.terraform import Terraform

ADDRESS = "sevalla_static_site.site"


def site_hcl(display_name: str, extra: str = "") -> str:
    """A static site `sevalla_static_site.site`, also the parent of the child-type tests."""
    return f"""
resource "sevalla_static_site" "site" {{
  display_name   = "{display_name}"
  repo_url       = "https://github.com/example/site"
  default_branch = "main"
  {extra}
}}
"""


def test_static_site_lifecycle(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    def created(values: dict) -> None:
        assert values["source"] == "publicGit"
        assert values["auto_deploy"] is True and values["is_preview_enabled"] is False
        assert values["index_file"] == "index.html" and values["build_command"] == "npm run build"
        assert values["hostname"] and values["name"] and values["company_id"] and values["status"]

    def updated(values: dict) -> None:
        assert values["display_name"] == "acc-site-renamed"
        assert values["build_command"] == "pnpm build" and values["published_directory"] == "dist"
        assert values["auto_deploy"] is False and values["default_branch"] == "release"

    check_lifecycle(
        tf,
        ADDRESS,
        create_hcl=site_hcl("acc-site", 'build_command = "npm run build"'),
        update_hcl=site_hcl(
            "acc-site-renamed",
            'build_command = "pnpm build"\n  published_directory = "dist"\n  auto_deploy = false',
        ).replace('"main"', '"release"'),
        import_id=lambda values: values["id"],
        ignore_on_import={},
        check_created=created,
        check_updated=updated,
    )
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def check_drift(
    tf: Terraform, emulator: EmulatorProcess, address: str, collection: str, changed: dict[str, Any]
) -> None:
    """Changed behind Terraform's back (PATCH `changed`): the next plan updates it back in place.
    Deleted: the next plan creates it again. Ends destroyed, with the emulator empty."""
    object_id = tf.state()[address]["id"]
    configured = {name: tf.state()[address][name] for name in changed}
    api(emulator, "PATCH", f"{collection}/{object_id}", changed)
    plan = tf.plan_text()
    assert f"{address} will be updated in-place" in plan, plan
    assert all(f'"{value}" -> "{configured[name]}"' in plan for name, value in changed.items()), plan
    tf.apply()
    assert pick(api(emulator, "GET", f"{collection}/{object_id}"), list(changed)) == configured
    api(emulator, "DELETE", f"{collection}/{object_id}")
    assert f"{address} will be created" in tf.plan_text()
    tf.apply()
    assert tf.state()[address]["id"] != object_id
    tf.destroy()
    assert_emulator_empty(emulator)


def test_static_site_drift(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    tf.write(site_hcl("acc-site-drift", 'node_version = "20"'))
    tf.apply()
    check_drift(tf, clean_emulator, ADDRESS, "static-sites", {"node_version": "18"})


def test_import_of_unknown_static_site_fails(tf: Terraform) -> None:
    tf.write(site_hcl("acc-missing"))
    output = tf.fail("import", ADDRESS, "00000000-0000-4000-8000-000000000000")
    assert "Cannot import non-existent remote object" in output


def test_invalid_static_site_settings_point_at_the_attribute(tf: Terraform) -> None:
    tf.write(site_hcl("x", 'source = "dockerImage"'))
    output = tf.fail("plan", "-input=false")
    assert 'Invalid source: must be one of privateGit, publicGit; got "dockerImage"' in output
    assert "display_name: must be 2 to 64 characters long" in output


def test_static_site_data_sources(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    """By id (every attribute) and the list, which follows pagination past one page of 100."""
    for index in range(101):
        api(
            clean_emulator,
            "POST",
            "static-sites",
            {
                "display_name": f"bulk-{index:03}",
                "repo_url": "https://github.com/e/s",
                "default_branch": "main",
            },
        )
    tf.write(
        site_hcl("acc-ds-site", 'build_command = "make"')
        + """
data "sevalla_static_site" "by_id" {
  id = sevalla_static_site.site.id
}

data "sevalla_static_sites" "all" {
  depends_on = [sevalla_static_site.site]
}

output "looked_up" { value = data.sevalla_static_site.by_id }
output "listed" { value = data.sevalla_static_sites.all.static_sites }
"""
    )
    tf.apply()
    site = tf.state()[ADDRESS]
    outputs = tf.outputs()
    assert outputs["looked_up"] == site
    listed = outputs["listed"]
    assert len(listed) == 102 and listed[-1]["id"] == site["id"]
    assert set(listed[0]) == {"id", "name", "display_name", "status", "source", "created_at", "updated_at"}
    assert tf.plan_exit_code() == 0
    tf.destroy()
    clean_emulator.reset()


def test_static_site_data_source_unknown_id(tf: Terraform) -> None:
    tf.write('data "sevalla_static_site" "x" {\n  id = "00000000-0000-4000-8000-000000000000"\n}\n')
    output = tf.fail("plan", "-input=false")
    assert "Static site not found" in output
