"""Webhooks: CRUD with a generated secret, toggle, roll-secret, deliveries, validation."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from emulator.testing import FakeClock, InProcessEmulator

HOOK = {"endpoint": "https://hooks.example.com/sevalla", "allowed_events": ["APP_DEPLOY"]}


async def test_webhook_crud(emulator: InProcessEmulator) -> None:
    response = await emulator.api.post("/webhooks", json={**HOOK, "description": "deploys"})
    assert response.status_code == 201, response.text
    hook = response.json()
    assert hook["is_enabled"] is True and hook["secret"].startswith("whsec_")
    assert (hook["old_secret"], hook["old_secret_expired_at"], hook["updated_by"]) == (None, None, None)
    assert hook["created_by"] and hook["company_id"] and hook["description"] == "deploys"

    url = f"/webhooks/{hook['id']}"
    patched = await emulator.api.patch(
        url, json={"allowed_events": ["APP_CREATE", "APP_DELETE"], "description": None}
    )
    body = patched.json()
    assert body["allowed_events"] == ["APP_CREATE", "APP_DELETE"] and body["description"] is None
    assert body["secret"] == hook["secret"] and body["updated_by"]
    listed = (await emulator.api.get("/webhooks")).json()
    assert listed["total"] == 1 and "secret" not in listed["data"][0]
    deliveries = (await emulator.api.get(f"{url}/deliveries")).json()
    assert deliveries == {"data": [], "total": 0, "offset": 0, "limit": 25}
    assert (await emulator.api.delete(url)).status_code == 204
    assert (await emulator.api.get(url)).status_code == 404
    assert (await emulator.api.post(f"{url}/toggle")).status_code == 404


async def test_webhook_toggle_and_roll_secret(
    start_emulator: Callable[..., Awaitable[InProcessEmulator]],
) -> None:
    clock = FakeClock()
    emulator = await start_emulator(clock=clock)
    hook = (await emulator.api.post("/webhooks", json=HOOK)).json()
    url = f"/webhooks/{hook['id']}"
    assert (await emulator.api.post(f"{url}/toggle")).json()["is_enabled"] is False
    assert (await emulator.api.get(url)).json()["is_enabled"] is False
    assert (await emulator.api.post(f"{url}/toggle")).json()["is_enabled"] is True

    rolled = (await emulator.api.post(f"{url}/roll-secret", json={"expire_in_hours": 2})).json()
    assert rolled["old_secret"] == hook["secret"] and rolled["secret"] != hook["secret"]
    assert rolled["old_secret_expired_at"] > rolled["updated_at"]
    at_once = (await emulator.api.post(f"{url}/roll-secret", json={"expire_in_hours": 0})).json()
    assert at_once["old_secret"] is None and at_once["secret"] not in (hook["secret"], rolled["secret"])
    too_long = await emulator.api.post(f"{url}/roll-secret", json={"expire_in_hours": 25})
    assert too_long.json()["data"]["fields"] == {"expire_in_hours": ["must be at most 24"]}


async def test_webhook_validation(unlimited: InProcessEmulator) -> None:
    missing = await unlimited.api.post("/webhooks", json={})
    assert set(missing.json()["data"]["fields"]) == {"endpoint", "allowed_events"}
    for endpoint, problem in (
        ("ftp://example.com", "must be an http:// or https:// URL"),
        ("https://localhost/x", "The provided endpoint is not allowed"),
        ("http://10.0.0.7/hook", "The provided endpoint is not allowed"),
    ):
        response = await unlimited.api.post("/webhooks", json={**HOOK, "endpoint": endpoint})
        assert response.json()["data"]["fields"] == {"endpoint": [problem]}, endpoint
    bad_event = await unlimited.api.post("/webhooks", json={**HOOK, "allowed_events": [""]})
    assert list(bad_event.json()["data"]["fields"]) == ["allowed_events[0]"]
    # Event names are not documented: any is kept as sent.
    events = ["deployment.created", "APP_EXPLODE"]
    odd = await unlimited.api.post("/webhooks", json={**HOOK, "allowed_events": events})
    assert odd.status_code == 201 and odd.json()["allowed_events"] == events
    assert (await unlimited.api.delete(f"/webhooks/{odd.json()['id']}")).status_code in (200, 204)
    empty = await unlimited.api.post("/webhooks", json={**HOOK, "allowed_events": []})
    assert empty.json()["data"]["fields"] == {"allowed_events": ["must have at least 1 item(s)"]}
    for _ in range(10):
        assert (await unlimited.api.post("/webhooks", json=HOOK)).status_code == 201
    eleventh = await unlimited.api.post("/webhooks", json=HOOK)
    assert eleventh.status_code == 422 and "at most 10 webhooks" in eleventh.text
