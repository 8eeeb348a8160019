"""Changes that take effect later: an action route stores them with the time they are due, and
every read folds in those that are due (no task, no wall clock: the request's `ctx.now`).

The delay is the database ready delay (settings or `/_emulator/timing`), so one knob moves every
asynchronous change of the emulator.
"""

from __future__ import annotations

from typing import Any

from emulator.clock import iso_timestamp
from emulator.crud import Context
from emulator.errors import invalid_field
from emulator.store import Body

PENDING = "_pending"


def current(ctx: Context, body: Body) -> Body:
    """`body` with its pending change applied if it is due (a copy; the store is not written)."""
    pending = body.get(PENDING)
    if not pending or ctx.now < pending["at"]:
        return body
    folded = {key: value for key, value in body.items() if key != PENDING}
    folded.update(pending["changes"])
    return folded


def under_way(ctx: Context, body: Body) -> bool:
    pending = body.get(PENDING)
    return pending is not None and ctx.now < pending["at"]


def refuse_if_under_way(ctx: Context, body: Body, label: str) -> None:
    if under_way(ctx, body):
        raise invalid_field("status", f"a change to {label} {body['id']} is still under way")


def schedule(ctx: Context, body: Body, changes: dict[str, Any]) -> Body:
    """Store `changes` to take effect after the delay (any earlier due change folded in first)."""
    stored = {**current(ctx, body), "updated_at": iso_timestamp(ctx.now)}
    stored[PENDING] = {"at": ctx.now + ctx.db_ready_delay_seconds, "changes": changes}
    ctx.store.replace(stored["id"], stored)
    return stored
