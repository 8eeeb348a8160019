"""Time helpers: the emulator derives statuses from stored timestamps, never from background tasks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

Clock = Callable[[], float]


def iso_timestamp(epoch_seconds: float) -> str:
    """ISO-8601 UTC with milliseconds and a Z, the format the real API returns."""
    moment = dt.datetime.fromtimestamp(epoch_seconds, tz=dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
