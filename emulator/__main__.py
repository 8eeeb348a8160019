"""CLI: `python -m emulator --port 0 --db PATH ...`.

It binds, prints exactly one line on stdout (the base URL, e.g. http://127.0.0.1:43123/v3) so a
parent process can read it, logs to stderr, and exits cleanly on SIGINT/SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import sys
from collections.abc import Callable, Sequence
from typing import Any

from aiohttp import web

from emulator.app import create_app
from emulator.crud import API_PREFIX
from emulator.faults import AMBIGUOUS_MODES, CLI_FLAGS, Faults
from emulator.settings import API_KEY_ENV, DEFAULT_API_KEY, EmulatorSettings

log = logging.getLogger("emulator")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="sevalla-emulator", description="Local emulator of the Sevalla API v3."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port to bind; 0 picks a free one (default)")
    parser.add_argument("--db", default=":memory:", help="SQLite file that keeps objects across restarts")
    parser.add_argument(
        "--api-key",
        default=os.environ.get(API_KEY_ENV, DEFAULT_API_KEY),
        help=f"the accepted bearer key (default: ${API_KEY_ENV}, else {DEFAULT_API_KEY!r})",
    )
    parser.add_argument("--no-rate-limits", action="store_true", help="count and send headers, never 429")
    parser.add_argument("--rate-window-seconds", type=float, default=60.0, help="length of a rate 'minute'")
    parser.add_argument("--db-ready-delay", type=float, default=2.0, help="seconds a database stays creating")
    parser.add_argument(
        "--db-delete-delay", type=float, default=0.3, help="seconds a deleted database stays deleting"
    )
    faults = parser.add_argument_group("fault injection (all off by default; see /_emulator/faults)")
    for field, help_text in _FAULT_HELP.items():
        faults.add_argument(
            CLI_FLAGS[field],
            dest=field,
            type=_FAULT_TYPES.get(field, int),
            choices=AMBIGUOUS_MODES if field == "ambiguous_mode" else None,
            default=getattr(Faults(), field),
            help=help_text,
        )
    parser.add_argument("--log-level", default="INFO", help="stderr log level (default INFO)")
    parser.add_argument("--access-log", action="store_true", help="log every request to stderr")
    args = parser.parse_args(argv)
    try:
        args.faults = Faults(**{field: getattr(args, field) for field in CLI_FLAGS})
    except (TypeError, ValueError) as error:
        parser.error(str(error))
    return args


_FAULT_HELP = {
    "error_5xx_percent": "percent of /v3 requests answered 500/502/503, doing nothing",
    "rate_limit_percent": "percent of /v3 requests answered 429",
    "rate_limit_reset_seconds": "Retry-After of an injected 429 (default 1)",
    "drop_percent": "percent of /v3 requests whose connection is closed unanswered",
    "latency_ms": "delay added before every /v3 request",
    "latency_jitter_ms": "plus a uniform random delay up to this",
    "ambiguous_create_percent": "percent of creates (201) committed, then answered 500 or dropped",
    "ambiguous_mode": "how an ambiguous create fails: error (500, default) or drop",
    "seed": "seed of the fault random stream, for reproducible runs",
    "targeted": "JSON list of targeted faults, e.g. "
    '\'[{"method": "PATCH", "route": "/v3/applications/{id}", "status": 503, "count": 2}]\'',
}


def _json_list(text: str) -> list[Any]:
    value = json.loads(text)
    if not isinstance(value, list):
        raise ValueError("must be a JSON list")
    return value


_FAULT_TYPES: dict[str, Callable[[str], Any]] = {"ambiguous_mode": str, "targeted": _json_list}


async def serve(args: argparse.Namespace) -> None:
    settings = EmulatorSettings(
        api_key=args.api_key,
        db_path=args.db,
        rate_limits_enabled=not args.no_rate_limits,
        rate_window_seconds=args.rate_window_seconds,
        db_ready_delay_seconds=args.db_ready_delay,
        db_delete_delay_seconds=args.db_delete_delay,
        faults=args.faults,
    )
    runner = web.AppRunner(create_app(settings), access_log=log if args.access_log else None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, args.host, args.port)
        await site.start()
        host, port = runner.addresses[0][:2]
        url_host = f"[{host}]" if ":" in host else host
        print(f"http://{url_host}:{port}{API_PREFIX}", flush=True)
        log.info("emulator listening on http://%s:%s (db %s)", url_host, port, args.db)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await stop.wait()
        log.info("emulator stopping")
    finally:
        await runner.cleanup()


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(
        stream=sys.stderr,
        level=args.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    asyncio.run(serve(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
