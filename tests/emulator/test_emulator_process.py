"""The CLI through `EmulatorProcess`: startup line, control endpoints, clean stop, failures."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys

import httpx
import pytest

from emulator.catalog import CLUSTERS
from emulator.process import EmulatorProcess, EmulatorStartError
from emulator.settings import EmulatorSettings

URL_LINE = re.compile(r"^http://127\.0\.0\.1:\d+/v3$")


def test_process_serves_the_api_and_stops(tmp_path) -> None:
    db = tmp_path / "emulator.sqlite"
    with EmulatorProcess(db_path=db, api_key="proc-key", rate_limits_enabled=False) as emulator:
        assert URL_LINE.match(emulator.url)
        assert emulator.base_url + "/v3" == emulator.url
        assert emulator.api_key == "proc-key"
        auth = {"Authorization": "Bearer proc-key"}
        assert (
            httpx.get(emulator.url + "/applications", headers={"Authorization": "Bearer x"}).status_code
            == 401
        )
        created = httpx.post(
            emulator.url + "/applications",
            headers=auth,
            json={"display_name": "Proc", "cluster_id": CLUSTERS[0]["id"], "source": "publicGit"},
        )
        assert created.status_code == 201
        for _ in range(12):  # the mutation tier would refuse the 11th with limits on
            response = httpx.patch(
                f"{emulator.url}/applications/{created.json()['id']}", headers=auth, json={}
            )
            assert response.status_code == 200
        stats = emulator.stats()
        assert stats["by_route"]["PATCH /v3/applications/{id}"] == 12
        assert stats["by_status"] == {"200": 12, "201": 1, "401": 1}
        assert emulator.reset_stats()["total"] == 0
        assert emulator.stats()["total"] == 0
        assert emulator.objects()["applications"] == 1
        assert emulator.returncode is None
    assert emulator.returncode == 0  # SIGTERM ends it cleanly
    with pytest.raises(RuntimeError):
        _ = emulator.url

    # The file kept the application; reset() empties it.
    with EmulatorProcess.from_settings(EmulatorSettings(db_path=str(db))) as again:
        assert again.objects()["applications"] == 1
        assert again.reset()["total"] == 0
        assert again.objects()["total"] == 0


def test_busy_port_fails_with_the_child_stderr() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        emulator = EmulatorProcess(port=port)
        with pytest.raises(EmulatorStartError) as failure:
            emulator.start()
    message = str(failure.value)
    assert "before printing its URL" in message
    assert "address already in use" in message.lower() or "errno" in message.lower()


def test_cli_prints_one_line_and_exits_cleanly_on_sigint(tmp_path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "emulator", "--port", "0", "--api-key", "k", "--db", str(tmp_path / "x.db")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        assert URL_LINE.match(line), line
        assert httpx.get(line + "/api-keys/validate", headers={"Authorization": "Bearer k"}).json() == {
            "is_valid": True
        }
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, stderr
    assert stdout == "", "nothing but the URL line goes to stdout"
    assert "Traceback" not in stderr


def test_main_is_importable_for_the_console_script() -> None:
    from emulator.__main__ import main, parse_args

    assert callable(main)
    args = parse_args(["--no-rate-limits", "--rate-window-seconds", "5", "--db-ready-delay", "0.5"])
    assert (args.no_rate_limits, args.rate_window_seconds, args.db_ready_delay) == (True, 5.0, 0.5)
    assert (args.host, args.port, args.db) == ("127.0.0.1", 0, ":memory:")
