"""Request counters the tests and benchmarks read to prove how many API calls the provider made."""

from __future__ import annotations

from collections import Counter
from typing import Any

# Kinds of injected faults (see emulator.faults), always listed, zero when none happened;
# "targeted" counts the faults of `Target`s (failed, dropped or held requests).
FAULT_KINDS = ("error_5xx", "rate_limit", "drop", "ambiguous_create", "targeted")


class Stats:
    def __init__(self) -> None:
        self.by_route: Counter[str] = Counter()
        self.by_status: Counter[str] = Counter()
        self.faults: Counter[str] = Counter()

    def record(self, method: str, route: str, status: int | str) -> None:
        """`status` is the HTTP status, or "dropped" when the connection was closed unanswered."""
        self.by_route[f"{method} {route}"] += 1
        self.by_status[str(status)] += 1

    def record_fault(self, kind: str) -> None:
        self.faults[kind] += 1

    def reset(self) -> None:
        self.by_route.clear()
        self.by_status.clear()
        self.faults.clear()

    def as_json(self) -> dict[str, Any]:
        return {
            "total": sum(self.by_status.values()),
            "by_route": dict(sorted(self.by_route.items())),
            "by_status": dict(sorted(self.by_status.items())),
            "faults": {kind: self.faults[kind] for kind in FAULT_KINDS},
        }
