"""`EmulatorProcess`: the emulator CLI in a child process, for acceptance tests, demos and benchmarks.

A separate process (not a thread) so Terraform and the provider talk to it over real loopback HTTP
and its CPU use never competes with the test's event loop. Its stderr goes to a temporary file
(a pipe nobody reads could fill up and block it) and is shown if startup fails.

It can be stopped (or killed) and started again: a restart binds the same port and opens the same
SQLite file, so a client sees an outage, not a new server (objects survive; run-time faults, the
timing, stats and rate-limit counters start again from the start-up settings).
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from types import TracebackType
from typing import IO, Any, NoReturn

import httpx

from emulator.faults import CLI_FLAGS, Faults
from emulator.settings import API_KEY_ENV, DEFAULT_API_KEY, EmulatorSettings


class EmulatorStartError(RuntimeError):
    """The child exited or stayed silent before printing its URL; the message carries its stderr."""


class EmulatorProcess:
    def __init__(
        self,
        *,
        db_path: str | os.PathLike[str] = ":memory:",
        api_key: str = DEFAULT_API_KEY,
        rate_limits_enabled: bool = True,
        rate_window_seconds: float = 60.0,
        db_ready_delay_seconds: float = 2.0,
        db_delete_delay_seconds: float = 0.3,
        faults: Faults | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        startup_timeout: float = 20.0,
    ) -> None:
        self.api_key = api_key
        self._args = [
            sys.executable,
            "-m",
            "emulator",
            "--host",
            host,
            "--port",
            str(port),  # replaced by the bound port after the first start (see restart)
            "--db",
            os.fspath(db_path),
            "--rate-window-seconds",
            str(rate_window_seconds),
            "--db-ready-delay",
            str(db_ready_delay_seconds),
            "--db-delete-delay",
            str(db_delete_delay_seconds),
        ]
        if not rate_limits_enabled:
            self._args.append("--no-rate-limits")
        for field, value in (faults or Faults()).as_json().items():
            if field == "targeted":
                if value:
                    self._args += [CLI_FLAGS[field], json.dumps(value)]
            elif value is not None:
                self._args += [CLI_FLAGS[field], str(value)]
        self._startup_timeout = startup_timeout
        self._process: subprocess.Popen[str] | None = None
        self._stderr: IO[str] | None = None
        self._url: str | None = None
        self._last_returncode: int | None = None

    @classmethod
    def from_settings(cls, settings: EmulatorSettings, **options: Any) -> EmulatorProcess:
        """Same settings object as the in-process app; `options` are host, port, startup_timeout."""
        return cls(
            db_path=settings.db_path,
            api_key=settings.api_key,
            rate_limits_enabled=settings.rate_limits_enabled,
            rate_window_seconds=settings.rate_window_seconds,
            db_ready_delay_seconds=settings.db_ready_delay_seconds,
            db_delete_delay_seconds=settings.db_delete_delay_seconds,
            faults=settings.faults,
            **options,
        )

    # ------------------------------------------------------------ lifecycle

    def start(self) -> EmulatorProcess:
        if self._process is not None:
            return self
        # Closed in stop(): it must outlive this method.
        self._stderr = tempfile.TemporaryFile(mode="w+", prefix="sevalla-emulator-", suffix=".log")  # noqa: SIM115
        env = {**os.environ, API_KEY_ENV: self.api_key}  # the key stays out of the process list
        self._process = subprocess.Popen(
            self._args, stdout=subprocess.PIPE, stderr=self._stderr, text=True, env=env
        )
        line = self._read_first_line(self._process)
        if not line.startswith("http"):
            self._fail(f"emulator printed {line!r} instead of its URL")
        self._url = line
        # Later starts bind the same port, so a restart looks like an outage to a client.
        self._args[self._args.index("--port") + 1] = line.rsplit(":", 1)[1].split("/", 1)[0]
        return self

    def stop(self, timeout: float = 10.0, *, kill: bool = False) -> None:
        """SIGTERM, wait, then SIGKILL if it lingers (`kill`: SIGKILL at once, as a crash). Safe to
        call twice; start() again brings it back on the same port with the same database file."""
        process, self._process = self._process, None
        self._url = None
        if process is not None:
            if process.poll() is None and kill:
                process.kill()
                process.wait(timeout)
            elif process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout)
            if process.stdout is not None:
                process.stdout.close()
            self._last_returncode = process.returncode
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    def restart(self, down_seconds: float = 0.0, *, kill: bool = True) -> EmulatorProcess:
        """An outage: stop (SIGKILL by default), stay down `down_seconds`, start on the same port."""
        self.stop(kill=kill)
        if down_seconds > 0:
            time.sleep(down_seconds)
        return self.start()

    @property
    def port(self) -> int:
        """The bound port (also after a stop: the next start binds it again); 0 before the first start."""
        return int(self._args[self._args.index("--port") + 1])

    def __enter__(self) -> EmulatorProcess:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def returncode(self) -> int | None:
        """None while running; after stop(), the child's exit code (0 after a clean SIGTERM)."""
        if self._process is not None:
            return self._process.poll()
        return self._last_returncode

    def stderr_text(self) -> str:
        """What the child has logged so far (empty once stopped)."""
        if self._stderr is None:
            return ""
        self._stderr.flush()
        self._stderr.seek(0)
        return self._stderr.read()

    # ------------------------------------------------------------ addresses

    @property
    def url(self) -> str:
        """The API base URL, ending in /v3."""
        if self._url is None:
            raise RuntimeError("the emulator is not running; call start() first")
        return self._url

    @property
    def base_url(self) -> str:
        """The server root, without /v3 (where /_emulator/* lives)."""
        return self.url.removesuffix("/v3")

    # ------------------------------------------------------------ control endpoints

    def stats(self) -> dict[str, Any]:
        return self._control("GET", "/_emulator/stats")

    def reset_stats(self) -> dict[str, Any]:
        return self._control("POST", "/_emulator/stats/reset")

    def objects(self) -> dict[str, Any]:
        return self._control("GET", "/_emulator/objects")

    def object_list(self) -> list[dict[str, Any]]:
        """Every stored object: {kind, id, parent_id, implicit, body} (see emulator.control)."""
        objects: list[dict[str, Any]] = self._control("GET", "/_emulator/objects/list")["objects"]
        return objects

    def timing(self) -> dict[str, Any]:
        return self._control("GET", "/_emulator/timing")

    def set_db_ready_delay(self, seconds: float) -> dict[str, Any]:
        """How long databases stay creating/updating, from now on and for those under way."""
        return self._control("PUT", "/_emulator/timing", {"db_ready_delay_seconds": seconds})

    def set_timing(self, **fields: Any) -> dict[str, Any]:
        """Change the given database knobs (`db_ready_delay_seconds`, `db_delete_delay_seconds`,
        `db_error_display_names`); the others stay as they are."""
        return self._control("PUT", "/_emulator/timing", fields)

    def set_database_status(self, database_id: str, status: str) -> dict[str, Any]:
        """Put a database in `status` (ready, error or suspended) at once, ending any transition."""
        return self._control("PUT", f"/_emulator/databases/{database_id}/status", {"status": status})

    def reset(self) -> dict[str, Any]:
        """Delete every stored object."""
        return self._control("POST", "/_emulator/reset")

    def reset_rate_limits(self) -> dict[str, Any]:
        return self._control("POST", "/_emulator/ratelimits/reset")

    def faults(self) -> dict[str, Any]:
        return self._control("GET", "/_emulator/faults")

    def set_faults(self, **fields: Any) -> dict[str, Any]:
        """Replace the whole fault setting (fields not given go back to their defaults)."""
        return self._control("PUT", "/_emulator/faults", fields)

    def clear_faults(self) -> dict[str, Any]:
        return self._control("DELETE", "/_emulator/faults")

    def _control(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        response = httpx.request(method, self.base_url + path, json=body, timeout=10.0)
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    # ------------------------------------------------------------ internals

    def _read_first_line(self, process: subprocess.Popen[str]) -> str:
        """Wait for the URL line; a thread reads so the wait can time out. "" means stdout closed."""
        assert process.stdout is not None
        lines: queue.Queue[str] = queue.Queue()
        stdout = process.stdout
        threading.Thread(target=lambda: lines.put(stdout.readline()), daemon=True).start()
        try:
            line = lines.get(timeout=self._startup_timeout).strip()
        except queue.Empty:
            self._fail(f"emulator printed no URL within {self._startup_timeout} s")
        if not line:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(5)
            self._fail(f"emulator exited with code {process.poll()} before printing its URL")
        return line

    def _fail(self, reason: str) -> NoReturn:
        """Stop the child and raise with everything it logged."""
        stderr = self.stderr_text()
        self.stop()
        raise EmulatorStartError(f"{reason}\n--- emulator stderr ---\n{stderr}")
