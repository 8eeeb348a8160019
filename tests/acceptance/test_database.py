"""sevalla_database with real Terraform against the emulator: creating -> ready, a database that
ends in error, and a destroy that waits for the asynchronous delete."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from emulator.process import EmulatorProcess
from tests.acceptance.conftest import assert_emulator_empty
from tests.acceptance.lifecycle import api, check_lifecycle
from tests.acceptance.terraform import Terraform


def db_hcl(display_name: str, size_index: int = 0) -> str:
    return f"""
data "sevalla_clusters" "all" {{}}
data "sevalla_database_resource_types" "all" {{}}

resource "sevalla_database" "db" {{
  display_name     = "{display_name}"
  type             = "postgresql"
  version          = "16"
  cluster_id       = data.sevalla_clusters.all.clusters[0].id
  resource_type_id = data.sevalla_database_resource_types.all.database_resource_types[{size_index}].id
  db_name          = "acc_db"
  db_password      = "acc-password"
  db_user          = "acc_user"
  timeouts         = {{ create = "2m" }}
}}
"""


def test_database_lifecycle(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    def created(values: dict) -> None:
        assert values["status"] == "ready", "create must wait for the database to be ready"
        assert values["internal_port"] == "5432"
        assert values["db_password"] == "acc-password"

    def updated(values: dict) -> None:
        assert values["display_name"] == "acc-db-renamed"
        assert values["status"] == "ready", "a size change must wait for the update to finish"

    final = check_lifecycle(
        tf,
        "sevalla_database.db",
        create_hcl=db_hcl("acc-db"),
        update_hcl=db_hcl("acc-db-renamed", size_index=1),
        import_id=lambda values: values["id"],
        ignore_on_import={
            "db_password": "the API never returns the password",
            "db_user": "the API does not return the user",
            "timeouts": "configuration only",
        },
        check_created=created,
        check_updated=updated,
    )
    assert final["resource_type_name"] != "db1"
    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_bad_database_type_points_at_the_attribute(tf: Terraform) -> None:
    tf.write(db_hcl("acc-bad").replace('"postgresql"', '"oracle"'))
    output = tf.fail("plan", "-input=false")
    assert "Invalid type: must be one of postgresql" in output


def test_bad_timeout_points_at_the_attribute(tf: Terraform) -> None:
    tf.write(db_hcl("acc-bad").replace('create = "2m"', 'create = "two minutes"'))
    output = tf.fail("plan", "-input=false")
    assert "Invalid timeouts.create" in output


@pytest.fixture
def db_knobs(clean_emulator: EmulatorProcess) -> Iterator[EmulatorProcess]:
    """The emulator, with the database knobs a test changes put back after it (session-wide)."""
    before = clean_emulator.timing()
    clean_emulator.reset_stats()
    yield clean_emulator
    clean_emulator.set_timing(**before)


def database_polls(emulator: EmulatorProcess) -> int:
    count: int = emulator.stats()["by_route"].get("GET /v3/databases/{id}", 0)
    return count


def test_database_that_ends_in_error_is_a_diagnostic_naming_it_and_tainted(
    tf: Terraform, db_knobs: EmulatorProcess
) -> None:
    # The emulator's seeded failure: this display name's create ends in "error", not "ready".
    db_knobs.set_timing(db_error_display_names=["acc-db-broken"])
    tf.write(db_hcl("acc-db-broken").replace('create = "2m"', 'create = "30m"'))
    output = " ".join(tf.fail("apply", "-auto-approve", "-input=false").split())  # unwrapped
    values = tf.state()["sevalla_database.db"]
    assert f"The database {values['id']} ('acc-db-broken') is in status 'error'" in output, output
    assert "after the timeout" not in output, "the wait ends at the error, not at the timeout"
    assert "is kept in the state, marked tainted" in output, output
    # Ended at the first poll that saw "error" (1 s ready delay, 2 s interval): a bounded number
    # of polls, however slow the machine, rather than polling on for the 30 minutes.
    assert database_polls(db_knobs) <= 3, db_knobs.stats()["by_route"]
    # The database exists on the server: kept in the state, tainted, replaced by the next apply.
    assert [item["id"] for item in api(db_knobs, "GET", "databases")["data"]] == [values["id"]]
    assert "sevalla_database.db is tainted, so must be replaced" in tf.plan_text()
    # A database in "error" can be deleted (as the official provider waits for ready|error|suspended).
    tf.destroy()
    assert_emulator_empty(db_knobs)


def test_destroy_returns_once_the_asynchronous_delete_has_ended(
    tf: Terraform, db_knobs: EmulatorProcess
) -> None:
    tf.write(db_hcl("acc-db-slow-delete"))
    tf.apply()
    database_id = tf.state()["sevalla_database.db"]["id"]
    # The DELETE is answered at once; the database stays "deleting" for 3 s, then is gone.
    db_knobs.set_timing(db_delete_delay_seconds=3.0)
    db_knobs.reset_stats()
    tf.destroy()
    # Nothing is left the moment destroy returns: it waited until the GET answered 404.
    assert_emulator_empty(db_knobs)
    by_route = db_knobs.stats()["by_route"]
    assert by_route.get("DELETE /v3/databases/{id}") == 1, by_route
    assert database_polls(db_knobs) >= 3, "deletable check, at least one poll seeing deleting, then 404"
    assert "sevalla_database.db" not in tf.state(), database_id
