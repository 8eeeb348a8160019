"""Interrupted applies with real Terraform (issue 10): nothing lost, nothing duplicated, no hang.

Each case interrupts an apply at a point chosen from the emulator's request counts (never from a
sleep): Ctrl-C while databases wait for `ready`, a create timeout, the PATCH after an
application's POST failing, SIGKILL of the provider (or its launcher) after the server made an
object, and a 3 s API outage with restart in the middle of ~50 creates. Then the same checks:

1. a re-apply succeeds (for the outage: the interrupted apply itself succeeds),
2. the plan after it is empty,
3. state == server: 0 duplicates, 0 orphans, 0 state objects missing (devtools.convergence),
4. destroy succeeds and leaves the emulator empty.

Every problem is collected and reported together, with the seed: `SEVALLA_INTERRUPT_SEED=N`
replays a run (the seed picks the interruption points and names).
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from devtools.convergence import compare, errors_in, state_resources
from emulator.process import EmulatorProcess
from tests.acceptance.conftest import assert_emulator_empty
from tests.acceptance.processes import sevalla_plugins
from tests.acceptance.terraform import Running, Terraform

SEED = int(os.environ.get("SEVALLA_INTERRUPT_SEED", "10"))
FAST_DB_SECONDS = 0.5  # the ready delay outside the interrupted step
NEVER_READY = 3600.0  # "still creating" for as long as the step needs
# Safety nets only, so a hanging provider fails the test instead of the suite; never a speed check.
TRIGGER_LIMIT = 120.0  # for the interruption point to be reached
STOP_GRACE = 30.0  # for Terraform to exit after Ctrl-C or a killed provider
OUTAGE_HANG = 90.0  # for the apply to end once the API is back (request timeout and breaker: 30 s)


@pytest.fixture(scope="module")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorProcess]:
    """This module's own emulator: the outage test kills and restarts it."""
    db = tmp_path_factory.mktemp("interruptions") / "emulator.db"
    # Tiers off; a 2 s announced "minute", as in conftest.py, so 50 writes are paced by seconds.
    with EmulatorProcess(
        db_path=db,
        api_key="interrupt-key",
        rate_limits_enabled=False,
        rate_window_seconds=2.0,
        db_ready_delay_seconds=FAST_DB_SECONDS,
    ) as process:
        yield process


@pytest.fixture
def clean(emulator: EmulatorProcess) -> Iterator[EmulatorProcess]:
    if not emulator.running:  # a restart that failed in an earlier test
        emulator.stop()
        emulator.start()
    emulator.reset()
    emulator.clear_faults()
    emulator.set_db_ready_delay(FAST_DB_SECONDS)
    emulator.reset_stats()
    yield emulator
    if not emulator.running:
        emulator.stop()
        emulator.start()
    emulator.clear_faults()
    emulator.set_db_ready_delay(FAST_DB_SECONDS)


@pytest.fixture
def tf(tmp_path: Path, cli_config: Path, clean: EmulatorProcess) -> Terraform:
    return Terraform(
        tmp_path / "tf",
        {
            "TF_CLI_CONFIG_FILE": str(cli_config),
            "SEVALLA_API_URL": clean.url,
            "SEVALLA_API_KEY": clean.api_key,
            "SEVALLA_DISK_CACHE_DIR": str(tmp_path / "disk-cache"),
        },
    )


def seeded(case: str) -> random.Random:
    return random.Random(f"{SEED}:{case}")


class Problems:
    """Everything that went wrong in one case, asserted once at the end (with the seed)."""

    def __init__(self, case: str) -> None:
        self.case = case
        self.items: list[str] = []

    def add(self, problem: str) -> None:
        self.items.append(problem)

    def check(self) -> None:
        if self.items:
            pytest.fail(
                f"{self.case} (SEVALLA_INTERRUPT_SEED={SEED}): {len(self.items)} problem(s)\n- "
                + "\n- ".join(self.items),
                pytrace=False,
            )


def route_count(emulator: EmulatorProcess, route: str) -> int:
    count: int = emulator.stats()["by_route"].get(route, 0)
    return count


def wait_for(running: Running, condition: Callable[[], bool], what: str, seed_note: str) -> None:
    """Poll the emulator until `condition`; fail if Terraform ends first (the point was missed)."""
    started = time.monotonic()
    while not condition():
        if running.poll() is not None:
            pytest.fail(
                f"terraform exited {running.poll()} before {what} ({seed_note}):\n{running.output()[-3000:]}"
            )
        if time.monotonic() - started > TRIGGER_LIMIT:
            running.close()
            pytest.fail(f"{what} not reached within {TRIGGER_LIMIT:g}s ({seed_note})")
        time.sleep(0.02)


def end_of(running: Running, problems: Problems, emulator: EmulatorProcess, after: str) -> str:
    """Wait for an interrupted Terraform to exit; a hang is a problem (then databases are made
    ready so it can end, or it is killed). Returns its output."""
    code = running.wait(STOP_GRACE)
    if code is None:
        problems.add(f"terraform still running {STOP_GRACE:g}s after {after} (a wait that ignores Stop)")
        emulator.set_db_ready_delay(0)
        code = running.wait(STOP_GRACE)
        if code is None:
            problems.add("terraform still running after the databases became ready: killed")
    output = running.output()
    running.close()
    return output


def first_errors(output: str, limit: int = 3) -> str:
    found = errors_in(output)
    more = f" (+{len(found) - limit} more)" if len(found) > limit else ""
    if found:
        return "; ".join(found[:limit]) + more
    lines = [line for line in output.splitlines() if line.strip() and "Still creating" not in line]
    return "no Error: in the output" + (f"; it ends with {lines[-1][:300]!r}" if lines else "")


def converge(tf: Terraform, emulator: EmulatorProcess, problems: Problems, *, reapply: bool = True) -> None:
    """Re-apply, plan, compare state with the server, destroy, and check the emulator is empty."""
    emulator.clear_faults()
    emulator.set_db_ready_delay(FAST_DB_SECONDS)
    applied = True
    if reapply:
        result = tf.run("apply", "-auto-approve", "-input=false", "-no-color", expect=(0, 1))
        if result.returncode != 0:
            applied = False
            problems.add("re-apply failed: " + first_errors(result.stdout + result.stderr))
    if applied:
        plan = tf.run("plan", "-detailed-exitcode", "-input=false", "-no-color", expect=(0, 1, 2))
        if plan.returncode != 0:
            problems.add(
                f"plan after the re-apply is not empty (exit {plan.returncode}): " + _plan_line(plan.stdout)
            )
    report = compare(state_resources(tf.show_json()), emulator.object_list())
    if not report.ok:
        problems.add("state != server: " + report.summary())
    destroyed = tf.run("destroy", "-auto-approve", "-input=false", "-no-color", expect=(0, 1))
    if destroyed.returncode != 0:
        problems.add("destroy failed: " + first_errors(destroyed.stdout + destroyed.stderr))
    left = emulator.objects()
    if left["total"]:
        problems.add(
            f"{left['total']} objects left after destroy: " + str({k: v for k, v in left.items() if v})
        )
    problems.check()
    assert_emulator_empty(emulator)


def _plan_line(text: str) -> str:
    for line in text.splitlines():
        if line.startswith("Plan:") or line.startswith("Error:"):
            return line
    return text.strip()[-300:]


# ---------------------------------------------------------------- configurations

DATA = """
data "sevalla_clusters" "all" {}
data "sevalla_database_resource_types" "all" {}
"""


def databases_hcl(names: list[str], timeouts: str = 'create = "10m"') -> str:
    blocks = [
        f"""
resource "sevalla_database" "{name}" {{
  display_name     = "{name}"
  type             = "postgresql"
  version          = "16"
  cluster_id       = data.sevalla_clusters.all.clusters[0].id
  resource_type_id = data.sevalla_database_resource_types.all.database_resource_types[0].id
  db_name          = "{name.replace("-", "_")}"
  db_password      = "interrupt-password"
  timeouts         = {{ {timeouts} }}
}}
"""
        for name in names
    ]
    return DATA + "".join(blocks)


def app_block(address: str, display_name: str, extra: str = "") -> str:
    return f"""
resource "sevalla_application" "{address}" {{
  display_name = "{display_name}"
  cluster_id   = data.sevalla_clusters.all.clusters[0].id
  source       = "dockerImage"
  docker_image = "nginx:latest"
  {extra}
}}
"""


def names(rng: random.Random, prefix: str, count: int) -> list[str]:
    tag = rng.randrange(16**4)
    return [f"{prefix}-{tag:04x}-{index}" for index in range(count)]


# ---------------------------------------------------------------- a. Ctrl-C during a database wait


def test_ctrl_c_while_databases_wait_for_ready(tf: Terraform, clean: EmulatorProcess) -> None:
    rng = seeded("ctrl-c")
    dbs = names(rng, "sigint-db", 3)
    polls = len(dbs) + rng.randint(0, 2)  # every database polled at least once, maybe a few more
    note = f"seed {SEED}: SIGINT after {polls} status polls"
    problems = Problems(f"Ctrl-C during the database wait ({note})")
    tf.write(databases_hcl(dbs))
    tf.init()
    clean.set_db_ready_delay(NEVER_READY)
    running = tf.start_apply()
    wait_for(
        running,
        lambda: (
            route_count(clean, "POST /v3/databases") >= len(dbs)
            and route_count(clean, "GET /v3/databases/{id}") >= polls
        ),
        f"{len(dbs)} database creates and {polls} polls",
        note,
    )
    running.interrupt()
    output = end_of(running, problems, clean, "SIGINT")
    in_state = [r.address for r in state_resources(tf.show_json()) if r.type == "sevalla_database"]
    if len(in_state) != len(dbs):
        problems.add(
            f"{len(dbs) - len(in_state)} of {len(dbs)} databases made on the server are not in state after "
            f"Ctrl-C (terraform said: {first_errors(output)})"
        )
    converge(tf, clean, problems)


# ---------------------------------------------------------------- b. a create timeout


def test_create_timeout_while_database_is_creating(tf: Terraform, clean: EmulatorProcess) -> None:
    rng = seeded("timeout")
    dbs = names(rng, "timeout-db", 2)
    problems = Problems(f"timeouts.create = 2s (seed {SEED})")
    tf.write(databases_hcl(dbs, timeouts='create = "2s"'))
    tf.init()
    clean.set_db_ready_delay(NEVER_READY)
    result = tf.run("apply", "-auto-approve", "-input=false", "-no-color", expect=(0, 1))
    output = result.stdout + result.stderr
    if result.returncode != 1 or "timeout" not in output.lower():
        problems.add(
            f"the apply did not fail with a timeout (exit {result.returncode}): {first_errors(output)}"
        )
    in_state = [r.address for r in state_resources(tf.show_json()) if r.type == "sevalla_database"]
    if len(in_state) != len(dbs):
        problems.add(f"{len(dbs) - len(in_state)} of {len(dbs)} timed-out databases are not in state")
    # As the error suggests, raise the timeout (2 s is the status poll interval: too short to
    # see even a quick database become ready), then re-apply.
    tf.write(databases_hcl(dbs, timeouts='create = "2m"'))
    converge(tf, clean, problems)


# ---------------------------------------------------------------- c. the PATCH after the POST fails


def test_patch_after_application_post_fails(tf: Terraform, clean: EmulatorProcess) -> None:
    rng = seeded("patch")
    apps = names(rng, "patch-app", 3)
    problems = Problems(f"PATCH after POST answered 422 (seed {SEED})")
    # auto_deploy is not a create field: create is POST, then PATCH (resources/application.py).
    tf.write(DATA + "".join(app_block(name, name, "auto_deploy = false") for name in apps))
    tf.init()
    clean.set_faults(
        targeted=[{"method": "PATCH", "route": "/v3/applications/{id}", "status": 422, "count": len(apps)}]
    )
    result = tf.run("apply", "-auto-approve", "-input=false", "-no-color", expect=(0, 1))
    stats = clean.stats()
    if stats["faults"]["targeted"] != len(apps) or stats["by_status"].get("201") != len(apps):
        problems.add(f"the faults did not hit as planned: {stats['faults']}, statuses {stats['by_status']}")
    if result.returncode != 1:
        problems.add(f"the apply did not fail (exit {result.returncode})")
    in_state = [r.address for r in state_resources(tf.show_json()) if r.type == "sevalla_application"]
    if len(in_state) != len(apps):
        problems.add(
            f"{len(apps) - len(in_state)} of {len(apps)} applications created by POST are not in state after "
            f"their PATCH failed ({first_errors(result.stdout + result.stderr, 1)})"
        )
    converge(tf, clean, problems)


# ---------------------------------------------------------------- d. SIGKILL of the provider


KILL_ROUTES = {  # route, creates let through first
    "env var": ("/v3/applications/{id}/env-vars", 1),
    "domain": ("/v3/applications/{id}/domains", 0),
}


@pytest.mark.parametrize("victim", ["provider", "launcher"])
def test_sigkill_after_the_server_made_objects(tf: Terraform, clean: EmulatorProcess, victim: str) -> None:
    """The env var's and the domain's POSTs are committed and their answers held; then the
    provider (the warm server's child) or the launcher Terraform started is killed. Both have a
    unique key, so a blind re-create meets "has already been taken". Both depend on a first env
    var (answered normally): the client sends the first write of a rate window alone (a probe)
    and holds the others until it is answered, so without it the two held POSTs would never
    both reach the server."""
    rng = seeded(f"kill-{victim}")
    first, second = names(rng, f"kill-{victim}", 2)
    key = f"KILL_{rng.randrange(1000):03d}"
    domain = f"{second}.example.com"
    note = f"seed {SEED}: SIGKILL of the {victim} while the env var and domain POSTs are held"
    problems = Problems(f"SIGKILL of the {victim} ({note})")
    tf.write(
        DATA
        + app_block("first", first)
        + app_block("second", second)
        + f"""
resource "sevalla_application_environment_variable" "before" {{
  application_id = sevalla_application.first.id
  key            = "BEFORE"
  value          = "v"
}}

resource "sevalla_application_environment_variable" "unique" {{
  application_id = sevalla_application.first.id
  key            = "{key}"
  value          = "v"
  depends_on     = [sevalla_application_environment_variable.before]
}}

resource "sevalla_application_domain" "unique" {{
  application_id = sevalla_application.second.id
  name           = "{domain}"
  depends_on     = [sevalla_application_environment_variable.before]
}}
"""
    )
    tf.init()
    clean.set_faults(
        targeted=[
            {"method": "POST", "route": route, "commit": True, "hold_ms": 120_000, "skip": skip}
            for route, skip in KILL_ROUTES.values()
        ]
    )
    running = tf.start_apply()
    wait_for(
        running, lambda: clean.stats()["faults"]["targeted"] >= len(KILL_ROUTES), "both POSTs committed", note
    )
    plugins = sevalla_plugins(running.pid)
    if not plugins:
        running.close()
        pytest.fail(f"no provider process found under terraform {running.pid} ({note})")
    for plugin in plugins:
        pids = plugin.provider_pids if victim == "provider" else (plugin.plugin_pid,)
        if victim == "provider" and not plugin.warm:
            problems.add(f"the provider was not started by the warm launcher: {plugin}")
        for pid in pids:
            os.kill(pid, 9)
    clean.clear_faults()
    end_of(running, problems, clean, f"SIGKILL of the {victim}")
    # No provider can put an object in the state after it was killed; the next apply must
    # find the objects the killed one made (the create journal) and adopt them: the same ids,
    # no "has already been taken", no second copy.
    made = {
        obj["id"]
        for obj in clean.object_list()
        if obj["body"].get("key") == key or obj["body"].get("name") == domain
    }
    if len(made) != 2:
        problems.add(f"expected the env var and the domain on the server before the re-apply, found {made}")
    clean.clear_faults()
    result = tf.run("apply", "-auto-approve", "-input=false", "-no-color", expect=(0, 1))
    if result.returncode != 0:
        problems.add("re-apply failed: " + first_errors(result.stdout + result.stderr))
    adopted = {
        str(r.values.get("id"))
        for r in state_resources(tf.show_json())
        if r.address
        in ("sevalla_application_environment_variable.unique", "sevalla_application_domain.unique")
    }
    if adopted != made:
        problems.add(
            f"the re-apply did not adopt the objects the killed run made: state {adopted}, made {made}"
        )
    converge(tf, clean, problems, reapply=False)


# ---------------------------------------------------------------- e. a 3 s outage mid-apply

OUTAGE_APPS = 3
OUTAGE_VARS = 16  # 3 applications + 48 env vars = 51 resources


def test_three_second_outage_mid_apply_of_fifty_resources(tf: Terraform, clean: EmulatorProcess) -> None:
    """Env var creates beyond a seeded count are held; then the emulator is SIGKILLed, stays down
    3 s and comes back on the same port with the same database. The apply must ride it out."""
    rng = seeded("outage")
    apps = names(rng, "outage-app", OUTAGE_APPS)
    passed = rng.randint(10, 30)  # env var creates served before the outage
    note = f"seed {SEED}: outage after {passed} env var creates"
    problems = Problems(f"3 s outage mid-apply ({note})")
    blocks = [app_block(f"app{index}", name) for index, name in enumerate(apps)]
    vars_hcl = "".join(
        f"""
resource "sevalla_application_environment_variable" "app{index}" {{
  for_each       = {{ for i in range({OUTAGE_VARS}) : "VAR_${{i}}" => "value-${{i}}" }}
  application_id = sevalla_application.app{index}.id
  key            = each.key
  value          = each.value
}}
"""
        for index in range(OUTAGE_APPS)
    )
    tf.write(DATA + "".join(blocks) + vars_hcl)
    tf.init()
    clean.set_faults(
        targeted=[
            {
                "method": "POST",
                "route": "/v3/applications/{id}/env-vars",
                "skip": passed,
                "count": 10_000,
                "hold_ms": 120_000,
            }
        ]
    )
    running = tf.start_apply()
    wait_for(
        running, lambda: clean.stats()["faults"]["targeted"] >= 1, f"env var create number {passed + 1}", note
    )
    clean.restart(3.0)  # SIGKILL, 3 s down, back on the same port and file, without faults
    restarted = time.monotonic()
    code = running.wait(OUTAGE_HANG)
    after = time.monotonic() - restarted
    if code is None:
        problems.add(f"the apply still ran {OUTAGE_HANG:g}s after the API came back (a wait without an end)")
        running.interrupt()
        code = running.wait(STOP_GRACE)
        if code is None:
            problems.add(f"... and {STOP_GRACE:g}s after Ctrl-C: killed")
    output = running.output()
    running.close()
    if code is not None and code != 0:
        problems.add(
            f"the apply through the outage failed (exit {code}, {after:.0f}s after the restart): "
            + first_errors(output, 4)
        )
    converge(tf, clean, problems, reapply=code != 0)  # None (killed) included
