"""The launcher on its own: socket naming and safety, keys, wire format, and every fallback path.

The fallback paths run `launcher.main()` in-process with the exec and spawn calls replaced, so
they show which start was chosen without starting a provider.
"""

from __future__ import annotations

import fcntl
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from warm import launcher

COOKIE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"


class Exec(Exception):
    """Raised instead of replacing the process."""

    def __init__(self, how: str, argv: list[str]) -> None:
        super().__init__(how)
        self.how = how
        self.argv = argv


@pytest.fixture
def warm_dir(short_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = short_dir / "warm"
    directory.mkdir(mode=0o700)
    monkeypatch.setenv("SEVALLA_PROVIDER_WARM_DIR", str(directory))
    monkeypatch.setenv("TF_PLUGIN_MAGIC_COOKIE", COOKIE)
    monkeypatch.delenv("SEVALLA_PROVIDER_WARM", raising=False)
    return directory


@pytest.fixture
def starts(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Records spawned servers; turns both kinds of exec into an `Exec` exception."""
    spawned: list[Any] = []

    def execv(path: str, argv: list[str]) -> None:
        how = "entry" if "warm.entry" in argv else "script"
        raise Exec(how, argv)

    monkeypatch.setattr(launcher.os, "execv", execv)
    monkeypatch.delenv("SEVALLA_PROVIDER_ARGV0", raising=False)  # restored after the test
    monkeypatch.setattr(launcher, "spawn_server", lambda *args: spawned.append(args) or 4242)
    return spawned


def run_main(*extra: str) -> Exec:
    with pytest.raises(Exec) as raised:
        launcher.main(["--version", "9.9.9", "--script", "/venv/bin/terraform-provider-sevalla", *extra])
    return raised.value


# --- where and what ---------------------------------------------------------------------


def test_runtime_dir_is_created_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "fresh"
    monkeypatch.setenv("SEVALLA_PROVIDER_WARM_DIR", str(target))
    assert launcher.runtime_dir() == str(target)
    assert target.stat().st_mode & 0o777 == 0o700


def test_runtime_dir_refuses_a_shared_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("SEVALLA_PROVIDER_WARM_DIR", str(shared))
    with pytest.raises(launcher.UnsafeDirectory):
        launcher.runtime_dir()


def test_runtime_dir_refuses_a_symlink(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = tmp_path / "real"
    real.mkdir(mode=0o700)
    link = tmp_path / "link"
    link.symlink_to(real)
    monkeypatch.setenv("SEVALLA_PROVIDER_WARM_DIR", str(link))
    with pytest.raises(launcher.UnsafeDirectory):
        launcher.runtime_dir()


@pytest.mark.skipif(os.getuid() != 0, reason="needs root to give a directory away")
def test_runtime_dir_refuses_another_users_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    theirs = tmp_path / "theirs"
    theirs.mkdir(mode=0o700)
    os.chown(theirs, 65534, 65534)
    monkeypatch.setenv("SEVALLA_PROVIDER_WARM_DIR", str(theirs))
    with pytest.raises(launcher.UnsafeDirectory):
        launcher.runtime_dir()


def test_runtime_dir_defaults_per_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SEVALLA_PROVIDER_WARM_DIR", raising=False)
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    assert launcher.runtime_dir() == f"/tmp/sevalla-provider-{os.getuid()}"


def fake_project(root: Path) -> Path:
    for package in launcher.SOURCE_PACKAGES:
        (root / package).mkdir(parents=True)
        (root / package / "__init__.py").write_text("")
    return root


def test_key_follows_version_and_sources(tmp_path: Path) -> None:
    root = fake_project(tmp_path / "project")
    key = launcher.server_key("1.0.0", str(root))
    assert key == launcher.server_key("1.0.0", str(root))
    assert key != launcher.server_key("1.0.1", str(root))
    module = root / "resources" / "thing.py"
    module.write_text("x = 1\n")
    added = launcher.server_key("1.0.0", str(root))
    assert added != key
    os.utime(module, ns=(module.stat().st_atime_ns, module.stat().st_mtime_ns + 10**9))
    assert launcher.server_key("1.0.0", str(root)) != added


def test_in_the_artifact_the_key_follows_its_version_path_and_executable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Frozen (the release zip): no sources to scan; the executable holds the code."""
    executable = tmp_path / "one" / "bundle" / "terraform-provider-sevalla"
    executable.parent.mkdir(parents=True)
    executable.write_bytes(b"bootloader and code")
    monkeypatch.setattr(launcher, "FROZEN", True)
    monkeypatch.setattr(sys, "executable", str(executable))
    monkeypatch.setattr(sys, "_MEIPASS", str(executable.parent / "_internal"), raising=False)
    key = launcher.server_key("1.0.0")
    assert key == launcher.server_key("1.0.0")
    assert key != launcher.server_key("1.0.1")
    assert launcher.venv_dir() == str(executable.parent / "_internal")
    executable.write_bytes(b"bootloader and other code")  # an upgrade at the same path
    changed = launcher.server_key("1.0.0")
    assert changed != key
    other = tmp_path / "two" / "bundle" / "terraform-provider-sevalla"  # another project's copy
    other.parent.mkdir(parents=True)
    other.write_bytes(executable.read_bytes())
    monkeypatch.setattr(sys, "executable", str(other))
    assert launcher.server_key("1.0.0") != changed
    other.unlink()
    assert launcher.source_fingerprint("") == "artifact gone"


def test_key_ignores_bytecode(tmp_path: Path) -> None:
    root = fake_project(tmp_path / "project")
    key = launcher.server_key("1.0.0", str(root))
    (root / "provider" / "__pycache__").mkdir()
    (root / "provider" / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"")
    assert launcher.server_key("1.0.0", str(root)) == key


def test_messages_round_trip() -> None:
    left, right = socket.socketpair()
    with left, right:
        left.sendall(launcher.encode({"argv": ["a", "b"], "env": {"K": "V"}, "n": 3}))
        assert launcher.recv_message(right) == {"argv": ["a", "b"], "env": {"K": "V"}, "n": 3}


def test_oversized_message_is_refused() -> None:
    left, right = socket.socketpair()
    with left, right:
        left.sendall((launcher.MAX_MESSAGE + 1).to_bytes(4, "big"))
        with pytest.raises(ValueError):
            launcher.recv_message(right)


def test_exit_codes_from_wait_status() -> None:
    done = subprocess.Popen(["sh", "-c", "exit 3"])
    _, status = os.waitpid(done.pid, 0)
    assert launcher.exit_code_from_status(status) == 3
    killed = subprocess.Popen(["sleep", "30"])
    killed.kill()
    _, status = os.waitpid(killed.pid, 0)
    assert launcher.exit_code_from_status(status) == 128 + 9
    done.returncode = killed.returncode = 0  # reaped above


def test_arguments() -> None:
    options, rest = launcher.parse_args(["--version", "1", "--script", "s", "--argv0", "a", "--", "x", "-y"])
    assert options == {"version": "1", "script": "s", "argv0": "a"}
    assert rest == ["x", "-y"]


def test_server_environment_is_scrubbed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    captured: dict[str, Any] = {}

    def posix_spawn(path: str, argv: list[str], env: dict[str, str], **kwargs: Any) -> int:
        captured.update(path=path, argv=argv, env=env, kwargs=kwargs)
        return 1

    monkeypatch.setattr(launcher.os, "posix_spawn", posix_spawn)
    monkeypatch.setenv("SEVALLA_API_KEY", "secret")
    monkeypatch.setenv("PLUGIN_CLIENT_CERT", "cert")
    monkeypatch.setenv("PATH", "/usr/bin")
    launcher.spawn_server(str(tmp_path), "k" * 20, "1.0.0", 600)
    assert "SEVALLA_API_KEY" not in captured["env"]
    assert "PLUGIN_CLIENT_CERT" not in captured["env"]
    assert captured["env"]["PATH"] == "/usr/bin"
    assert captured["argv"][1:4] == ["-P", "-m", "warm.server"]
    assert captured["kwargs"]["setsid"] is True


# --- which start ------------------------------------------------------------------------


def test_switched_off_runs_the_console_script(
    warm_dir: Path, starts: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    for value in ("0", "false", "OFF", "no"):
        monkeypatch.setenv("SEVALLA_PROVIDER_WARM", value)
        started = run_main("--", "arg")
        assert started.how == "script"
        assert started.argv == ["/venv/bin/terraform-provider-sevalla", "arg"]
    assert starts == []


def test_without_terraform_runs_the_console_script(
    warm_dir: Path, starts: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TF_PLUGIN_MAGIC_COOKIE")
    assert run_main().how == "script"
    assert starts == []


def test_no_server_starts_normally_and_spawns_one(warm_dir: Path, starts: list[Any]) -> None:
    started = run_main("--argv0", "/mirror/terraform-provider-sevalla_v9.9.9")
    assert started.how == "entry"
    assert started.argv[1:4] == ["-P", "-m", "warm.entry"]
    assert os.environ["SEVALLA_PROVIDER_ARGV0"] == "/mirror/terraform-provider-sevalla_v9.9.9"
    assert len(starts) == 1
    directory, key, version, _idle = starts[0]
    assert (directory, key, version) == (str(warm_dir), launcher.server_key("9.9.9"), "9.9.9")


def test_a_starting_server_is_not_spawned_twice(
    warm_dir: Path, starts: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SEVALLA_PROVIDER_WARM_WAIT", "0.3")  # waits for it, then gives up
    key = launcher.server_key("9.9.9")
    with open(launcher.lock_path(str(warm_dir), key), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        assert run_main().how == "entry"
    assert starts == []


def test_a_dead_socket_falls_back(warm_dir: Path, starts: list[Any]) -> None:
    path = launcher.socket_path(str(warm_dir), launcher.server_key("9.9.9"))
    dead = socket.socket(socket.AF_UNIX)
    dead.bind(path)
    dead.close()  # the file stays, nobody listens: ECONNREFUSED
    assert run_main().how == "entry"
    assert len(starts) == 1


def test_a_hung_server_falls_back(warm_dir: Path, starts: list[Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(launcher, "CONNECT_TIMEOUT_SECONDS", 0.3)
    path = launcher.socket_path(str(warm_dir), launcher.server_key("9.9.9"))
    with socket.socket(socket.AF_UNIX) as hung:
        hung.bind(path)
        hung.listen(1)  # accepts in the kernel, never answers
        assert run_main().how == "entry"


def answer_once(
    path: str, reply: dict[str, Any] | None, seen: dict[str, Any], then: dict[str, Any] | None = None
) -> threading.Thread:
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(path)
    listener.listen(1)

    def serve() -> None:
        conn, _ = listener.accept()
        with conn, listener:
            data, fds, _, _ = socket.recv_fds(conn, 65536, 8)
            seen["hello"] = launcher.recv_message(FakeSocket(data))
            seen["fds"] = len(fds)
            with socket.socket(fileno=os.dup(fds[3])) as channel:
                seen["request"] = launcher.recv_message(channel)
            for fd in fds:
                os.close(fd)
            if reply is not None:
                conn.sendall(launcher.encode(reply))
            if then is not None:
                conn.sendall(launcher.encode(then))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return thread


class FakeSocket:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def recv(self, size: int) -> bytes:
        chunk, self.data = self.data[:size], self.data[size:]
        return chunk


def test_a_stale_server_falls_back(warm_dir: Path, starts: list[Any]) -> None:
    path = launcher.socket_path(str(warm_dir), launcher.server_key("9.9.9"))
    seen: dict[str, Any] = {}
    thread = answer_once(path, {"error": "stale warm server"}, seen)
    assert run_main().how == "entry"
    thread.join(5)
    assert seen["hello"] == {"op": "spawn", "key": launcher.server_key("9.9.9")}


def test_a_server_closing_without_answer_falls_back(warm_dir: Path, starts: list[Any]) -> None:
    path = launcher.socket_path(str(warm_dir), launcher.server_key("9.9.9"))
    thread = answer_once(path, None, {})
    assert run_main().how == "entry"
    thread.join(5)


def test_an_unsafe_directory_starts_normally_without_a_server(
    tmp_path: Path, starts: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("SEVALLA_PROVIDER_WARM_DIR", str(shared))
    monkeypatch.setenv("TF_PLUGIN_MAGIC_COOKIE", COOKIE)
    monkeypatch.delenv("SEVALLA_PROVIDER_WARM", raising=False)
    assert run_main().how == "entry"
    assert starts == []


def test_secrets_go_to_the_child_channel_not_the_server(
    warm_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SEVALLA_API_KEY", "secret-key")
    monkeypatch.setenv("PLUGIN_CLIENT_CERT", "-----BEGIN CERTIFICATE-----")
    path = launcher.socket_path(str(warm_dir), "k")
    seen: dict[str, Any] = {}
    thread = answer_once(path, {"pid": 12345}, seen)
    conn, pid, channel = launcher.request_child(path, "k", ["argv0", "x"], "/some/dir")
    conn.close()
    channel.close()
    thread.join(5)
    assert pid == 12345
    assert seen["hello"] == {"op": "spawn", "key": "k"}  # all the server ever reads
    assert seen["fds"] == 4
    request = seen["request"]
    assert request["env"]["SEVALLA_API_KEY"] == "secret-key"
    assert request["env"]["PLUGIN_CLIENT_CERT"].startswith("-----BEGIN")
    assert (request["argv"], request["cwd"]) == (["argv0", "x"], "/some/dir")


def test_launcher_runs_without_site_packages() -> None:
    """Run as the wrapper runs it (isolated, no site-packages): no cookie means the console script."""
    result = subprocess.run(
        [
            *launcher.command(sys.executable),
            "--version",
            "1",
            "--script",
            "/bin/echo",
            "--",
            "hi",
        ],
        env={"PATH": os.environ.get("PATH", "")},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert (result.returncode, result.stdout) == (0, "hi\n")


def test_no_server_and_no_waiting_starts_normally(
    warm_dir: Path, starts: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SEVALLA_PROVIDER_WARM_WAIT", "0")
    assert run_main().how == "entry"
    assert len(starts) == 1


def test_a_spawned_server_that_dies_means_a_normal_start(
    warm_dir: Path, monkeypatch: pytest.MonkeyPatch, starts: list[Any]
) -> None:
    dying = subprocess.Popen(["sh", "-c", "exit 1"])
    monkeypatch.setattr(launcher, "spawn_server", lambda *args: dying.pid)
    assert run_main().how == "entry"
    dying.returncode = 1  # reaped by the launcher


def test_the_new_server_is_waited_for(
    warm_dir: Path, monkeypatch: pytest.MonkeyPatch, starts: list[Any]
) -> None:
    starting = subprocess.Popen(["sleep", "30"])
    monkeypatch.setattr(launcher, "spawn_server", lambda *args: starting.pid)
    monkeypatch.setattr(launcher._signal, "signal", lambda *args: None)
    path = launcher.socket_path(str(warm_dir), launcher.server_key("9.9.9"))
    seen: dict[str, Any] = {}

    def come_up_late() -> None:
        time.sleep(0.3)
        answer_once(path, {"pid": 777}, seen, then={"exit": 5}).join(5)

    thread = threading.Thread(target=come_up_late, daemon=True)
    thread.start()
    try:
        assert launcher.main(["--version", "9.9.9", "--script", "/bin/false"]) == 5
    finally:
        starting.kill()
        starting.wait()
    thread.join(5)
    assert seen["hello"]["op"] == "spawn"


@pytest.fixture
def signals_kept() -> Any:
    """wait_for_child sets the launcher's signal handlers: this process gets its own back."""
    kept = {
        signum: signal.getsignal(signum)
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)
    }
    yield
    for signum, handler in kept.items():
        signal.signal(signum, handler)


def test_the_exit_code_the_child_reports_ends_the_wait_before_the_server_reaps(signals_kept: None) -> None:
    conn, server_end = socket.socketpair()
    channel, child_end = socket.socketpair()
    child_end.sendall(launcher.encode({"exit": 3}))
    try:
        assert launcher.wait_for_child(conn, os.getpid(), channel) == 3  # the server never spoke
        assert channel.fileno() == -1  # closed
    finally:
        for sock in (conn, server_end, child_end):
            sock.close()


def test_a_child_that_ends_without_a_word_has_its_code_from_the_server(signals_kept: None) -> None:
    conn, server_end = socket.socketpair()
    channel, child_end = socket.socketpair()
    child_end.close()  # killed: the kernel closes its end
    server_end.sendall(launcher.encode({"exit": 137}))
    try:
        assert launcher.wait_for_child(conn, os.getpid(), channel) == 137
    finally:
        for sock in (conn, server_end):
            sock.close()
