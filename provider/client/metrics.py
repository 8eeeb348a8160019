"""What the client did, summed up once when the provider shuts down.

The summary is one INFO log line and, when `metrics_file` is set, one JSON line appended
to that file (the benchmarks and `python -m devtools.metrics` read it). Each carries when, which
Terraform, which RPCs the process served and which Terraform command that makes it part of,
so the 3-5 provider processes of one command can be told apart and summed.
"""

from __future__ import annotations

import json
import os
import resource
from collections import Counter
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import attrs


@attrs.define
class ClientMetrics:
    calls: Counter[str] = attrs.field(factory=Counter)  # by HTTP method
    cache_hits: int = 0
    cache_misses: int = 0
    retries: int = 0
    rate_limit_waits: int = 0
    rate_limit_wait_seconds: float = 0.0
    responses_429: int = 0
    breaker_trips: int = 0
    creates_reconciled: int = 0
    creates_adopted: int = 0  # objects of an interrupted earlier create, found by the journal
    shared_reads: int = 0  # GETs answered by a concurrent identical GET (single-flight)
    shared_state_waits: int = 0  # requests that waited for the fleet's window (shared_state_url)
    shared_state_failures: int = 0  # Redis calls that failed or timed out (the local limits decided)
    shared_cache_hits: int = 0  # GETs answered by another process's answer in Redis (shared reads)
    shared_cache_waits: int = 0  # of those, GETs that waited for another process's fetch (single flight)
    in_flight: int = 0
    max_in_flight: int = 0
    operations: Counter[str] = attrs.field(factory=Counter)  # applies: create, update, delete
    routes: Counter[str] = attrs.field(factory=Counter)  # "GET application domains", ...
    # What the provider knows about the process (Terraform's version, the RPCs it served),
    # asked when the summary is made.
    describe: Callable[[], dict[str, Any]] | None = None

    def request_started(self, method: str) -> None:
        self.calls[method] += 1
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)

    def request_finished(self) -> None:
        self.in_flight -= 1

    def waited(self, seconds: float) -> None:
        self.rate_limit_waits += 1
        self.rate_limit_wait_seconds += seconds

    def summary(self) -> dict[str, Any]:
        about = self.describe() if self.describe is not None else {}
        rpcs = about.get("rpcs", {})
        return {
            "timestamp": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            **about,
            "command": command_of(rpcs, self.operations),
            "operations": dict(sorted(self.operations.items())),
            "api_calls": dict(sorted(self.calls.items())),
            "api_calls_total": sum(self.calls.values()),
            "api_calls_by_route": dict(sorted(self.routes.items())),
            "cache_hits": self.cache_hits,
            "cache_misses": self.cache_misses,
            "retries": self.retries,
            "rate_limit_waits": self.rate_limit_waits,
            "rate_limit_wait_seconds": round(self.rate_limit_wait_seconds, 3),
            "responses_429": self.responses_429,
            "breaker_trips": self.breaker_trips,
            "creates_reconciled": self.creates_reconciled,
            "creates_adopted": self.creates_adopted,
            "shared_reads": self.shared_reads,
            "shared_state_waits": self.shared_state_waits,
            "shared_state_failures": self.shared_state_failures,
            "shared_cache_hits": self.shared_cache_hits,
            "shared_cache_waits": self.shared_cache_waits,
            "max_connections_in_use": self.max_in_flight,
            # Peak resident memory of this provider process (Linux reports KiB).
            "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }

    def summary_line(self) -> str:
        s = self.summary()
        calls = " ".join(f"{method}={count}" for method, count in s["api_calls"].items()) or "none"
        rpcs = " ".join(f"{name}={count}" for name, count in s.get("rpcs", {}).items()) or "none"
        return (
            f"sevalla client: {s['command']} (terraform {s.get('terraform_version', 'unknown')}, "
            f"rpcs {rpcs}); api calls {s['api_calls_total']} ({calls}); "
            f"cache hits {s['cache_hits']} misses {s['cache_misses']}; retries {s['retries']}; "
            f"rate-limit waits {s['rate_limit_waits']} ({s['rate_limit_wait_seconds']:.1f}s); "
            f"429s {s['responses_429']}; breaker trips {s['breaker_trips']}; "
            f"creates reconciled {s['creates_reconciled']} adopted {s['creates_adopted']}; "
            f"max connections in use {s['max_connections_in_use']}; peak RSS {s['peak_rss_mib']} MiB"
        )

    def append_json_line(self, path: str) -> None:
        record = {"pid": os.getpid(), **self.summary()}
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, sort_keys=True) + "\n")


def route_of(method: str, ref: Any) -> str:
    """A request's route for the metrics, by kind and not by id: "GET application",
    "GET application domain list", "POST database suspend" (a route of its own)."""
    what = ref.kind.name + (" list" if ref.is_collection else "")
    return f"{method} {what}" + (f" {ref.action}" if ref.action else "")


def command_of(rpcs: Mapping[str, int], operations: Mapping[str, int]) -> str:
    """Which Terraform command a provider process served, from its RPCs: `query` (ListResource),
    `destroy` (applies that only deleted), `apply`, `import`, `plan` (with its refresh), or
    `other` (init, validate: schemas only)."""
    if rpcs.get("ListResource"):
        return "query"
    if rpcs.get("ApplyResourceChange") or rpcs.get("InvokeAction"):
        deleted_only = operations.get("delete") and not (operations.get("create") or operations.get("update"))
        return "destroy" if deleted_only else "apply"
    if rpcs.get("ImportResourceState"):
        return "import"
    if rpcs.get("PlanResourceChange") or rpcs.get("ReadResource") or rpcs.get("ReadDataSource"):
        return "plan"
    return "other"
