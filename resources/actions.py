"""Actions (Terraform >= 1.14): the imperative operations users ran by hand in Sevalla's console.

`terraform apply -invoke=action.<type>.<name>` runs one; a resource's
`lifecycle { action_trigger { events = [after_create, after_update], actions = [...] } }` runs
it after the resource's change. An action changes no Terraform state: it POSTs one route and
polls the object until the operation shows as done, so the apply ends when the work has.

- `sevalla_application_deploy`, `sevalla_application_restart`: a deployment (built anew, or a
  restart of the last build) watched until it ends, as `sevalla_application_deployment` does;
  `failed`/`cancelled` is an error naming the deployment.
- `sevalla_application_suspend` / `_activate`, `sevalla_database_suspend` / `_activate`: the
  suspension routes of the catalogue (`kinds.SUSPENSION`); one type per verb, because an
  invocation then says what it does (`-invoke=action.sevalla_database_suspend.db`) and a trigger
  lists the one it wants, where a `suspended = true|false` argument would hide the verb in the
  configuration. Already in the wanted state: nothing is sent and the action succeeds, so a
  trigger that fires again does no harm.
- `sevalla_database_restart`: the database's restart route, then `updating` -> `ready`.

Every status change is a progress line, every wait ends at `timeout` or on Terraform's Stop
(`waiting.pause`), and a failure names the object, its id and its status.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any, ClassVar

import attrs
from pyvider.actions import ActionContext, ActionProgress, BaseAction, register_action
from pyvider.common.stop_signal import is_stop_requested
from pyvider.schema import PvsAttribute, PvsSchema, a_str, b_main

from provider.client import SevallaError
from provider.client.kinds import APPLICATION, APPLICATION_DEPLOYMENT, DATABASE, RESTART, Kind, Ref
from provider.client.waiting import DeadlineExceeded, operation_deadline
from provider.diagnostics import reported
from provider.handlers import Gone, id_problems, read_existing
from provider.runtime import get_client
from provider.settings import parse_duration
from resources._base import described, poll_until
from resources.application_deployment import TERMINAL

Report = Callable[[str], None]

# Polls start fast (most operations on the emulator and many on the API end in seconds), then
# settle at the resources' 2 s interval.
FIRST_POLL = 0.5
POLL = 2.0


class ActionFailed(SevallaError):
    """The operation ended in a status it does not leave by itself, or did not end in time."""


@attrs.frozen(kw_only=True)
class ApplicationConfig:
    application_id: str
    timeout: str | None = None


@attrs.frozen(kw_only=True)
class DeployConfig(ApplicationConfig):
    branch: str | None = None


@attrs.frozen(kw_only=True)
class DatabaseConfig:
    database_id: str
    timeout: str | None = None


def _timeout_attribute(default: str) -> PvsAttribute:
    return a_str(
        optional=True,
        description=f'How long to wait for the operation to end, Go duration syntax ("10m"). Default {default}.',
    )


class SevallaAction(BaseAction):  # type: ignore[type-arg]
    """One operation on one object: `run` does it, reporting progress through `report`.

    `invoke` runs `run` as a task bounded by the configured timeout and forwards its progress
    lines as they come (the task's own waits, not the generator's, hold the deadline: a context
    variable must not span a `yield`). Once Terraform asked the provider to stop, no progress line
    is sent, only the end: Terraform 1.15 stops reading the stream at the first event after its
    interrupt, and panics ("range function continued iteration") at any event after that one."""

    id_attribute: ClassVar[str]  # "application_id" / "database_id"
    id_description: ClassVar[str]
    default_timeout: ClassVar[str]
    extra_attributes: ClassVar[dict[str, PvsAttribute]] = {}

    @classmethod
    def get_schema(cls) -> PvsSchema:
        attributes = {
            cls.id_attribute: a_str(required=True, description=cls.id_description),
            "timeout": _timeout_attribute(cls.default_timeout),
            **cls.extra_attributes,
        }
        return PvsSchema(version=0, block=b_main(attributes=attributes))

    async def validate(self, config: Any) -> list[str]:
        if config is None:  # a value not known yet (an id of a resource still to be created)
            return []
        problems = [f"Invalid {name}: {message}" for name, message in id_problems(config)]
        if isinstance(config.timeout, str):
            try:
                parse_duration(config.timeout)
            except ValueError as exc:
                problems.append(f"Invalid timeout: {exc}")
        return problems

    async def run(self, config: Any, report: Report) -> None:
        raise NotImplementedError

    async def _bounded(self, config: Any, report: Report) -> None:
        if config is None:  # Terraform invokes only with every value known
            raise ActionFailed("the action's configuration is not known")
        problems = await self.validate(config)
        if problems:
            raise ActionFailed("; ".join(problems))
        with operation_deadline(parse_duration(config.timeout or self.default_timeout)):
            await self.run(config, report)

    async def invoke(self, ctx: ActionContext[Any]) -> AsyncIterator[ActionProgress]:
        lines: asyncio.Queue[str] = asyncio.Queue()
        work = asyncio.ensure_future(self._bounded(ctx.config, lines.put_nowait))
        line: asyncio.Future[str] | None = None
        try:
            while True:
                line = asyncio.ensure_future(lines.get())
                await asyncio.wait({work, line}, return_when=asyncio.FIRST_COMPLETED)
                if not line.done():
                    line.cancel()
                    break
                if not is_stop_requested():
                    yield ActionProgress(line.result())
            while not lines.empty():
                progress = lines.get_nowait()
                if not is_stop_requested():
                    yield ActionProgress(progress)
            work.result()  # the operation's error, if any
        finally:  # also when Terraform closes the stream early
            work.cancel()
            if line is not None:
                line.cancel()


async def watch(
    ref: Ref, done: Callable[[dict[str, Any]], bool], *, waiting_for: str, report: Report, noun: str
) -> dict[str, Any]:
    """Poll the object (`poll_until`, within what is left of the action's timeout) until `done`,
    reporting each status it shows. Gone is an error; so is the timeout, naming the object."""
    last: list[Any] = [None]

    def arrived(found: dict[str, Any] | None) -> bool:
        if found is None:
            raise Gone(f"{noun} is gone (waiting for {waiting_for}).")
        if found.get("status") != last[0]:
            last[0] = found.get("status")
            report(f"{noun}: {last[0]}")
        return done(found)

    action = f"wait for {waiting_for}"
    try:
        body = await poll_until(
            ref,
            arrived,
            action=action,
            waiting_for=waiting_for,
            interval=POLL,
            first_interval=FIRST_POLL,
        )
    except Exception as exc:
        if isinstance(exc.__cause__, DeadlineExceeded):
            raise ActionFailed(
                f"{noun} is still {last[0]!r} (waiting for {waiting_for}) when the action's timeout "
                "ran out. Raise `timeout` in the action's config; the operation itself goes on in Sevalla."
            ) from exc
        raise
    assert body is not None  # `arrived` raises Gone
    return body


# --- deployments ----------------------------------------------------------------------------------


async def deploy(application_id: str, body: dict[str, Any], report: Report) -> None:
    """POST a deployment and watch it to its end (sevalla_application_deployment's statuses)."""
    with reported("deploy application"):
        created = await get_client().create(APPLICATION_DEPLOYMENT.collection(application_id), body)
    deployment_id = str(created["id"])
    noun = f"Deployment {deployment_id}"
    report(f"{noun} of application {application_id} started")
    finished = await watch(
        APPLICATION_DEPLOYMENT.ref(application_id, deployment_id),
        lambda found: found.get("status") in TERMINAL,
        waiting_for="the deployment to end",
        report=report,
        noun=noun,
    )
    if finished.get("status") != "success":
        raise ActionFailed(
            f"{noun} of application {application_id} ended {finished.get('status')!r}. "
            "See its logs in Sevalla."
        )


@register_action("sevalla_application_deploy")
class ApplicationDeploy(SevallaAction):
    """Deploys an application: builds its default branch (or `branch`) anew and waits until the
    deployment ends. Each status it goes through is a progress line; `failed` or `cancelled` is an
    error naming the deployment and its status."""

    config_class = DeployConfig
    id_attribute = "application_id"
    id_description = "Application to deploy."
    default_timeout = "30m"
    extra_attributes = {
        "branch": a_str(
            optional=True, description="Branch to deploy. Default: the application's default branch."
        )
    }

    async def run(self, config: DeployConfig, report: Report) -> None:
        body: dict[str, Any] = {"is_restart": False}
        if config.branch is not None:
            body["branch"] = config.branch
        await deploy(config.application_id, body, report)


@register_action("sevalla_application_restart")
class ApplicationRestart(SevallaAction):
    """Restarts an application: a deployment of its last build (the API's `is_restart`), waited
    for like a deploy (`failed` or `cancelled` is an error naming the deployment)."""

    config_class = ApplicationConfig
    id_attribute = "application_id"
    id_description = "Application to restart."
    default_timeout = "30m"

    async def run(self, config: ApplicationConfig, report: Report) -> None:
        await deploy(config.application_id, {"is_restart": True}, report)


# --- suspension -----------------------------------------------------------------------------------


async def turn_suspension(kind: Kind, object_id: str, suspended: bool, report: Report) -> None:
    """Send the kind's suspend or activate route unless the object already shows `suspended`,
    then watch it until it does (and is no longer busy)."""
    (switch,) = [switch for switch in kind.switches if switch.field == "is_suspended"]
    ref = kind.ref(object_id)

    def shown(found: dict[str, Any]) -> bool:
        return switch.shows(found, suspended)

    word = "suspended" if suspended else "active"
    current = await read_existing(f"read {kind.name}", ref, fresh=True)
    noun = described(ref, current)
    if shown(current):
        report(f"{noun} is already {word}: nothing to do")
        return
    route = switch.route(suspended)
    with reported(f"{route} {kind.name}"):
        await get_client().switch(ref, switch, suspended)
    report(f"{noun}: {route} requested")
    await watch(ref, shown, waiting_for=f"it to be {word}", report=report, noun=noun)
    report(f"{noun} is {word}")


class SuspensionAction(SevallaAction):
    kind: ClassVar[Kind]
    suspended: ClassVar[bool]
    default_timeout = "10m"

    async def run(self, config: Any, report: Report) -> None:
        await turn_suspension(self.kind, getattr(config, self.id_attribute), self.suspended, report)


@register_action("sevalla_application_suspend")
class ApplicationSuspend(SuspensionAction):
    """Suspends an application (it stops serving) and waits until it shows as suspended. One
    already suspended is left alone: the action succeeds without a request."""

    config_class = ApplicationConfig
    id_attribute = "application_id"
    id_description = "Application to suspend."
    kind = APPLICATION
    suspended = True


@register_action("sevalla_application_activate")
class ApplicationActivate(SuspensionAction):
    """Activates a suspended application and waits until it shows as active. One already active
    is left alone: the action succeeds without a request."""

    config_class = ApplicationConfig
    id_attribute = "application_id"
    id_description = "Application to activate."
    kind = APPLICATION
    suspended = False


@register_action("sevalla_database_suspend")
class DatabaseSuspend(SuspensionAction):
    """Suspends a database and waits until it shows as suspended. One already suspended is left
    alone: the action succeeds without a request."""

    config_class = DatabaseConfig
    id_attribute = "database_id"
    id_description = "Database to suspend."
    kind = DATABASE
    suspended = True


@register_action("sevalla_database_activate")
class DatabaseActivate(SuspensionAction):
    """Activates a suspended database and waits until it is active and no longer `updating`. One
    already active is left alone: the action succeeds without a request."""

    config_class = DatabaseConfig
    id_attribute = "database_id"
    id_description = "Database to activate."
    kind = DATABASE
    suspended = False


# --- database restart -----------------------------------------------------------------------------


@register_action("sevalla_database_restart")
class DatabaseRestart(SevallaAction):
    """Restarts a database and waits until it is `ready` again (it goes through `updating`); a
    database that ends in `error` is an error naming it. The API restarts only a database that
    is `ready` (or in an error status), not one suspended or busy."""

    config_class = DatabaseConfig
    id_attribute = "database_id"
    id_description = "Database to restart."
    default_timeout = "10m"

    async def run(self, config: DatabaseConfig, report: Report) -> None:
        ref = DATABASE.ref(config.database_id)
        with reported("restart database"):
            await get_client().start(ref, RESTART)
        noun = f"The database {config.database_id}"
        report(f"{noun}: restart requested")
        ready = await watch(
            ref,
            lambda found: found.get("status") in ("ready", "error"),
            waiting_for="it to be ready",
            report=report,
            noun=noun,
        )
        if ready.get("status") != "ready":
            raise ActionFailed(
                f"{described(ref, ready)} is in status {ready.get('status')!r} after its restart: "
                "it does not become ready by itself. See it in Sevalla."
            )
        report(f"{noun} is ready")


ACTIONS: tuple[type[SevallaAction], ...] = (
    ApplicationDeploy,
    ApplicationRestart,
    ApplicationSuspend,
    ApplicationActivate,
    DatabaseSuspend,
    DatabaseActivate,
    DatabaseRestart,
)
