"""The warm server: pyvider and the provider imported once, a forked child per Terraform start.

Started in the background by `warm.launcher` (`python -P -m warm.server --key K --version V`),
in its own session, with a scrubbed environment (no SEVALLA_* variable, no plugin certificate)
and its working directory at `/`.

- Takes `<dir>/<key>.lock` (one server per key), imports what a provider start needs to serve
  (`warm.entry.preload`) without starting an event loop or a thread -- gRPC's C core is only
  imported, never initialised, so forking is safe (`GRPC_ENABLE_FORK_SUPPORT` is not needed) --
  then binds `<dir>/<key>.sock` (atomically, via rename) and freezes the GC heap so children
  share it copy-on-write (a launcher may be waiting for that socket: see `warm.launcher`). What
  only later RPCs need (`warm.entry.preload_later`) follows once the first child is forked.
- Keeps one spare child forked ahead of time, its memory already copied, and hands the next
  launcher to it (`prepare_spare`); without a ready spare it forks on demand.
- Per connection (same uid only, checked with SO_PEERCRED): receives stdin/stdout/stderr and a
  private channel, forks, replies with the child's pid, and later with its exit code. The child
  reads argv, environment and working directory from the private channel -- this process never
  does -- installs them, re-reads what pyvider caches from the environment at import time, and
  runs `warm.entry.main`. The child dies with this process (PR_SET_PDEATHSIG), and is killed if
  its launcher goes away.
- Exits after `--idle` seconds without a child or a connection, when its sources change (the key
  no longer matches: a new server takes over under a new key), on SIGTERM, or on a `stop`
  request -- always after its running children have finished. It removes the socket, lock and
  log files of servers that are gone.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import fcntl
import functools
import gc
import marshal
import os
import selectors
import shutil
import signal
import socket
import struct
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from warm.launcher import (
    encode,
    exit_code_from_status,
    lock_path,
    recv_message,
    runtime_dir,
    server_key,
    socket_path,
)

HELLO_FDS = 4  # stdin, stdout, stderr, private channel
STALE_CHECK_SECONDS = 2.0
DEFER_SECONDS = 0.05  # a launcher that spawned this server polls for its socket every 5 ms
PR_SET_PDEATHSIG = 1


def log(message: str) -> None:
    sys.stderr.write(f"{time.strftime('%H:%M:%S')} warm[{os.getpid()}] {message}\n")
    sys.stderr.flush()


@dataclass
class Child:
    pid: int
    conn: socket.socket
    pidfd: int


@dataclass
class Spare:
    """A child forked ahead of time, its memory already copied, waiting for a launcher's stdio."""

    pid: int
    control: socket.socket  # the server's end: "ready" comes in, the launcher's descriptors go out
    pidfd: int
    ready: bool = False


def run_provider() -> None:
    """What a forked child runs once it has the launcher's stdio, argv, environment and cwd."""
    refresh_environment_caches()
    import warm.entry

    warm.entry.main()


@dataclass
class ServedTotals:
    """CPU and memory of the provider processes this server forked, from their rusage at exit."""

    processes: int = 0
    cpu_seconds: float = 0.0  # user + system
    max_rss_kib: int = 0  # the largest peak of any one of them

    def add(self, usage: Any) -> None:
        self.processes += 1
        self.cpu_seconds += usage.ru_utime + usage.ru_stime
        self.max_rss_kib = max(self.max_rss_kib, usage.ru_maxrss)


@dataclass
class WarmServer:
    key: str
    version: str
    idle_seconds: float
    directory: str
    target: Callable[[], None] = run_provider
    current_key: Callable[[], str] | None = None  # default: server_key(version), from the sources
    listener: socket.socket | None = None
    lock_fd: int = -1
    socket_inode: int = 0
    children: dict[int, Child] = field(default_factory=dict)
    selector: selectors.BaseSelector = field(default_factory=selectors.DefaultSelector)
    stopping: bool = False
    stop_requested: bool = False
    wakeup_read: socket.socket | None = None
    wakeup_write: socket.socket | None = None
    last_activity: float = field(default_factory=time.monotonic)
    spares: bool = True  # keep a spare child ready (see `prepare_spare`)
    spare: Spare | None = None
    # Start-up work left for after the first child is forked (or the first quiet moment).
    deferred: Callable[[], None] | None = None
    # What a spare does for its provider start before a launcher comes (no secret: it has none).
    ahead: Callable[[], None] | None = None
    # What the providers it served cost, summed as they are reaped (the `status` op answers it;
    # the benchmarks take differences around a Terraform command: spares never served, so are
    # not counted).
    served: ServedTotals = field(default_factory=ServedTotals)

    # --- start -------------------------------------------------------------------------

    def acquire_lock(self, wait_seconds: float = 1.0) -> bool:
        self.lock_fd = os.open(lock_path(self.directory, self.key), os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(self.lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except OSError:
                if time.monotonic() >= deadline:
                    os.close(self.lock_fd)
                    self.lock_fd = -1
                    return False
                time.sleep(0.05)

    def remove_dead_servers(self) -> None:
        """Socket, lock and log files of keys whose server is gone (no one holds the lock), and the
        executable copies (`<key>.<pid>.exe/`, the artifact's) of every server but this one."""
        own_copy = os.path.dirname(sys.executable)
        for name in os.listdir(self.directory):
            path = os.path.join(self.directory, name)
            if name.endswith(".exe") and path != own_copy and os.path.isdir(path):
                key = name.split(".", 1)[0]
                if key == self.key or not self.key_alive(key):
                    shutil.rmtree(path, ignore_errors=True)
        for name in os.listdir(self.directory):
            if not name.endswith(".lock") or name == f"{self.key}.lock":
                continue
            key = name[: -len(".lock")]
            try:
                fd = os.open(lock_path(self.directory, key), os.O_RDONLY)
            except OSError:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # alive
            finally:
                os.close(fd)
            for suffix in (".sock", ".log", ".lock"):
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(self.directory, key + suffix))

    def key_alive(self, key: str) -> bool:
        """Whether a server holds `key`'s lock."""
        try:
            fd = os.open(lock_path(self.directory, key), os.O_RDONLY)
        except OSError:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        finally:
            os.close(fd)
        return False

    def bind(self) -> None:
        path = socket_path(self.directory, self.key)
        staging = f"{path}.{os.getpid()}"
        with contextlib.suppress(FileNotFoundError):
            os.unlink(staging)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(staging)
        os.chmod(staging, 0o600)
        listener.listen(64)
        os.rename(staging, path)
        self.socket_inode = os.stat(path).st_ino
        self.listener = listener
        self.selector.register(listener, selectors.EVENT_READ, ("listener", None))

    # --- serve -------------------------------------------------------------------------

    def serve_forever(self) -> int:
        # Signals (SIGTERM) wake the select at once instead of at its next timeout.
        self.wakeup_read, wakeup_write = socket.socketpair()
        self.wakeup_read.setblocking(False)
        wakeup_write.setblocking(False)
        self.wakeup_write = wakeup_write
        signal.set_wakeup_fd(wakeup_write.fileno(), warn_on_full_buffer=False)
        self.selector.register(self.wakeup_read, selectors.EVENT_READ, ("wakeup", None))
        next_stale_check = time.monotonic() + STALE_CHECK_SECONDS
        while True:
            if self.stop_requested and not self.stopping:
                log("stopping: signal")
                self.stop_listening()
            if self.stopping and not self.children:
                return 0
            now = time.monotonic()
            if not self.children and now - self.last_activity >= self.idle_seconds:
                log("idle timeout")
                return 0
            if now >= next_stale_check:
                next_stale_check = now + STALE_CHECK_SECONDS
                self.check_still_current()
            timeout = min(STALE_CHECK_SECONDS, max(0.05, self.idle_seconds - (now - self.last_activity)))
            events = self.selector.select(DEFER_SECONDS if self.deferred else timeout)
            if not events and self.deferred:
                self.finish_start()  # nobody is waiting for a child
            for selected, _ in events:
                self.handle(*selected.data)

    def handle(self, kind: str, child: Any) -> None:
        """One event of the selector: a launcher, a child's exit or its launcher's, a spare."""
        if kind in ("exit", "conn") and self.children.get(child.pid) is not child:
            return  # reaped earlier in the same round: its launcher left before the reap
        if kind == "listener":
            self.accept()
        elif kind == "exit":
            self.reap(child)
        elif kind == "conn":
            self.launcher_gone(child)
        elif kind == "spare-ready":
            self.spare_ready(child)
        elif kind == "spare-exit":
            self.spare_died(child)
        elif kind == "wakeup" and self.wakeup_read is not None:
            with contextlib.suppress(OSError):
                self.wakeup_read.recv(4096)

    def check_still_current(self) -> None:
        """Stop taking requests when the sources changed or our socket was replaced or removed."""
        if self.stopping:
            return
        reason = None
        try:
            if os.stat(socket_path(self.directory, self.key)).st_ino != self.socket_inode:
                reason = "socket replaced"
        except OSError:
            reason = "socket removed"
        current = self.current_key() if self.current_key else server_key(self.version)
        if reason is None and current != self.key:
            reason = "sources changed"
        if reason:
            log(f"stopping: {reason}")
            self.stop_listening()

    def stop_listening(self) -> None:
        self.stopping = True
        self.discard_spare()
        if self.listener is not None:
            self.selector.unregister(self.listener)
            self.listener.close()
            self.listener = None
            path = socket_path(self.directory, self.key)
            try:
                if os.stat(path).st_ino == self.socket_inode:
                    os.unlink(path)
            except OSError:
                pass

    def accept(self) -> None:
        assert self.listener is not None
        try:
            conn, _ = self.listener.accept()
        except OSError:
            return
        self.last_activity = time.monotonic()
        fds: list[int] = []
        try:
            conn.settimeout(2.0)
            creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
            _, uid, _ = struct.unpack("3i", creds)
            if uid != os.getuid():
                raise PermissionError(f"peer uid {uid}")
            message, fds = self.receive_hello(conn)
            op = message.get("op")
            if op == "spawn":
                self.spawn(conn, message, fds)  # clears fds once they are handed to a child
                return
            if op == "status":
                spare = self.spare.pid if self.spare is not None and self.spare.ready else None
                conn.sendall(
                    encode(
                        {
                            "pid": os.getpid(),
                            "key": self.key,
                            "children": sorted(self.children),
                            "spare": spare,
                            "served": asdict(self.served),
                        }
                    )
                )
            elif op == "stop":
                self.stop_listening()
                conn.sendall(encode({"stopping": True, "children": len(self.children)}))
            else:
                conn.sendall(encode({"error": f"unknown op {op!r}"}))
        except Exception as exc:  # a broken request must never take the server down
            log(f"request failed: {type(exc).__name__}: {exc}")
            with contextlib.suppress(OSError):
                conn.sendall(encode({"error": f"{type(exc).__name__}: {exc}"}))
        finally:
            for fd in fds:
                os.close(fd)
        conn.close()

    @staticmethod
    def receive_hello(conn: socket.socket) -> tuple[dict[str, Any], list[int]]:
        data, fds, _flags, _addr = socket.recv_fds(conn, 65536, HELLO_FDS)
        while len(data) < 4:
            chunk = conn.recv(4 - len(data))
            if not chunk:
                raise EOFError("no hello")
            data += chunk
        (size,) = struct.unpack(">I", data[:4])
        body = data[4:]
        while len(body) < size:
            chunk = conn.recv(size - len(body))
            if not chunk:
                raise EOFError("hello cut short")
            body += chunk
        message = marshal.loads(body)
        if not isinstance(message, dict):
            raise ValueError("hello is not an object")
        return message, list(fds)

    def spawn(self, conn: socket.socket, message: dict[str, Any], fds: list[int]) -> None:
        try:
            if message.get("key") != self.key or self.stopping:
                raise ValueError("stale warm server" if not self.stopping else "warm server stopping")
            if len(fds) != HELLO_FDS:
                raise ValueError(f"expected {HELLO_FDS} descriptors, got {len(fds)}")
        except ValueError as exc:
            conn.sendall(encode({"error": str(exc)}))
            conn.close()
            return  # the caller closes the descriptors
        handed = self.hand_to_spare(fds)
        if handed is not None:
            pid, pidfd = handed
        else:
            pid = self.fork_child(lambda parent: self.become_provider(parent, conn, fds))
            pidfd = os.pidfd_open(pid)
        for fd in fds:
            os.close(fd)
        fds.clear()
        child = Child(pid, conn, pidfd)
        self.children[pid] = child
        try:
            conn.settimeout(None)
            conn.sendall(encode({"pid": pid}))
        except OSError:
            os.kill(pid, signal.SIGKILL)
        self.selector.register(pidfd, selectors.EVENT_READ, ("exit", child))
        self.selector.register(conn, selectors.EVENT_READ, ("conn", child))
        self.finish_start()

    def finish_start(self) -> None:
        """Run the deferred start-up work (once), and make sure a spare is on its way."""
        deferred, self.deferred = self.deferred, None
        if deferred is not None:
            deferred()
        self.prepare_spare()

    def fork_child(self, become: Callable[[int], int]) -> int:
        """Fork; the child runs `become(server pid)` and exits with its result, never returning."""
        sys.stdout.flush()
        sys.stderr.flush()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:
            code = 70
            try:
                code = become(parent)
            except BaseException:
                traceback.print_exc()
            finally:
                os._exit(code)
        return pid

    # --- the spare ---------------------------------------------------------------------

    def prepare_spare(self) -> None:
        """Fork the next provider child now, so the next start skips the fork and its page copies.

        A fresh child writes to ~4,000 shared pages before its handshake (reference counts), and
        each write copies a page: ~10 ms of a ~22 ms start on this machine. The spare makes those
        copies (`populate_private_memory`) while nobody waits, then waits for a launcher. It
        holds nothing but what the server holds: no environment, no secret.
        """
        if not self.spares or self.spare is not None or self.stopping:
            return
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        pid = self.fork_child(lambda parent: self.become_spare(parent, theirs, ours))
        theirs.close()
        spare = Spare(pid, ours, os.pidfd_open(pid))
        self.spare = spare
        self.selector.register(spare.control, selectors.EVENT_READ, ("spare-ready", spare))
        self.selector.register(spare.pidfd, selectors.EVENT_READ, ("spare-exit", spare))

    def spare_ready(self, spare: Spare) -> None:
        if spare is not self.spare:  # an event from before it was used or discarded
            return
        try:
            ready = spare.control.recv(1) == b"r"
        except OSError:
            ready = False
        self.selector.unregister(spare.control)
        if ready:
            spare.ready = True
        else:  # it died or misbehaved: do without it
            self.discard_spare()

    def spare_died(self, spare: Spare) -> None:
        """A spare ended before it was used (killed, or failed): forget it, make no new one now."""
        if spare is not self.spare:
            return
        log("spare child ended unused")
        self.discard_spare()

    def hand_to_spare(self, fds: list[int]) -> tuple[int, int] | None:
        """Give a launcher's descriptors to the ready spare; its pid and pidfd, or None (fork)."""
        spare = self.spare
        if spare is None or not spare.ready:
            return None
        self.spare = None
        self.selector.unregister(spare.pidfd)
        try:
            socket.send_fds(spare.control, [b"go"], fds)
        except OSError:
            self.spare = spare
            self.discard_spare()
            return None
        spare.control.close()
        return spare.pid, spare.pidfd

    def discard_spare(self) -> None:
        spare, self.spare = self.spare, None
        if spare is None:
            return
        for registered in (spare.control, spare.pidfd):
            with contextlib.suppress(KeyError, ValueError):
                self.selector.unregister(registered)
        with contextlib.suppress(OSError):
            os.kill(spare.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(spare.pid, 0)
        spare.control.close()
        os.close(spare.pidfd)

    def reap(self, child: Child) -> None:
        _, status, usage = os.wait4(child.pid, 0)
        self.served.add(usage)
        self.forget(child)
        with contextlib.suppress(OSError):
            child.conn.sendall(encode({"exit": exit_code_from_status(status)}))
        child.conn.close()

    def launcher_gone(self, child: Child) -> None:
        """The launcher's connection became readable: it died (EOF); its child goes with it."""
        try:
            data = child.conn.recv(1, socket.MSG_PEEK)
        except OSError:
            data = b""
        if data:
            child.conn.recv(4096)  # the launcher never sends after the hello; ignore noise
            return
        self.selector.unregister(child.conn)
        with contextlib.suppress(OSError):
            os.kill(child.pid, signal.SIGKILL)
        # reap() follows through the pidfd; the closed connection is dropped there.

    def forget(self, child: Child) -> None:
        self.children.pop(child.pid, None)
        self.selector.unregister(child.pidfd)
        os.close(child.pidfd)
        with contextlib.suppress(KeyError, ValueError):
            self.selector.unregister(child.conn)
        self.last_activity = time.monotonic()

    # --- the child ---------------------------------------------------------------------

    def become_provider(self, parent: int, conn: socket.socket, fds: list[int]) -> int:
        """In a child forked for a launcher: drop the server's state, run the provider."""
        self.leave_server(parent)
        conn.close()
        return self.run_for_launcher(fds)

    def become_spare(self, parent: int, control: socket.socket, server_end: socket.socket) -> int:
        """In a spare child: drop the server's state, copy memory, wait for a launcher's stdio."""
        self.leave_server(parent)
        server_end.close()
        populate_private_memory()
        if self.ahead is not None:
            try:
                self.ahead()
            except Exception:  # the start does it itself
                log("work ahead failed:\n" + traceback.format_exc())
        control.sendall(b"r")
        _data, fds, _flags, _addr = socket.recv_fds(control, 16, HELLO_FDS)
        control.close()
        if len(fds) != HELLO_FDS:  # the server went away, or discarded this spare
            return 0
        return self.run_for_launcher(list(fds))

    def leave_server(self, parent: int) -> None:
        """Close what belongs to the server (listener, lock, other children), die with it."""
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        die_with_parent(parent)
        self.selector.close()
        if self.wakeup_read is not None and self.wakeup_write is not None:
            self.wakeup_read.close()
            self.wakeup_write.close()
        if self.listener is not None:
            self.listener.close()
        for other in self.children.values():
            other.conn.close()
            os.close(other.pidfd)
        if self.spare is not None:
            self.spare.control.close()
            os.close(self.spare.pidfd)
        os.close(self.lock_fd)

    def run_for_launcher(self, fds: list[int]) -> int:
        """Adopt the launcher's stdio, argv, environment and working directory; run the target."""
        stdin, stdout, stderr, channel_fd = fds
        for target, fd in ((0, stdin), (1, stdout), (2, stderr)):
            os.dup2(fd, target)
        for fd in (stdin, stdout, stderr):
            if fd > 2:
                os.close(fd)
        channel = socket.socket(fileno=channel_fd)
        channel.settimeout(10)
        request = recv_message(channel)
        import warm.entry

        warm.entry.exit_reporter = functools.partial(report_exit, channel)
        os.environ.clear()
        os.environ.update({str(k): str(v) for k, v in request["env"].items()})
        os.chdir(request["cwd"])
        sys.argv = [str(arg) for arg in request["argv"]]
        try:
            self.target()
        except SystemExit as exc:
            return system_exit_code(exc)
        finally:
            for stream in (sys.stdout, sys.stderr):
                with contextlib.suppress(Exception):
                    stream.flush()
        return 0


def report_exit(channel: socket.socket, code: int) -> None:
    """Let go of Terraform's stdio (its reader waits for their end), then tell the launcher the
    exit code (it exits with it at once, while this process is still being torn down)."""
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)
    channel.settimeout(1)
    channel.sendall(encode({"exit": code}))


def system_exit_code(exc: SystemExit) -> int:
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code
    sys.stderr.write(f"{exc.code}\n")
    return 1


def die_with_parent(parent: int) -> None:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except Exception:
        pass
    if os.getppid() != parent:  # the server died before prctl took effect
        os._exit(1)


MADV_POPULATE_WRITE = 23  # Linux 5.14+: fault a range in for writing, copying shared pages


def populate_private_memory() -> None:
    """Give this forked process its own copy of every private writable page, in one pass.

    Best effort: on an older kernel (EINVAL) pages are copied on first write, as without it.
    """
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
        with open("/proc/self/maps") as maps:
            regions = maps.read().splitlines()
    except Exception:
        return
    for region in regions:
        fields = region.split()
        permissions = fields[1]
        name = fields[5] if len(fields) > 5 else ""
        if not permissions.startswith("rw") or permissions[3] != "p" or name in SKIPPED_REGIONS:
            continue
        start, end = (int(bound, 16) for bound in fields[0].split("-"))
        if libc.madvise(start, end - start, MADV_POPULATE_WRITE) != 0 and ctypes.get_errno() == errno.EINVAL:
            return


SKIPPED_REGIONS = frozenset({"[stack]", "[vvar]", "[vdso]", "[vsyscall]"})


def refresh_environment_caches() -> None:
    """What was read from the (scrubbed) server environment at import time, read again."""
    import tempfile

    from provider import pyvider_patches

    tempfile.tempdir = None
    pyvider_patches.refresh_rpcplugin_config()  # checked by `preload` before the server listened
    # provide.foundation set logging up from the environment on import (the levels decide which
    # calls are free no-ops); pyvider later only updates that config, so set it up again here.
    from provide.foundation import TelemetryConfig, get_hub

    get_hub().initialize_foundation(TelemetryConfig.from_env(), force=True)


def preload() -> None:
    """Before listening: what the first provider start needs (it only serves the schema), and
    the pyvider patches the children need. A patch that does not fit the installed pyvider
    raises `PyviderChanged` here, and the server does not start: every start is then a normal
    one (`provider.pyvider_patches` says why that is the right failure)."""
    import ctypes  # noqa: F401  (die_with_parent)
    import importlib.metadata
    import tempfile  # noqa: F401

    import warm.entry
    from provider import pyvider_patches

    warm.entry.preload()
    warm.entry.install_prompt_exit()
    pyvider_patches.install_speed_patches()  # children inherit them installed
    warm.entry.prepare_provider_config_class()
    warm.entry.register_components()  # children find the hub filled (`warm.plugin`)
    warm.entry.make_schema_ahead()  # and the schema answered
    pyvider_patches.check_rpcplugin_config()  # what each child's refresh_environment_caches does
    pyvider_patches.remember_entry_points(importlib.metadata)


def make_certificate_ahead() -> None:
    """A spare's work ahead: the plugin certificate its start will need (`provider.pyvider_patches`)."""
    from provider import pyvider_patches

    pyvider_patches.make_server_certificate_ahead()


def preload_later() -> None:
    """After the first fork: the rest (`warm.entry.preload_later`), frozen like the first part."""
    import warm.entry

    try:
        warm.entry.preload_later()
    except Exception:  # children import what is missing themselves
        log("late preload failed:\n" + traceback.format_exc())
    gc.freeze()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="warm fork server for terraform-provider-sevalla")
    parser.add_argument("--key", required=True)
    parser.add_argument("--version", required=True)
    parser.add_argument("--idle", type=float, default=600.0)
    args = parser.parse_args(argv)
    os.chdir("/")
    directory = runtime_dir()
    server = WarmServer(key=args.key, version=args.version, idle_seconds=args.idle, directory=directory)
    if not server.acquire_lock():
        log("another warm server holds the lock; exiting")
        return 0
    started = time.monotonic()
    try:
        preload()
    except Exception:
        log("preload failed; exiting:\n" + traceback.format_exc())
        return 1
    if server_key(args.version) != args.key:
        log("sources changed while starting; exiting")
        return 0
    server.remove_dead_servers()

    def on_term(_signum: int, _frame: Any) -> None:
        server.stop_requested = True

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    try:
        server.bind()
    except OSError as exc:
        if exc.errno in (errno.EADDRINUSE, errno.EEXIST):
            return 0
        raise
    # Children share the imported heap copy-on-write; frozen, their GC never writes to it.
    # (No gc.collect() first: 20 ms on the first start, for a few kB of import-time garbage.)
    gc.freeze()
    server.deferred = preload_later  # a launcher may be waiting: serve it first
    server.ahead = make_certificate_ahead
    log(f"ready in {time.monotonic() - started:.2f}s: key {args.key}, idle {args.idle:.0f}s")
    try:
        return server.serve_forever()
    finally:
        server.stop_listening()
        remove_own_copy(directory, args.key)


def remove_own_copy(directory: str, key: str) -> None:
    """The artifact's server runs from a copy of its executable (`warm.launcher.server_copy`)."""
    here = os.path.dirname(sys.executable)
    if os.path.dirname(here) == directory and os.path.basename(here).startswith(f"{key}."):
        shutil.rmtree(here, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
