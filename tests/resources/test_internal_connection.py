"""sevalla_database_internal_connection: target_type read back as the configuration spells it."""

from __future__ import annotations

import pytest

from resources.database_internal_connection import InternalConnectionState


@pytest.mark.parametrize(
    ("api", "kept", "expected"),
    [
        ("appResource", None, "app"),  # the API's spelling, on import
        ("dbResource", None, "database"),
        ("appResource", "app", "app"),
        ("appResource", "appResource", "app"),  # a state written with the API's spelling
        ("app", "app", "app"),  # an API answering as the create was sent
        ("database", None, "database"),
    ],
)
def test_target_type_reads_as_configured(api: str, kept: str | None, expected: str) -> None:
    prior = None
    if kept is not None:
        prior = InternalConnectionState(id="c", database_id="d", target_id="t", target_type=kept)
    body = {"id": "c", "target_id": "t", "target_type": api, "source_type": "database"}
    state = InternalConnectionState.from_api(body, prior, database_id="d")
    assert state.target_type == expected
