"""`make demo` says what it leaves behind: the warm server (and how to stop it), its files."""

from __future__ import annotations

import os
import socket
import threading
from pathlib import Path

import pytest

from devtools import demo
from provider.version import VERSION
from warm import launcher


def test_no_warm_server_is_said(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    directory = tmp_path / "warm"
    directory.mkdir(mode=0o700)
    monkeypatch.setenv("SEVALLA_PROVIDER_WARM_DIR", str(directory))
    lines = demo.left_behind()
    assert "build/demo" in lines[0]
    assert lines[-1] == "warm provider server: none running"


def test_a_running_warm_server_is_named_with_how_to_stop_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = Path(os.path.realpath(tmp_path)) / "w"  # short: unix socket paths are limited
    directory.mkdir(mode=0o700)
    monkeypatch.setenv("SEVALLA_PROVIDER_WARM_DIR", str(directory))
    monkeypatch.setenv("SEVALLA_PROVIDER_WARM_IDLE", "300")
    path = launcher.socket_path(str(directory), launcher.server_key(VERSION))
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(1)

    def answer_status() -> None:  # what warm.server answers to {"op": "status"}
        conn, _ = listener.accept()
        with conn:
            launcher.recv_message(conn)
            conn.sendall(launcher.encode({"pid": 4242, "children": [], "spare": None}))

    thread = threading.Thread(target=answer_status, daemon=True)
    thread.start()
    try:
        text = "\n".join(demo.left_behind())
    finally:
        thread.join(5)
        listener.close()
    assert "warm provider server: pid 4242" in text
    assert "after 5 idle minutes" in text
    assert "`kill 4242`" in text
    assert "SEVALLA_PROVIDER_WARM=0" in text
