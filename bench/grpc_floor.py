"""What one gRPC call costs a Python server on this machine before any provider code runs.

A refresh plan makes five RPCs per resource: ValidateResourceConfig twice (in the validate walk,
and again before planning), UpgradeResourceState, ReadResource and PlanResourceChange. This
serves PlanResourceChange with a handler that only echoes the proposed state -- with `grpc.aio`,
as pyvider serves, and with grpc's thread-pool server -- over TLS on a unix socket, as the plugin
is served, and calls it from another process 10 at a time (Terraform's default parallelism). It
reports the server's CPU per call: the floor under every RPC of the provider.

    .venv/bin/python -m bench.grpc_floor [--calls N]     (make bench-grpc)
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import json
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench.probe import self_signed
from provider.pyvider_patches import PLUGIN_CERTIFICATE_CURVE

RESULTS = Path(__file__).resolve().parent / "results" / "grpc_floor.json"
PARALLEL = 10
SERVERS = ("aio", "threads")
STATE = b"\x81\xa2id\xa4abcd" * 100  # the size of a small resource's state


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _servicer(base: Any, pb: Any) -> Any:
    class Echo(base):  # type: ignore[misc, valid-type]
        def answer(self, request: Any) -> Any:
            response = pb.PlanResourceChange.Response()
            response.planned_state.msgpack = request.proposed_new_state.msgpack
            return response

    return Echo


def serve(kind: str, socket_path: str, cert: bytes, key: bytes) -> None:
    """The server process: serves until stdin says "end", then prints its CPU since "go"."""
    import grpc
    import pyvider.protocols.tfprotov6.protobuf as pb
    from pyvider.protocols.tfprotov6.protobuf import tfplugin6_pb2_grpc as pb_grpc

    echo = _servicer(pb_grpc.ProviderServicer, pb)
    credentials = grpc.ssl_server_credentials([(key, cert)])
    address = f"unix:{socket_path}"

    def measure() -> None:
        sys.stdin.readline()  # go
        started = _cpu()
        sys.stdin.readline()  # end
        print(json.dumps({"cpu_seconds": _cpu() - started}), flush=True)

    if kind == "threads":

        class Threads(echo):  # type: ignore[misc, valid-type]
            def PlanResourceChange(self, request: Any, context: Any) -> Any:  # noqa: N802
                return self.answer(request)

        server = grpc.server(concurrent.futures.ThreadPoolExecutor(PARALLEL))
        pb_grpc.add_ProviderServicer_to_server(Threads(), server)
        server.add_secure_port(address, credentials)
        server.start()
        print("ready", flush=True)
        measure()
        server.stop(None)
        return

    class Aio(echo):  # type: ignore[misc, valid-type]
        async def PlanResourceChange(self, request: Any, context: Any) -> Any:  # noqa: N802
            return self.answer(request)

    async def main() -> None:
        server = grpc.aio.server()
        pb_grpc.add_ProviderServicer_to_server(Aio(), server)
        server.add_secure_port(address, credentials)
        await server.start()
        print("ready", flush=True)
        await asyncio.get_running_loop().run_in_executor(None, measure)
        await server.stop(None)

    asyncio.run(main())


def measure(kind: str, calls: int) -> dict[str, Any]:
    """Server CPU per call for `calls` PlanResourceChange calls, PARALLEL at a time."""
    import grpc
    import pyvider.protocols.tfprotov6.protobuf as pb
    from pyvider.protocols.tfprotov6.protobuf import tfplugin6_pb2_grpc as pb_grpc

    with tempfile.TemporaryDirectory(prefix="grpc-floor-") as directory:
        cert, key = self_signed(PLUGIN_CERTIFICATE_CURVE, "sha256", days=1)
        (Path(directory) / "cert.pem").write_bytes(cert)
        (Path(directory) / "key.pem").write_bytes(key)
        socket_path = str(Path(directory) / "plugin.sock")
        server = subprocess.Popen(
            [sys.executable, "-m", "bench.grpc_floor", "--serve", kind, socket_path, directory],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert server.stdin is not None and server.stdout is not None
        try:
            if server.stdout.readline().strip() != "ready":
                raise RuntimeError(f"the {kind} server did not start")
            channel = grpc.secure_channel(
                f"unix:{socket_path}",
                grpc.ssl_channel_credentials(root_certificates=cert),
                options=[("grpc.ssl_target_name_override", "localhost")],
            )
            stub = pb_grpc.ProviderStub(channel)
            request = pb.PlanResourceChange.Request(type_name="sevalla_application")
            request.prior_state.msgpack = request.proposed_new_state.msgpack = STATE
            for _ in range(50):  # connection, TLS and first-call costs: not what is measured
                stub.PlanResourceChange(request)
            server.stdin.write("go\n")
            server.stdin.flush()

            def call(count: int) -> None:
                for _ in range(count):
                    stub.PlanResourceChange(request)

            started = time.perf_counter()
            workers = [threading.Thread(target=call, args=(calls // PARALLEL,)) for _ in range(PARALLEL)]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
            wall = time.perf_counter() - started
            channel.close()
            server.stdin.write("end\n")
            server.stdin.flush()
            cpu = float(json.loads(server.stdout.readline())["cpu_seconds"])
        finally:
            server.stdin.close()
            server.wait(timeout=30)
    made = calls // PARALLEL * PARALLEL
    return {"server": kind, "calls": made, "wall_seconds": wall, "server_cpu_seconds": cpu,
            "server_cpu_us_per_call": 1e6 * cpu / made}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=4000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--serve", nargs=3, metavar=("KIND", "SOCKET", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        kind, socket_path, directory = args.serve
        serve(
            kind,
            socket_path,
            (Path(directory) / "cert.pem").read_bytes(),
            (Path(directory) / "key.pem").read_bytes(),
        )
        return 0
    rows = [measure(kind, args.calls) for _ in range(args.rounds) for kind in SERVERS]
    print(f"{'server':8} {'calls':>6} {'wall':>7} {'server CPU':>11} {'per call':>9}")
    for row in rows:
        print(f"{row['server']:8} {row['calls']:>6} {row['wall_seconds']:>6.2f}s "
              f"{row['server_cpu_seconds']:>10.3f}s {row['server_cpu_us_per_call']:>7.0f}µs")  # fmt: skip
    for kind in SERVERS:
        per_call = sorted(row["server_cpu_us_per_call"] for row in rows if row["server"] == kind)
        print(f"{kind}: median {per_call[len(per_call) // 2]:.0f} µs of server CPU per call; "
              f"a refresh plan's 5 calls per resource: {5 * per_call[len(per_call) // 2] / 1000:.2f} ms")  # fmt: skip
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"parallel": PARALLEL, "rows": rows}, indent=2) + "\n")
    print(f"wrote {RESULTS.relative_to(Path.cwd()) if RESULTS.is_relative_to(Path.cwd()) else RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
