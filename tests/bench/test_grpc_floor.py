"""bench/grpc_floor.py: both servers answer over TLS on a unix socket and report their CPU."""

from __future__ import annotations

from bench import grpc_floor


def test_each_server_reports_its_cpu_per_call() -> None:
    for kind in grpc_floor.SERVERS:
        row = grpc_floor.measure(kind, 20)
        assert row["server"] == kind
        assert row["calls"] == 20
        assert row["server_cpu_seconds"] > 0
        assert row["server_cpu_us_per_call"] == 1e6 * row["server_cpu_seconds"] / 20
