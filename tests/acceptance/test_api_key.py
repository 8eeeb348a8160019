"""sevalla_api_key and its data sources with real Terraform. The token is shown by the API only at
creation: it is kept in state, sensitive, and must never reach a log."""

from __future__ import annotations

from pathlib import Path

from emulator.process import EmulatorProcess
from emulator.routes.api_keys import API_KEY_ROLES
from tests.acceptance.conftest import assert_emulator_empty
from tests.acceptance.lifecycle import api, check_lifecycle
from tests.acceptance.terraform import Terraform

ADDRESS = "sevalla_api_key.key"
UNKNOWN = "00000000-0000-4000-8000-000000000000"
VIEWER, DEVELOPER = API_KEY_ROLES[2]["id"], API_KEY_ROLES[1]["id"]


def key_hcl(name: str, extra: str, address: str = "key") -> str:
    return f"""
resource "sevalla_api_key" "{address}" {{
  name = "{name}"
  {extra}
}}
"""


CREATE = key_hcl(
    "acc-key",
    f"""
  expires_at   = "2030-01-01T00:00:00Z"
  role_ids     = ["{VIEWER}"]
  capabilities = [
    {{ permission = "application:write" }},
    {{ permission = "database:read", id_resource = "{UNKNOWN}" }},
  ]
""",
)
# Renamed, another role, one capability, no expiry.
UPDATE = key_hcl(
    "acc-key-renamed",
    f"""
  role_ids     = ["{DEVELOPER}", "{VIEWER}"]
  capabilities = [{{ permission = "static_site:read" }}]
""",
)

SECOND = key_hcl("acc-key-2", 'capabilities = [{ permission = "application:read" }]', address="second")


def test_api_key_lifecycle_and_token_secrecy(
    tf: Terraform, clean_emulator: EmulatorProcess, tmp_path: Path
) -> None:
    log = tmp_path / "terraform.log"
    tf.env.update({"TF_LOG": "TRACE", "TF_LOG_PATH": str(log)})
    tokens: list[str] = []

    def created(values: dict) -> None:
        assert values["token"].startswith("sev_")
        tokens.append(values["token"])
        assert values["enabled"] is True and values["source"] == "api"
        assert values["expires_at"] == "2030-01-01T00:00:00Z"
        assert values["role_ids"] == [VIEWER]
        assert values["roles"] == [{"id": VIEWER, "name": "viewer", "description": "Read only"}]
        assert values["capabilities"] == [
            {"permission": "application:write", "id_resource": None},
            {"permission": "database:read", "id_resource": UNKNOWN},
        ]

    def updated(values: dict) -> None:
        assert values["name"] == "acc-key-renamed" and values["expires_at"] is None
        assert values["role_ids"] == [DEVELOPER, VIEWER]  # the configured order
        assert {role["name"] for role in values["roles"]} == {"developer", "viewer"}
        assert values["capabilities"] == [{"permission": "static_site:read", "id_resource": None}]

    final = check_lifecycle(
        tf,
        ADDRESS,
        create_hcl=CREATE,
        update_hcl=UPDATE,
        import_id=lambda values: values["id"],
        ignore_on_import={"token": "the API returns the token only when the key is created"},
        check_created=created,
        check_updated=updated,
    )
    remote = api(clean_emulator, "GET", f"api-keys/{final['id']}")
    assert remote["name"] == "acc-key-renamed" and remote["expired_at"] is None and "token" not in remote

    # A second key: its token is sensitive in the state shown, and no token is ever logged.
    second = "sevalla_api_key.second"
    tf.write(UPDATE + SECOND)
    tf.apply()
    tokens.append(tf.state()[second]["token"])
    shown = tf.run("show", "-no-color").stdout
    assert "token" in shown and "(sensitive value)" in shown and tokens[-1] not in shown
    assert tf.plan_exit_code() == 0
    text = log.read_text()
    assert "POST api-keys" in text, "the client's request lines are missing from the TRACE log"
    for token in tokens:
        assert token not in text, "an API key token reached the log"

    # Deleted outside Terraform: planned again.
    api(clean_emulator, "DELETE", f"api-keys/{tf.state()[second]['id']}")
    plan = tf.plan_text()
    assert f"{second} will be created" in plan and f"{ADDRESS} " not in plan, plan
    tf.apply()
    assert tf.state()[second]["token"].startswith("sev_")

    # Import of an unknown key.
    tf.write(UPDATE + SECOND + key_hcl("acc-key-3", "", address="third"))
    output = tf.fail("import", "sevalla_api_key.third", UNKNOWN)
    assert "Cannot import non-existent remote object" in output, output
    tf.write(UPDATE + SECOND)
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_api_key_data_sources(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    tf.write(
        CREATE
        + """
data "sevalla_api_key" "key" {
  id = sevalla_api_key.key.id
}
data "sevalla_api_key_permissions" "all" {}
data "sevalla_api_key_roles" "all" {}
"""
    )
    tf.apply()
    state = tf.state()
    resource, looked_up = state[ADDRESS], state["data.sevalla_api_key.key"]
    assert looked_up["token"] is None  # the API never shows it again
    assert {k: v for k, v in looked_up.items() if k != "token"} == {
        k: v for k, v in resource.items() if k != "token"
    }
    permissions = state["data.sevalla_api_key_permissions.all"]["permissions"]
    assert {"application:write", "database:read"} <= {p["name"] for p in permissions}
    assert set(permissions[0]) == {"id", "name", "description", "resource", "action"}
    roles = state["data.sevalla_api_key_roles.all"]["roles"]
    viewer = next(role for role in roles if role["id"] == VIEWER)
    assert viewer["name"] == "viewer" and "application:read" in viewer["permissions"]
    assert tf.plan_exit_code() == 0

    tf.write('data "sevalla_api_key" "missing" {\n  id = "' + UNKNOWN + '"\n}\n')
    output = tf.fail("plan", "-input=false")
    assert "API key not found" in output and UNKNOWN in output, output
    tf.write(CREATE)
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_bad_input_points_at_the_attribute(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    tf.write(key_hcl("acc-bad", 'expires_at = "next week"'))
    output = tf.fail("plan", "-input=false")
    assert "Invalid expires_at: must be an ISO 8601 timestamp" in output, output
    assert 'got "next week"' in output, output
    assert 'expires_at = "next week"' in output, output  # Terraform underlines the attribute

    tf.write(key_hcl("acc-bad", 'capabilities = [{ permission = "everything" }]'))
    output = tf.fail("plan", "-input=false")
    assert "Invalid capabilities[0].permission: must be <resource>:<action>" in output, output
    # Permission names are not documented: a well-formed one is not refused (test_validation.py).
    assert_emulator_empty(clean_emulator)
