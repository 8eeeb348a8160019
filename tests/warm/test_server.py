"""The warm server with real sockets and forks: a stand-in child (`tests.warm.fake_server`), the
real launcher (run as the wrapper runs it) in front of it, and once the real provider."""

from __future__ import annotations

import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from warm import launcher

PROJECT = Path(__file__).resolve().parents[2]
VERSION = "test-version"
COOKIE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"


def wait_for(condition, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.02)


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[1][0] != "Z"
    except OSError:
        return False


class FakeServer:
    def __init__(self, directory: Path, *args: str) -> None:
        self.directory = directory
        self.key = launcher.server_key(VERSION)
        self.path = launcher.socket_path(str(directory), self.key)
        self.log = open(directory.parent / "server.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.warm.fake_server",
                "--dir",
                str(directory),
                "--key",
                self.key,
                *args,
            ],
            cwd=PROJECT,
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=self.log,
        )
        wait_for(lambda: os.path.exists(self.path) or self.process.poll() is not None)
        assert self.process.poll() is None, (directory.parent / "server.log").read_text()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()  # its children die with it (PR_SET_PDEATHSIG)
                self.process.wait(10)
        self.log.close()


@pytest.fixture
def warm_dir(short_dir: Path) -> Path:
    directory = short_dir / "warm"
    directory.mkdir(mode=0o700)
    return directory


@pytest.fixture
def server(warm_dir: Path) -> Iterator[FakeServer]:
    started = FakeServer(warm_dir)
    yield started
    started.stop()


def launch(warm_dir: Path, behaviour: str, *args: str, **env: str) -> subprocess.Popen[str]:
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "TF_PLUGIN_MAGIC_COOKIE": COOKIE,
        "SEVALLA_PROVIDER_WARM_DIR": str(warm_dir),
        "FAKE_BEHAVIOUR": behaviour,
        **env,
    }
    return subprocess.Popen(
        [
            *launcher.command(sys.executable),
            "--version",
            VERSION,
            "--script",
            "/bin/false",
            "--argv0",
            "/mirror/terraform-provider-sevalla_v0",
            "--",
            *args,
        ],
        env=environment,
        cwd=warm_dir.parent,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_child_gets_argv_environment_cwd_stdio_and_exit_code(server: FakeServer, warm_dir: Path) -> None:
    process = launch(warm_dir, "echo", "one", "two", FAKE_EXIT="7", SEVALLA_API_KEY="secret")
    out, err = process.communicate("from stdin\n", timeout=20)
    assert process.returncode == 7, err
    report = json.loads(out)
    assert report["argv"] == ["/mirror/terraform-provider-sevalla_v0", "one", "two"]
    assert report["cwd"] == str(warm_dir.parent)
    assert report["env"]["SEVALLA_API_KEY"] == "secret"
    assert report["stdin"] == "from stdin"
    assert "to stderr" in err


def test_the_server_itself_never_holds_the_secret(server: FakeServer, warm_dir: Path) -> None:
    process = launch(warm_dir, "echo", SEVALLA_API_KEY="s3cr3t-marker-0451")
    process.communicate("\n", timeout=20)
    assert process.returncode == 0
    environ = Path(f"/proc/{server.process.pid}/environ").read_bytes()
    assert b"s3cr3t-marker-0451" not in environ
    status = launcher.ask_server(server.path, {"op": "status"})
    assert status["children"] == []
    spare = wait_for_spare(server)  # forked from the server, after that start: no secret either
    assert b"s3cr3t-marker-0451" not in Path(f"/proc/{spare}/environ").read_bytes()


def wait_for_spare(server: FakeServer, other_than: int | None = None) -> int:
    found: list[int] = []

    def ready() -> bool:
        spare = launcher.ask_server(server.path, {"op": "status"})["spare"]
        if spare is not None and spare != other_than:
            found.append(spare)
        return bool(found)

    wait_for(ready)
    return found[0]


def test_a_ready_spare_serves_the_next_start_and_is_replaced(server: FakeServer, warm_dir: Path) -> None:
    spare = wait_for_spare(server)
    process = launch(warm_dir, "sleep")
    assert process.stdout is not None
    assert int(process.stdout.readline()) == spare
    assert wait_for_spare(server, other_than=spare) != spare
    process.kill()
    process.wait(10)
    wait_for(lambda: not alive(spare))


def test_a_spare_does_its_work_ahead_before_it_serves(server: FakeServer, warm_dir: Path) -> None:
    spare = wait_for_spare(server)
    process = launch(warm_dir, "echo")
    out, err = process.communicate("\n", timeout=20)
    assert process.returncode == 0, err
    report = json.loads(out)
    assert report["pid"] == spare
    assert report["ahead_pid"] == spare  # done in that process, before the launcher came


def test_the_status_sums_what_the_served_providers_cost(server: FakeServer, warm_dir: Path) -> None:
    before = launcher.ask_server(server.path, {"op": "status"})["served"]
    for _ in range(2):
        process = launch(warm_dir, "echo")
        process.communicate("\n", timeout=20)
    wait_for(lambda: launcher.ask_server(server.path, {"op": "status"})["children"] == [])
    after = launcher.ask_server(server.path, {"op": "status"})["served"]
    assert after["processes"] == before["processes"] + 2
    assert after["cpu_seconds"] >= before["cpu_seconds"]
    assert after["max_rss_kib"] > 0


def test_a_dead_spare_means_a_fork_on_demand(server: FakeServer, warm_dir: Path) -> None:
    spare = wait_for_spare(server)
    os.kill(spare, signal.SIGKILL)
    wait_for(lambda: launcher.ask_server(server.path, {"op": "status"})["spare"] is None)
    process = launch(warm_dir, "echo", "after", FAKE_EXIT="5")
    out, err = process.communicate("\n", timeout=20)
    assert process.returncode == 5, err
    assert json.loads(out)["argv"][1] == "after"


def test_without_spares_children_are_forked_on_demand(warm_dir: Path) -> None:
    plain = FakeServer(warm_dir, "--no-spare")
    try:
        process = launch(warm_dir, "echo", "x", FAKE_EXIT="3")
        process.communicate("\n", timeout=20)
        assert process.returncode == 3
        assert launcher.ask_server(plain.path, {"op": "status"})["spare"] is None
    finally:
        plain.stop()


def test_children_are_served_one_after_another_and_together(server: FakeServer, warm_dir: Path) -> None:
    processes = [launch(warm_dir, "echo", str(n), FAKE_EXIT=str(n)) for n in range(4)]
    for n, process in enumerate(processes):
        out, _ = process.communicate("\n", timeout=20)
        assert process.returncode == n
        assert json.loads(out)["argv"][1] == str(n)


def test_a_killed_launcher_takes_its_child_along(server: FakeServer, warm_dir: Path) -> None:
    process = launch(warm_dir, "sleep")
    assert process.stdout is not None
    child = int(process.stdout.readline())
    assert alive(child)
    process.kill()
    process.wait(10)
    wait_for(lambda: not alive(child))


def test_sigterm_is_forwarded_and_sigint_ignored(server: FakeServer, warm_dir: Path) -> None:
    process = launch(warm_dir, "term")
    assert process.stdout is not None
    child = int(process.stdout.readline())
    process.send_signal(signal.SIGINT)  # a terminal Ctrl-C: Terraform decides, not the plugin
    time.sleep(0.3)
    assert process.poll() is None and alive(child)
    process.terminate()
    assert process.wait(10) == 42


def test_a_stale_request_is_refused(server: FakeServer, warm_dir: Path) -> None:
    import socket

    with socket.socket(socket.AF_UNIX) as conn:
        conn.connect(server.path)
        read, write = os.pipe()
        socket.send_fds(conn, [launcher.encode({"op": "spawn", "key": "other"})], [read, write, write, write])
        assert "stale" in launcher.recv_message(conn)["error"]
        os.close(read)
        os.close(write)
    assert launcher.ask_server(server.path, {"op": "status"})["key"] == server.key


def test_idle_timeout_ends_the_server(warm_dir: Path) -> None:
    idle = FakeServer(warm_dir, "--idle", "0.5")
    try:
        assert idle.process.wait(10) == 0
        assert not os.path.exists(idle.path)
    finally:
        idle.stop()


def test_changed_sources_end_the_server(warm_dir: Path) -> None:
    stale = FakeServer(warm_dir, "--stale-after", "0")
    try:
        assert stale.process.wait(10) == 0
        assert not os.path.exists(stale.path)
    finally:
        stale.stop()


def test_stop_waits_for_running_children(server: FakeServer, warm_dir: Path) -> None:
    process = launch(warm_dir, "term")
    assert process.stdout is not None
    int(process.stdout.readline())
    assert launcher.ask_server(server.path, {"op": "stop"})["children"] == 1
    assert not os.path.exists(server.path)  # no new children
    time.sleep(0.3)
    assert server.process.poll() is None  # but the running one keeps its server
    process.terminate()
    assert process.wait(10) == 42
    assert server.process.wait(10) == 0


def test_only_one_server_per_key(server: FakeServer, warm_dir: Path) -> None:
    second = subprocess.run(
        [sys.executable, "-m", "tests.warm.fake_server", "--dir", str(warm_dir), "--key", server.key],
        cwd=PROJECT,
        capture_output=True,
        timeout=30,
    )
    assert second.returncode == 3  # could not take the lock


def test_files_of_dead_servers_are_removed(warm_dir: Path) -> None:
    for suffix in (".lock", ".log", ".sock"):
        (warm_dir / f"deadbeef{suffix}").write_text("")
    started = FakeServer(warm_dir)
    try:
        assert sorted(p.name for p in warm_dir.iterdir() if p.name.startswith("deadbeef")) == []
    finally:
        started.stop()


def test_the_real_provider_through_a_real_warm_server(warm_dir: Path) -> None:
    """`python -m warm.server` with pyvider imported; a forked child serves the schema and exits."""
    from bench.probe import client_certificate_pem, plugin_environment, start_once
    from devtools.install import install_wrapper
    from provider.version import VERSION as PROVIDER_VERSION

    wrapper = install_wrapper(warm_dir.parent / "mirror")
    key = launcher.server_key(PROVIDER_VERSION)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env["SEVALLA_PROVIDER_WARM_DIR"] = str(warm_dir)
    server = subprocess.Popen(
        [
            sys.executable,
            "-P",
            "-m",
            "warm.server",
            "--key",
            key,
            "--version",
            PROVIDER_VERSION,
            "--idle",
            "60",
        ],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        path = launcher.socket_path(str(warm_dir), key)
        wait_for(lambda: os.path.exists(path), timeout=60)
        sample = start_once([str(wrapper)], plugin_environment(client_certificate_pem(), base=env))
        assert sample.schema_ok and sample.exit_code == 0
        assert sample.forked
        # Terraform's PLUGIN_CLIENT_CERT reached pyvider in the child (the rpc_config refresh):
        # the server's own environment has none, and without one pyvider serves without TLS.
        assert sample.tls
        assert sample.pss_kib > 0
        # The launcher exits when the child says its code; the server reaps it just after.
        wait_for(lambda: launcher.ask_server(path, {"op": "status"})["children"] == [], timeout=10)
    finally:
        server.terminate()
        server.wait(20)


def test_the_warm_server_does_not_start_when_a_patch_does_not_fit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Its children are only correct with the patches (the rpc_config refresh above all): it
    refuses to start, so every start is a normal one (provider/pyvider_patches.py)."""
    import pyvider

    from provider.pyvider_patches import PyviderChanged
    from warm import server as warm_server

    monkeypatch.setattr(pyvider, "__version__", "0.8.2")
    with pytest.raises(PyviderChanged):
        warm_server.preload()


def test_the_artifacts_server_copy_and_its_cleanup(
    tmp_path: Path, short_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The artifact's server runs from a copy (`<key>.<pid>.exe/`, `_internal` linked); a new
    server removes copies of gone servers and the other copies of its own key."""
    from warm.server import WarmServer

    package = tmp_path / "package" / "bundle"
    (package / "_internal").mkdir(parents=True)
    executable = package / "terraform-provider-sevalla"
    executable.write_bytes(b"bootloader")
    executable.chmod(0o755)
    monkeypatch.setattr(launcher, "FROZEN", True)
    monkeypatch.setattr(sys, "executable", str(executable))
    monkeypatch.delenv(launcher.ARTIFACT_VARIABLE, raising=False)
    directory = short_dir / "warm"
    directory.mkdir(mode=0o700)
    copy = Path(launcher.server_copy(str(directory), "own"))
    assert copy.read_bytes() == b"bootloader"
    assert os.access(copy, os.X_OK)
    assert (copy.parent / "_internal").resolve() == (package / "_internal").resolve()

    (directory / "gone.123.exe").mkdir()
    (directory / "gone.lock").write_text("")  # nobody holds it
    server = WarmServer(key="own", version="1", idle_seconds=1, directory=str(directory))
    assert server.acquire_lock()
    server.remove_dead_servers()
    assert not copy.parent.exists()  # another copy of our key: a spawn that lost the lock
    assert not (directory / "gone.123.exe").exists()
    os.close(server.lock_fd)


def test_a_launcher_that_left_before_its_child_was_reaped_is_no_trouble(short_dir: Path) -> None:
    """The launcher exits on the child's own word, so its connection's end and the child's exit
    can come in one round of the selector: the second must find the child gone, not kill its pid
    (perhaps another process by then) or unregister a closed socket."""
    from warm.server import Child, WarmServer

    server = WarmServer(key="own", version="1", idle_seconds=1, directory=str(short_dir))
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    pidfd = os.pidfd_open(pid)
    conn, launcher_end = socket.socketpair()
    launcher_end.close()  # the launcher has left
    child = Child(pid=pid, conn=conn, pidfd=pidfd)
    server.children[pid] = child
    server.selector.register(pidfd, selectors.EVENT_READ, ("exit", child))
    server.selector.register(conn, selectors.EVENT_READ, ("conn", child))
    wait_for(lambda: len(server.selector.select(0)) == 2)  # both events in one round
    killed: list[int] = []
    kill = os.kill
    os.kill = lambda target, signum: killed.append(target)  # type: ignore[assignment]
    try:
        for kind in ("exit", "conn"):
            server.handle(kind, child)
    finally:
        os.kill = kill
    assert server.children == {}
    assert killed == []
    assert server.served.processes == 1
