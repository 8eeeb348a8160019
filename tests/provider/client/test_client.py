"""The client against respx-mocked HTTP: error mapping, pagination, headers."""

from __future__ import annotations

import httpx
import pytest
import respx

from provider.client import (
    NotFoundError,
    RateLimitedError,
    ServerError,
    SevallaClient,
    TransportError,
    UnauthorizedError,
    ValidationError,
)
from provider.client.kinds import APPLICATION, APPLICATION_DOMAIN, CLUSTERS, DATABASE, RESTART, Kind, Read
from provider.client.waiting import DeadlineExceeded, operation_deadline
from provider.settings import ProviderSettings

BASE = "https://api.test/v3"
X = Kind("x", "x", read=Read.SINGLETON)  # any object: the path "x"
X_ITEM = Kind("x item", "x")  # "x/<id>"


@pytest.fixture
def client() -> SevallaClient:
    """No retries: these tests check how one answer is decoded (test_resilience.py retries)."""
    settings = ProviderSettings(api_key="secret", api_url=BASE, retry_attempts=0, rate_limit_enabled=False)
    return SevallaClient(settings, user_agent="terraform-provider-sevalla/test")


@respx.mock
async def test_sends_auth_and_user_agent(client: SevallaClient) -> None:
    route = respx.get(f"{BASE}/applications/a1").respond(200, json={"id": "a1"})
    assert await client.requester.get(APPLICATION.ref("a1")) == {"id": "a1"}
    request = route.calls.last.request
    assert request.headers["authorization"] == "Bearer secret"
    assert request.headers["user-agent"] == "terraform-provider-sevalla/test"


@respx.mock
async def test_validation_error_keeps_message_fields_and_request_id(client: SevallaClient) -> None:
    respx.post(f"{BASE}/applications").respond(
        422,
        headers={"x-request-id": "req-42"},
        json={
            "message": "Validation failed",
            "status": 422,
            "data": {
                "code": "INVALID_INPUT",
                "message": "display_name is required",
                "fields": {"display_name": ["is required"]},
            },
        },
    )
    with pytest.raises(ValidationError) as caught:
        await client.create(APPLICATION.collection(), {})
    error = caught.value
    assert (error.status, error.message, error.request_id) == (422, "Validation failed", "req-42")
    assert error.detail == "display_name is required"
    assert error.fields == {"display_name": ["is required"]}
    assert "req-42" in str(error)


@respx.mock
@pytest.mark.parametrize(
    ("status", "error_type"),
    [(401, UnauthorizedError), (404, NotFoundError), (500, ServerError), (503, ServerError)],
)
async def test_status_maps_to_exception(client: SevallaClient, status: int, error_type: type) -> None:
    respx.get(f"{BASE}/x").respond(status, json={"message": "nope", "status": status})
    with pytest.raises(error_type):
        await client.requester.get(X.ref())


@respx.mock
async def test_non_json_error_body(client: SevallaClient) -> None:
    respx.get(f"{BASE}/x").respond(502, text="<html>bad gateway</html>")
    with pytest.raises(ServerError) as caught:
        await client.requester.get(X.ref())
    assert caught.value.message == "unexpected status code 502 (a text/plain answer, not JSON)"


@respx.mock
async def test_rate_limited_carries_the_reset(client: SevallaClient) -> None:
    respx.get(f"{BASE}/x").respond(
        429, headers={"x-ratelimit-reset": "7", "retry-after": "9"}, json={"message": "slow"}
    )
    # A 429 is waited out within the call's deadline; one that would pass it ends the call at
    # once, with the 429 (and its reset) as the cause.
    with operation_deadline(3), pytest.raises(DeadlineExceeded, match="slow") as caught:
        await client.requester.get(X.ref())
    cause = caught.value.__cause__
    assert isinstance(cause, RateLimitedError) and cause.retry_after == 7


@respx.mock
async def test_connection_error_is_a_transport_error(client: SevallaClient) -> None:
    respx.get(f"{BASE}/x").mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(TransportError):
        await client.requester.get(X.ref())


@respx.mock
async def test_list_all_follows_pages(client: SevallaClient) -> None:
    items = [{"id": str(i)} for i in range(230)]

    def page(request: httpx.Request) -> httpx.Response:
        offset, limit = int(request.url.params["offset"]), int(request.url.params["limit"])
        return httpx.Response(
            200, json={"data": items[offset : offset + limit], "total": 230, "offset": offset, "limit": limit}
        )

    route = respx.get(f"{BASE}/applications").mock(side_effect=page)
    assert await client.list_all(APPLICATION.collection()) == items
    assert [call.request.url.params["offset"] for call in route.calls] == ["0", "100", "200"]


@respx.mock
async def test_list_all_accepts_a_bare_array(client: SevallaClient) -> None:
    route = respx.get(f"{BASE}/resources/clusters").respond(200, json=[{"id": "c1"}])
    assert await client.list_all(CLUSTERS.collection()) == [{"id": "c1"}]
    assert route.call_count == 1


@respx.mock
async def test_no_content(client: SevallaClient) -> None:
    respx.delete(f"{BASE}/x/1").respond(204)
    assert await client.delete(X_ITEM.ref("1")) is None


@respx.mock
async def test_start_posts_an_operation_route_of_the_kind(client: SevallaClient) -> None:
    route = respx.post(f"{BASE}/databases/d1/restart").respond(
        200, json={"message": "Database restart started"}
    )
    assert await client.start(DATABASE.ref("d1"), RESTART) == {"message": "Database restart started"}
    assert route.call_count == 1
    with pytest.raises(ValueError):  # not declared for applications: never sent
        await client.start(APPLICATION.ref("a1"), RESTART)


@respx.mock
async def test_switch_posts_its_route(client: SevallaClient) -> None:
    (switch,) = APPLICATION.switches
    route = respx.post(f"{BASE}/applications/a1/activate").mock(
        return_value=httpx.Response(200, json={"message": "Application activation started"})
    )
    assert await client.switch(APPLICATION.ref("a1"), switch, False) == {
        "message": "Application activation started"
    }
    assert route.call_count == 1
    with pytest.raises(ValueError):
        await client.switch(APPLICATION_DOMAIN.ref("a1", "d1"), APPLICATION_DOMAIN.switches[1], False)


def test_the_command_a_process_served_is_told_by_its_rpcs() -> None:
    from provider.client.metrics import command_of

    assert command_of({"PlanResourceChange": 3, "ReadResource": 3}, {}) == "plan"
    assert command_of({"ApplyResourceChange": 2}, {"create": 2}) == "apply"
    assert command_of({"ApplyResourceChange": 2}, {"delete": 2}) == "destroy"
    assert command_of({"ListResource": 1}, {}) == "query"
    assert command_of({"ImportResourceState": 1, "ReadResource": 1}, {}) == "import"
    assert command_of({"GetProviderSchema": 1, "ValidateResourceConfig": 4}, {}) == "other"
