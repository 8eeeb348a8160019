"""States turned by routes of their own (kinds.Switch), with real Terraform against the emulator:
an application's and a database's suspension, a database's external connection, a domain's
primary and enabled flags, a webhook's, an API key's and a load-balancer destination's enabling.

Each is optional + computed: set, the provider turns it through its route (asynchronous in the
emulator, so it polls) and the next plan is empty; unset, it follows what Sevalla shows."""

from __future__ import annotations

from emulator.process import EmulatorProcess
from tests.acceptance.conftest import assert_emulator_empty
from tests.acceptance.lifecycle import api, application_hcl, plan_error
from tests.acceptance.terraform import Terraform
from tests.acceptance.test_database import db_hcl


def services_hcl(*, suspended: str, a_primary: str, b: str, enabled: str) -> str:
    """An application with two domains, a webhook, an API key and a load balancer destination;
    each `…` string is the line that sets (or does not set) a switch."""
    return (
        application_hcl("acc-switch-app", suspended)
        + f"""
resource "sevalla_application_domain" "a" {{
  application_id = sevalla_application.app.id
  name           = "a.example.com"
  {a_primary}
}}

resource "sevalla_application_domain" "b" {{
  application_id = sevalla_application.app.id
  name           = "b.example.com"
  {b}
}}

resource "sevalla_webhook" "hook" {{
  endpoint       = "https://hooks.example.com/a"
  allowed_events = ["APP_DEPLOY"]
  is_enabled     = {enabled}
}}

resource "sevalla_api_key" "key" {{
  name    = "acc-switch-key"
  enabled = {enabled}
}}

resource "sevalla_load_balancer" "lb" {{
  display_name = "acc-switch-lb"
}}

resource "sevalla_load_balancer_destination" "dest" {{
  load_balancer_id = sevalla_load_balancer.lb.id
  service_type     = "EXTERNAL"
  url              = "https://a.example.com"
  is_enabled       = {enabled}
}}
"""
    )


def test_switches_turn_on_create_and_in_place(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    tf.write(
        services_hcl(
            suspended="is_suspended = true",
            a_primary="is_primary = true",
            b="is_enabled = false",
            enabled="false",
        )
    )
    tf.apply()
    state = tf.state()
    app = state["sevalla_application.app"]
    a, b = state["sevalla_application_domain.a"], state["sevalla_application_domain.b"]
    remote_app = api(clean_emulator, "GET", f"applications/{app['id']}")
    assert remote_app["is_suspended"] is True and app["is_suspended"] is True
    assert app["status"] == remote_app["status"] == "suspended"
    domains = {d["id"]: d for d in api(clean_emulator, "GET", f"applications/{app['id']}/domains")}
    assert domains[a["id"]]["is_primary"] is True and a["is_primary"] is True
    assert domains[b["id"]]["is_enabled"] is False and b["is_enabled"] is False
    hook, key = state["sevalla_webhook.hook"], state["sevalla_api_key.key"]
    assert api(clean_emulator, "GET", f"webhooks/{hook['id']}")["is_enabled"] is False
    assert api(clean_emulator, "GET", f"api-keys/{key['id']}")["is_enabled"] is False
    assert key["token"], "turning the key off keeps its create-only token"
    dest = state["sevalla_load_balancer_destination.dest"]
    lb_id = state["sevalla_load_balancer.lb"]["id"]
    listed = api(clean_emulator, "GET", f"load-balancers/{lb_id}/destinations")["data"]
    assert [d["is_enabled"] for d in listed if d["id"] == dest["id"]] == [False]
    assert tf.plan_exit_code() == 0, "plan after create is not empty:\n" + tf.plan_text()

    # Activate, enable, and move the primary domain to b (a's flag unset: it follows Sevalla).
    tf.write(
        services_hcl(
            suspended="is_suspended = false",
            a_primary="",
            b="is_enabled = true\n  is_primary = true",
            enabled="true",
        )
    )
    plan = tf.plan_text()
    assert "must be replaced" not in plan and "to change" in plan, plan
    tf.apply()
    state = tf.state()
    assert state["sevalla_application.app"]["id"] == app["id"]
    assert api(clean_emulator, "GET", f"applications/{app['id']}")["is_suspended"] is False
    assert state["sevalla_application.app"]["status"] != "suspended"
    domains = {d["id"]: d for d in api(clean_emulator, "GET", f"applications/{app['id']}/domains")}
    assert domains[b["id"]]["is_primary"] is True and domains[b["id"]]["is_enabled"] is True
    assert domains[a["id"]]["is_primary"] is False, "the previous primary domain stops being primary"
    assert api(clean_emulator, "GET", f"webhooks/{hook['id']}")["is_enabled"] is True
    assert api(clean_emulator, "GET", f"api-keys/{key['id']}")["is_enabled"] is True
    assert state["sevalla_load_balancer_destination.dest"]["id"] == dest["id"], "enabled in place"
    # a's is_primary was unset: the refresh takes Sevalla's false without planning a change.
    assert tf.plan_exit_code() == 0, "plan after update is not empty:\n" + tf.plan_text()
    tf.apply()  # no changes: the refresh is saved
    assert tf.state()["sevalla_application_domain.a"]["is_primary"] is False
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_database_suspension_and_external_connection(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    def with_switches(hcl: str, lines: str) -> str:
        return hcl.replace(
            '  timeouts         = { create = "2m" }', f'  timeouts         = {{ create = "2m" }}\n{lines}'
        )

    tf.write(with_switches(db_hcl("acc-switch-db"), "  external_connection_enabled = true"))
    tf.apply()
    db = tf.state()["sevalla_database.db"]
    remote = api(clean_emulator, "GET", f"databases/{db['id']}")
    assert remote["external_hostname"] and db["external_hostname"] == remote["external_hostname"]
    assert db["external_connection_enabled"] is True and db["status"] == "ready"
    assert tf.plan_exit_code() == 0, "plan after create is not empty:\n" + tf.plan_text()

    # Suspended (and its external connection turned off first: it needs a ready database).
    tf.write(
        with_switches(db_hcl("acc-switch-db"), "  external_connection_enabled = false\n  is_suspended = true")
    )
    tf.apply()
    db = tf.state()["sevalla_database.db"]
    remote = api(clean_emulator, "GET", f"databases/{db['id']}")
    assert remote["status"] == "suspended" and remote["external_hostname"] is None
    assert (db["status"], db["is_suspended"], db["external_hostname"]) == ("suspended", True, None)
    assert tf.plan_exit_code() == 0, "plan after suspension is not empty:\n" + tf.plan_text()

    # Renamed while staying suspended, then activated and renamed back in one apply (activation
    # comes first: a suspended database is not changed).
    tf.write(with_switches(db_hcl("acc-switch-db-2"), "  is_suspended = true"))
    tf.apply()
    assert api(clean_emulator, "GET", f"databases/{db['id']}")["display_name"] == "acc-switch-db-2"
    tf.write(with_switches(db_hcl("acc-switch-db"), "  is_suspended = false"))
    tf.apply()
    remote = api(clean_emulator, "GET", f"databases/{db['id']}")
    assert (remote["status"], remote["display_name"]) == ("ready", "acc-switch-db")
    assert tf.plan_exit_code() == 0, "plan after activation is not empty:\n" + tf.plan_text()
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_is_primary_false_is_refused_at_plan(tf: Terraform) -> None:
    output = plan_error(
        tf,
        application_hcl("acc-switch-app")
        + """
resource "sevalla_application_domain" "a" {
  application_id = sevalla_application.app.id
  name           = "a.example.com"
  is_primary     = false
}
""",
    )
    assert "Invalid is_primary: can only be true" in output, output


def test_a_refused_switch_names_the_api_message_and_a_reapply_converges(
    tf: Terraform, clean_emulator: EmulatorProcess
) -> None:
    """A disabled domain cannot become primary (the emulator's 422): the create keeps the domain
    in the state (tainted) with the API's message; the corrected configuration replaces it, and
    no second domain is left."""

    def hcl(lines: str) -> str:
        return (
            application_hcl("acc-switch-app")
            + f"""
resource "sevalla_application_domain" "a" {{
  application_id = sevalla_application.app.id
  name           = "a.example.com"
  {lines}
}}
"""
        )

    tf.write(hcl("is_enabled = false\n  is_primary = true"))
    output = tf.fail("apply", "-auto-approve", "-input=false")
    assert "a disabled domain cannot be the primary domain" in output, output
    app_id = tf.state()["sevalla_application.app"]["id"]
    made = tf.state()["sevalla_application_domain.a"]["id"]
    assert made, "the domain the API made is in the state"
    tf.write(hcl("is_primary = true"))
    tf.apply()
    domains = api(clean_emulator, "GET", f"applications/{app_id}/domains")
    assert [(d["name"], d["is_primary"], d["is_enabled"]) for d in domains] == [("a.example.com", True, True)]
    assert tf.plan_exit_code() == 0, tf.plan_text()
    tf.destroy()
    assert_emulator_empty(clean_emulator)
