"""A real `WarmServer` (real sockets, real forks) whose children run a stand-in, not pyvider.

    python -m tests.warm.fake_server --dir D --key K [--idle S] [--stale-after S] [--no-spare]

The child's behaviour comes from the environment the launcher hands over (`FAKE_BEHAVIOUR`):
`echo` prints argv, cwd and the FAKE_* / SEVALLA_* variables as JSON and exits `FAKE_EXIT`;
`sleep` prints its pid and sleeps; `term` prints its pid and exits 42 on SIGTERM. A spare's work
ahead (`WarmServer.ahead`) records its pid, which `echo` reports as `ahead_pid`.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time

from warm.server import WarmServer, log

AHEAD: list[int] = []  # the pid that did the work ahead, in this (forked) process


def fake_ahead() -> None:
    AHEAD.append(os.getpid())


def fake_target() -> None:
    behaviour = os.environ.get("FAKE_BEHAVIOUR", "echo")
    if behaviour == "echo":
        report = {
            "ahead_pid": AHEAD[-1] if AHEAD else None,
            "pid": os.getpid(),
            "argv": sys.argv,
            "cwd": os.getcwd(),
            "env": {k: v for k, v in os.environ.items() if k.startswith(("FAKE_", "SEVALLA_"))},
            "stdin": sys.stdin.readline().strip(),
        }
        print(json.dumps(report), flush=True)
        sys.stderr.write("to stderr\n")
        raise SystemExit(int(os.environ.get("FAKE_EXIT", "0")))
    if behaviour == "term":
        signal.signal(signal.SIGTERM, lambda *_: os._exit(42))
    print(os.getpid(), flush=True)
    time.sleep(60)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--idle", type=float, default=60)
    parser.add_argument("--stale-after", type=float, default=None)
    parser.add_argument("--no-spare", action="store_true")
    args = parser.parse_args()
    started = time.monotonic()

    def current_key() -> str:
        if args.stale_after is not None and time.monotonic() - started >= args.stale_after:
            return "changed"
        return args.key

    server = WarmServer(
        key=args.key,
        version="test",
        idle_seconds=args.idle,
        directory=args.dir,
        target=fake_target,
        current_key=current_key,
        spares=not args.no_spare,
        ahead=fake_ahead,
    )
    if not server.acquire_lock():
        return 3
    server.remove_dead_servers()
    signal.signal(signal.SIGTERM, lambda *_: setattr(server, "stop_requested", True))
    server.bind()
    server.prepare_spare()
    log("ready")
    try:
        return server.serve_forever()
    finally:
        server.stop_listening()


if __name__ == "__main__":
    raise SystemExit(main())
