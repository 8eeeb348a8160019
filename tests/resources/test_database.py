"""sevalla_database's waits and bodies against scripted API answers (respx): a status the
database does not leave by itself ends a wait at once; a delete waits until the database is gone;
unset nested fields are left out of the create body."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import respx
from pyvider.resources import ResourceContext

from provider.client import SevallaClient
from provider.client.kinds import DATABASE
from provider.settings import ProviderSettings
from resources import _base
from resources import database as database_module
from resources._base import to_wire, wait_for_status, without_nulls
from resources.database import STUCK, Database, DatabaseState

BASE = "https://api.test/v3"
DB = {"id": "d1", "display_name": "My DB", "name": "my-db", "status": "ready"}


@pytest.fixture
def client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SevallaClient]:
    monkeypatch.setenv("SEVALLA_DISK_CACHE_DIR", str(tmp_path))
    made = SevallaClient(
        ProviderSettings(api_key="k", api_url=BASE, rate_limit_enabled=False), user_agent="t"
    )
    for module in (_base, database_module):
        monkeypatch.setattr(module, "get_client", lambda: made)
    yield made


def answers(*statuses: str | None) -> list[httpx.Response]:
    """GET answers: the database in each status in turn; None is a 404."""
    return [
        httpx.Response(404, json={"message": "Not Found", "status": 404})
        if status is None
        else httpx.Response(200, json={**DB, "status": status})
        for status in statuses
    ]


def test_without_nulls_leaves_out_unset_nested_fields_at_any_depth() -> None:
    value = {"enable_cron": None, "enable_vector": True, "deep": {"a": None, "b": [{"c": None, "d": 1}]}}
    assert without_nulls(value) == {"enable_vector": True, "deep": {"b": [{"d": 1}]}}
    assert to_wire({"initial_delay_seconds": None, "http_get": {"path": "/", "port": None}}) == {
        "httpGet": {"path": "/"}
    }


@respx.mock
@pytest.mark.parametrize("stuck", STUCK)
async def test_waiting_for_ready_ends_at_once_on_a_status_it_does_not_leave(
    client: SevallaClient, stuck: str
) -> None:
    get = respx.get(f"{BASE}/databases/d1").mock(side_effect=answers("creating", stuck, "ready"))
    with pytest.raises(Exception) as caught:
        await wait_for_status(
            DATABASE.ref("d1"), ("ready",), within=600, action="wait", interval=0.01, failed=STUCK
        )
    text = str(caught.value)
    assert f"The database d1 ('My DB') is in status {stuck!r}" in text, text
    assert "timeout" not in text
    assert get.call_count == 2, "the wait ends at the status, not after the timeout"


STATE = DatabaseState(
    id="d1", display_name="My DB", type="postgresql", version="16", cluster_id="c", db_name="x",
    db_password="pass", resource_type_id="r",
)  # fmt: skip


@respx.mock
@pytest.mark.parametrize(
    ("statuses", "deletes"),
    [
        # A suspended database is deleted (as by the official provider); the delete returns once
        # the database is gone, after a poll that saw it deleting.
        (("suspended", "deleting", None), 1),
        # One already deleting gets no second DELETE: the wait for it to be gone is all.
        (("deleting", None), 0),
        (("error", None), 1),
    ],
)
async def test_delete_waits_for_a_deletable_status_then_until_gone(
    client: SevallaClient, statuses: tuple[str | None, ...], deletes: int
) -> None:
    get = respx.get(f"{BASE}/databases/d1").mock(side_effect=answers(*statuses))
    delete = respx.delete(f"{BASE}/databases/d1").respond(204)
    await Database()._delete_apply(ResourceContext(state=STATE))
    assert (delete.call_count, get.call_count) == (deletes, len(statuses))


@respx.mock
async def test_create_body_leaves_out_unset_extensions(client: SevallaClient) -> None:
    post = respx.post(f"{BASE}/databases").respond(201, json={**DB, "status": "creating"})
    respx.get(f"{BASE}/databases/d1").mock(side_effect=answers("ready"))
    config = DatabaseState(
        display_name="My DB", type="postgresql", version="16", cluster_id="c", db_name="x",
        db_password="pass", resource_type_id="r", extensions={"enable_vector": True, "enable_cron": None},
    )  # fmt: skip
    await Database()._create_apply(ResourceContext(config=config))
    sent = json.loads(post.calls[0].request.content)
    assert sent["extensions"] == {"enable_vector": True}
    assert None not in sent.values()
