"""The actions (resources/actions.py) against scripted API answers (respx): progress lines in the
order the statuses come, the error after them, nothing sent for a state already there, and a
closed invocation cancels its work."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from pyvider.actions import ActionContext, ActionProgress

from provider import handlers
from provider.client import SevallaClient
from provider.settings import ProviderSettings
from resources import _base, actions
from resources.actions import (
    ApplicationConfig,
    ApplicationDeploy,
    ApplicationSuspend,
    DatabaseConfig,
    DatabaseRestart,
    DeployConfig,
    SevallaAction,
)

BASE = "https://api.test/v3"


@pytest.fixture
def client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SevallaClient]:
    monkeypatch.setenv("SEVALLA_DISK_CACHE_DIR", str(tmp_path))
    made = SevallaClient(
        ProviderSettings(api_key="k", api_url=BASE, rate_limit_enabled=False), user_agent="t"
    )
    for module in (_base, actions, handlers):
        monkeypatch.setattr(module, "get_client", lambda: made)
    monkeypatch.setattr(actions, "FIRST_POLL", 0.01)
    monkeypatch.setattr(actions, "POLL", 0.01)
    yield made


async def run(action: SevallaAction, config: Any) -> tuple[list[str], Exception | None]:
    lines: list[str] = []
    try:
        async for progress in action.invoke(ActionContext(action_type="t", config=config)):
            lines.append(progress.message)
    except Exception as exc:
        return lines, exc
    return lines, None


def deployment(status: str) -> httpx.Response:
    return httpx.Response(200, json={"id": "dep1", "app_id": "a1", "status": status})


@respx.mock
async def test_deploy_reports_each_status_once_and_ends_at_success(client: SevallaClient) -> None:
    post = respx.post(f"{BASE}/applications/a1/deployments").respond(
        201, json={"id": "dep1", "status": "waiting"}
    )
    statuses = ("waiting", "waiting", "building", "building", "deploying", "success")
    respx.get(f"{BASE}/applications/a1/deployments/dep1").mock(side_effect=[deployment(s) for s in statuses])
    lines, error = await run(ApplicationDeploy(), DeployConfig(application_id="a1", branch="main"))
    assert error is None
    assert lines == [
        "Deployment dep1 of application a1 started",
        "Deployment dep1: waiting",
        "Deployment dep1: building",
        "Deployment dep1: deploying",
        "Deployment dep1: success",
    ]
    assert post.calls.last.request.content == b'{"is_restart":false,"branch":"main"}'


@respx.mock
async def test_a_failed_deployment_is_an_error_after_its_progress(client: SevallaClient) -> None:
    respx.post(f"{BASE}/applications/a1/deployments").respond(201, json={"id": "dep1", "status": "waiting"})
    respx.get(f"{BASE}/applications/a1/deployments/dep1").mock(
        side_effect=[deployment("building"), deployment("failed")]
    )
    lines, error = await run(ApplicationDeploy(), DeployConfig(application_id="a1"))
    assert lines[-1] == "Deployment dep1: failed"
    assert "Deployment dep1 of application a1 ended 'failed'" in str(error)


@respx.mock
async def test_a_state_already_there_sends_nothing(client: SevallaClient) -> None:
    respx.get(f"{BASE}/applications/a1").respond(
        200, json={"id": "a1", "display_name": "App", "is_suspended": True, "status": "suspended"}
    )
    suspend = respx.post(f"{BASE}/applications/a1/suspend")
    lines, error = await run(ApplicationSuspend(), ApplicationConfig(application_id="a1"))
    assert error is None and not suspend.called
    assert lines == ["The application a1 ('App') is already suspended: nothing to do"]


@respx.mock
async def test_the_timeout_names_the_object_and_its_status(client: SevallaClient) -> None:
    respx.post(f"{BASE}/databases/d1/restart").respond(200, json={"message": "Database restart started"})
    respx.get(f"{BASE}/databases/d1").respond(200, json={"id": "d1", "status": "updating"})
    lines, error = await run(DatabaseRestart(), DatabaseConfig(database_id="d1", timeout="100ms"))
    assert lines == ["The database d1: restart requested", "The database d1: updating"]
    assert "The database d1 is still 'updating'" in str(error) and "Raise `timeout`" in str(error)


@respx.mock
async def test_closing_the_invocation_cancels_its_work(client: SevallaClient) -> None:
    respx.post(f"{BASE}/applications/a1/deployments").respond(201, json={"id": "dep1", "status": "waiting"})
    respx.get(f"{BASE}/applications/a1/deployments/dep1").mock(return_value=deployment("building"))
    stream = ApplicationDeploy().invoke(
        ActionContext(action_type="t", config=DeployConfig(application_id="a1"))
    )
    first = await anext(stream)
    assert isinstance(first, ActionProgress) and "started" in first.message
    polls = respx.calls.call_count
    await stream.aclose()
    await asyncio.sleep(0.05)
    assert respx.calls.call_count <= polls + 1, "no polling after the invocation closed"


async def test_validation_names_the_attribute() -> None:
    problems = await DatabaseRestart().validate(DatabaseConfig(database_id="a/b", timeout="5 minutes"))
    assert problems[0].startswith("Invalid database_id: an id cannot contain '/'")
    assert problems[1].startswith("Invalid timeout")
    assert await DatabaseRestart().validate(None) == []  # values not known yet
