"""Malformed answers: a clear error naming method, path, status and request id, never an
AttributeError in a resource, never "could not be reached", never a silent empty list."""

from __future__ import annotations

import functools
import time

import httpx
import pytest
import respx

from provider.client import UnexpectedAnswerError
from provider.client.kinds import APPLICATION, APPLICATION_ENV_VAR, Kind, Read
from provider.diagnostics import to_terraform_error
from tests.provider.client.support import BASE, made_up_api_client

RID = {"x-request-id": "req-42"}
X = Kind("x", "x", read=Read.SINGLETON)


make_client = functools.partial(made_up_api_client, retry_attempts=1)


@respx.mock
@pytest.mark.parametrize(
    ("answer", "problem"),
    [
        (
            httpx.Response(200, text="<html>hello</html>", headers={**RID, "content-type": "text/html"}),
            "not JSON",
        ),
        (httpx.Response(200, json=[{"id": "a"}], headers=RID), "expected a JSON object, got a list"),
        (httpx.Response(200, content=b"", headers=RID), "the body is empty"),
        (httpx.Response(200, json="ok", headers=RID), "got a string"),
    ],
)
async def test_object_read_with_a_malformed_answer(answer: httpx.Response, problem: str) -> None:
    route = respx.get(f"{BASE}/applications/a").mock(return_value=answer)
    with pytest.raises(UnexpectedAnswerError) as caught:
        await make_client().requester.get(APPLICATION.ref("a"))
    message = str(caught.value)
    assert problem in message
    assert "GET applications/a answered 200" in message and "req-42" in message
    assert route.call_count == 2, "retried like a 5xx (GET is idempotent)"
    diagnostic = to_terraform_error("read application", caught.value)
    assert "could not be reached" not in str(diagnostic.context.get("terraform.summary"))  # type: ignore[attr-defined]


@respx.mock
async def test_list_with_an_empty_or_wrong_body_is_an_error_not_an_empty_list() -> None:
    respx.get(f"{BASE}/applications").mock(
        side_effect=[httpx.Response(200, content=b""), httpx.Response(200, json={"items": []})]
    )
    with pytest.raises(UnexpectedAnswerError, match="empty|expected a list"):
        await make_client().list_all(APPLICATION.collection())


@respx.mock
async def test_create_answered_with_a_list_is_reconciled_not_an_attribute_error() -> None:
    now = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
    respx.post(f"{BASE}/applications/a/env-vars").respond(201, json=[{"weird": True}])
    respx.get(f"{BASE}/applications/a/env-vars").respond(
        200, json={"data": [{"id": "e1", "key": "K", "created_at": now}], "total": 1}
    )
    created = await make_client().create(APPLICATION_ENV_VAR.collection("a"), {"key": "K"})
    assert created["id"] == "e1", "the object may exist: found, not created twice"


@respx.mock
async def test_create_without_an_id_that_made_nothing_fails_clearly() -> None:
    post = respx.post(f"{BASE}/applications/a/env-vars").respond(201, json={"key": "K"}, headers=RID)
    respx.get(f"{BASE}/applications/a/env-vars").respond(200, json={"data": [], "total": 0})
    with pytest.raises(UnexpectedAnswerError, match="the created object has no id.*req-42"):
        await make_client(retry_attempts=1).create(APPLICATION_ENV_VAR.collection("a"), {"key": "K"})
    assert post.call_count == 2, "nothing was there: tried again, within the retry budget"


@respx.mock
async def test_absurd_rate_limit_headers_do_not_break_pacing() -> None:
    respx.get(f"{BASE}/x").respond(
        200,
        json={},
        headers={"x-ratelimit-remaining": "3", "x-ratelimit-reset": "nan", "x-ratelimit-limit": "0"},
    )
    client = make_client(rate_limit_enabled=True)
    for _ in range(3):
        assert await client.requester.get(X.ref(), fresh=True) == {}
