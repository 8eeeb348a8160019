"""Settings of one emulator instance: everything a test may want to vary, nothing else."""

from __future__ import annotations

from typing import Any

import attrs

from emulator.faults import Faults

DEFAULT_API_KEY = "emulator-key"
API_KEY_ENV = "SEVALLA_EMULATOR_API_KEY"


@attrs.frozen
class EmulatorSettings:
    """Frozen so one app instance never sees its configuration change under it."""

    api_key: str = DEFAULT_API_KEY
    # SQLite file; ":memory:" keeps everything in the process (in-process tests).
    db_path: str = ":memory:"
    # When False the tiers still count and send headers, but never answer 429.
    rate_limits_enabled: bool = True
    # Length of the "minute" of the per-minute tiers; the hourly tier uses 60 times this.
    rate_window_seconds: float = attrs.field(default=60.0, validator=attrs.validators.gt(0))
    # How long a database stays "creating"/"updating" before it reads as "ready".
    db_ready_delay_seconds: float = attrs.field(default=2.0, validator=attrs.validators.ge(0))
    # How long a deleted database stays "deleting" (in its GET and the list) before it is gone.
    # Small but not zero, so every test that deletes a database waits for it like on the real API.
    db_delete_delay_seconds: float = attrs.field(default=0.3, validator=attrs.validators.ge(0))
    # Injected faults and latency at start-up; `/_emulator/faults` replaces them at run time.
    faults: Faults = attrs.field(factory=Faults)


@attrs.define
class Timing:
    """What a test may change about databases while the emulator runs (`/_emulator/timing`); it
    starts from the settings. A database's transition ends `db_ready_delay_seconds` after it
    started, and a deleted one is gone `db_delete_delay_seconds` after its DELETE, each delay read
    at each request, so a change also moves transitions and deletions already under way.
    A database whose display name is in `db_error_display_names` when it is created or resized
    ends that transition in "error" instead of "ready" (the seeded failure)."""

    db_ready_delay_seconds: float = attrs.field(validator=attrs.validators.ge(0))
    db_delete_delay_seconds: float = attrs.field(default=0.3, validator=attrs.validators.ge(0))
    db_error_display_names: tuple[str, ...] = attrs.field(default=(), converter=tuple)

    def as_json(self) -> dict[str, Any]:
        return {
            "db_ready_delay_seconds": self.db_ready_delay_seconds,
            "db_delete_delay_seconds": self.db_delete_delay_seconds,
            "db_error_display_names": list(self.db_error_display_names),
        }
