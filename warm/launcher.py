"""What Terraform executes: ask the warm server for a provider child, or start one normally.

Run by the wrapper `devtools.install` writes (`command`: `python -I -S -c '...launcher.run()'
--version V --script S --argv0 A -- [provider args...]`); standard library only, so it starts in
~8 ms.

1. `SEVALLA_PROVIDER_WARM=0`, or no `TF_PLUGIN_MAGIC_COOKIE` (a human ran it): exec the normal
   console script (`--script`).
2. Connect to the warm server's socket, named after a key of the provider version, the Python
   and virtual environment, and the mtimes of the provider's sources (so an edit or a `pip
   install` means a new server, never a stale one). Send stdin/stdout/stderr and one end of a
   private socket pair (`socket.send_fds`); argv, environment and working directory go over the
   private pair straight to the forked child -- the warm server never reads them, so it never
   holds a secret or the plugin's mTLS certificate.
3. The server answers with the child's pid, later with its exit status; the launcher exits with
   it. The launcher ignores SIGINT (as go-plugin plugins do: the host sequences shutdown) and
   forwards SIGTERM/SIGHUP/SIGQUIT to the child. If the launcher dies, the server kills the child.
4. No server: spawn one (unless one is starting already), wait for it to listen (up to
   `SEVALLA_PROVIDER_WARM_WAIT` seconds, default 10; it imports once, where a normal start beside
   it would import twice on the same cores) and continue as in 3. A stale or broken server, one
   that dies or does not come up in time, or an unsafe socket directory: start this provider
   normally (`python -P -m warm.entry`, an ordinary start plus the prompt exit); with
   `SEVALLA_PROVIDER_WARM_WAIT=0` a missing server means a normal start too, beside the new one.

Inside the release artifact (`warm.artifact`, a PyInstaller bundle: `sys.frozen`) the same code
runs in the bundle's interpreter: the key covers the artifact's executable (path, size, mtime,
inode) instead of sources and a venv, the server is the same executable with
`SEVALLA_PROVIDER_ROLE=warm-server`, and a normal or stock start runs in this process.

The same module holds the wire format and the socket naming the server uses (`warm.server`).
"""

from __future__ import annotations

# The C modules behind socket, signal and hashlib: their Python wrappers import enum and re,
# which would double this launcher's start time (~20 ms → ~10 ms with these).
import _signal
import _socket
import marshal
import os
import stat
import struct
import sys
import time

try:
    from _sha256 import sha256
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import sha256

PROTOCOL = 1
# A PyInstaller bundle (the release artifact): no venv, no sources, one executable.
FROZEN = bool(getattr(sys, "frozen", False))
ROLE_VARIABLE = "SEVALLA_PROVIDER_ROLE"  # see warm.artifact
# The artifact's executable, for a warm server that runs from a copy of it (see `spawn_server`).
ARTIFACT_VARIABLE = "SEVALLA_PROVIDER_ARTIFACT"
SOURCE_PACKAGES = ("provider", "resources", "data_sources", "warm")
DISABLED_VALUES = ("0", "false", "no", "off")
DEFAULT_IDLE_SECONDS = 600
DEFAULT_WAIT_SECONDS = 10.0
CONNECT_TIMEOUT_SECONDS = 5.0
MAX_MESSAGE = 16 * 1024 * 1024
# A Unix socket path holds at most 107 bytes; pyvider names the plugin's `pyvider-<pid>.sock`.
MAX_PLUGIN_DIR = 80
# Only these reach the warm server's environment: no SEVALLA_* setting, no PLUGIN_* certificate.
SERVER_ENV_ALLOWLIST = ("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR", "XDG_RUNTIME_DIR")


class UnsafeDirectory(Exception):
    """The socket directory is not a private directory of this user."""


# --- wire format: 4-byte length, then a marshal-ed dict of str/int/list/dict ------------------
# marshal (not json) because it is built in; only processes of the same user ever talk here
# (0700 directory, SO_PEERCRED checked by the server).


def encode(message: dict) -> bytes:
    body = marshal.dumps(message, 4)
    return struct.pack(">I", len(body)) + body


def recv_exact(sock: _socket.socket, size: int) -> bytes:
    data = bytearray()
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise EOFError("peer closed")
        data += chunk
    return bytes(data)


def recv_message(sock: _socket.socket) -> dict:
    (size,) = struct.unpack(">I", recv_exact(sock, 4))
    if size > MAX_MESSAGE:
        raise ValueError(f"message too large: {size}")
    message = marshal.loads(recv_exact(sock, size))
    if not isinstance(message, dict):
        raise ValueError("message is not an object")
    return message


# --- where the server lives, and which server fits -----------------------------------------


def runtime_dir() -> str:
    """A private (0700, owned by us, not a symlink) directory for the sockets; created if needed."""
    uid = os.getuid()
    explicit = os.environ.get("SEVALLA_PROVIDER_WARM_DIR")
    if explicit:
        path = explicit
    else:
        base = os.environ.get("XDG_RUNTIME_DIR")
        if base and os.path.isdir(base) and os.stat(base).st_uid == uid:
            path = os.path.join(base, "sevalla-provider")
        else:
            path = f"/tmp/sevalla-provider-{uid}"
    try:  # noqa: SIM105 -- no contextlib here: the launcher imports as little as it can
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    info = os.lstat(path)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != uid or info.st_mode & 0o077:
        raise UnsafeDirectory(f"{path} must be a directory owned by uid {uid} with mode 0700")
    return path


def artifact_executable() -> str:
    """In the artifact: the executable Terraform unpacked (also for a server run from a copy)."""
    return os.environ.get(ARTIFACT_VARIABLE) or os.path.realpath(sys.executable)


def project_root() -> str:
    if FROZEN:
        return os.path.join(os.path.dirname(artifact_executable()), "_internal")
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def venv_dir() -> str:
    """The virtual environment of this interpreter; found from the executable, as `-S` hides it."""
    if FROZEN:
        return project_root()
    candidate = os.path.dirname(os.path.dirname(os.path.abspath(sys.executable)))
    if os.path.exists(os.path.join(candidate, "pyvenv.cfg")):
        return candidate
    return sys.prefix


def site_packages() -> str:
    version = f"python{sys.version_info[0]}.{sys.version_info[1]}"
    return os.path.join(venv_dir(), "lib", version, "site-packages")


def source_fingerprint(root: str) -> str:
    """Newest mtime (ns) and count of the provider's .py files, and the venv's site-packages mtime.

    Editing a resource or installing a package changes it, so a warm server never serves code
    older than what a normal start would import. In the artifact: its executable (which holds
    the bundled code), so an upgrade or a re-extraction at the same path means a new server.
    """
    if FROZEN:
        try:
            info = os.stat(artifact_executable())
        except OSError:
            return "artifact gone"
        return f"artifact:{info.st_size}:{info.st_mtime_ns}:{info.st_ino}"
    newest = 0
    count = 0
    stack = [os.path.join(root, name) for name in SOURCE_PACKAGES]
    while stack:
        directory = stack.pop()
        try:
            entries = list(os.scandir(directory))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    stack.append(entry.path)
            elif entry.name.endswith(".py"):
                count += 1
                newest = max(newest, entry.stat().st_mtime_ns)
    try:
        venv = os.stat(site_packages()).st_mtime_ns
    except OSError:
        venv = 0
    return f"{newest}:{count}:{venv}"


def server_key(version: str, root: str | None = None) -> str:
    root = root or project_root()
    material = "\0".join(
        [
            str(PROTOCOL),
            version,
            artifact_executable() if FROZEN else os.path.realpath(sys.executable),
            venv_dir(),
            sys.version,
            root,
            source_fingerprint(root),
        ]
    )
    return sha256(material.encode()).hexdigest()[:20]


def socket_path(directory: str, key: str) -> str:
    return os.path.join(directory, f"{key}.sock")


def lock_path(directory: str, key: str) -> str:
    return os.path.join(directory, f"{key}.lock")


def server_starting(directory: str, key: str) -> bool:
    """True while a warm server for this key holds its lock (starting up or running)."""
    import fcntl

    try:
        fd = os.open(lock_path(directory, key), os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)
    return False


def spawn_server(directory: str, key: str, version: str, idle: int) -> int:
    """Start a detached warm server (own session, scrubbed environment, log in the socket dir)."""
    environment = {name: os.environ[name] for name in SERVER_ENV_ALLOWLIST if name in os.environ}
    environment["SEVALLA_PROVIDER_WARM_DIR"] = directory
    log = os.path.join(directory, f"{key}.log")
    if FROZEN:
        environment[ROLE_VARIABLE] = "warm-server"
        environment[ARTIFACT_VARIABLE] = artifact_executable()
        python = [server_copy(directory, key)]
    else:
        python = [sys.executable, "-P", "-m", "warm.server"]
    argv = [
        *python,
        "--key",
        key,
        "--version",
        version,
        "--idle",
        str(idle),
    ]
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600),
        (os.POSIX_SPAWN_DUP2, 1, 2),
    ]
    return os.posix_spawn(argv[0], argv, environment, file_actions=actions, setsid=True)


def server_copy(directory: str, key: str) -> str:
    """In the artifact: a copy of its executable for the warm server to run, beside a link to its
    `_internal/` (`<dir>/<key>.<pid>.exe/`). A running executable cannot be rewritten ("text file
    busy"), and `terraform init` reinstalls a damaged package over the old files: run from a copy,
    the server never holds the package's executable. ~9 MB, removed by the server when it exits."""
    original = artifact_executable()
    copy_dir = os.path.join(directory, f"{key}.{os.getpid()}.exe")
    os.mkdir(copy_dir, 0o700)
    os.symlink(os.path.join(os.path.dirname(original), "_internal"), os.path.join(copy_dir, "_internal"))
    copy = os.path.join(copy_dir, os.path.basename(original))
    source = os.open(original, os.O_RDONLY)
    try:
        target = os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o700)
        try:
            while os.sendfile(target, source, None, 1 << 24):  # the C call: no shutil import here
                pass
        finally:
            os.close(target)
    finally:
        os.close(source)
    return copy


def ask_server(path: str, message: dict, timeout: float = CONNECT_TIMEOUT_SECONDS) -> dict:
    """One request without descriptors (`status`, `stop`): for tests, benchmarks and operators."""
    conn = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        conn.settimeout(timeout)
        conn.connect(path)
        conn.sendall(encode(message))
        return recv_message(conn)
    finally:
        conn.close()


# --- the launcher --------------------------------------------------------------------------


def exit_code_from_status(status: int) -> int:
    """waitpid status → a shell-style exit code (128 + signal for a killed child)."""
    code = os.waitstatus_to_exitcode(status)
    return 128 - code if code < 0 else code


class NoWarmServer(Exception):
    """This start cannot go through a warm server (`missing`: nobody listens on its socket)."""

    def __init__(self, message: str, *, missing: bool = False) -> None:
        super().__init__(message)
        self.missing = missing


def send_with_fds(sock: _socket.socket, data: bytes, fds: list[int]) -> None:
    """`socket.send_fds` without importing `socket`: one sendmsg with SCM_RIGHTS."""
    rights = struct.pack(f"{len(fds)}i", *fds)
    sent = sock.sendmsg([data], [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, rights)])
    if sent < len(data):
        sock.sendall(data[sent:])


def request_child(
    path: str, key: str, argv: list[str], cwd: str
) -> tuple[_socket.socket, int, _socket.socket]:
    """Connect, hand over stdio and the private channel; returns the connection, the child pid
    and our end of the private channel (where the child reports its exit code first)."""
    conn = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        conn.settimeout(CONNECT_TIMEOUT_SECONDS)
        try:
            conn.connect(path)
        except (FileNotFoundError, ConnectionRefusedError) as exc:
            raise NoWarmServer(f"no server at {path}", missing=True) from exc
        ours, childs = _socket.socketpair(_socket.AF_UNIX, _socket.SOCK_STREAM, 0)
        # From here a child may run (a spare starts at once): a Ctrl-C must not end us first.
        _signal.signal(_signal.SIGINT, _signal.SIG_IGN)
        try:
            send_with_fds(conn, encode({"op": "spawn", "key": key}), [0, 1, 2, childs.fileno()])
        finally:
            childs.close()
        try:
            ours.settimeout(CONNECT_TIMEOUT_SECONDS)
            # Buffered in the pair: the child reads it once forked; the server never sees it.
            ours.sendall(encode({"argv": argv, "env": dict(os.environ), "cwd": cwd}))
            reply = recv_message(conn)
        except BaseException:
            ours.close()
            raise
        if "pid" not in reply:
            ours.close()
            raise NoWarmServer(str(reply.get("error", reply)))
        conn.settimeout(None)
        ours.settimeout(None)
        return conn, int(reply["pid"]), ours
    except (OSError, EOFError, ValueError, TypeError) as exc:
        conn.close()
        raise NoWarmServer(f"{type(exc).__name__}: {exc}") from exc
    except NoWarmServer:
        conn.close()
        raise


def wait_for_child(conn: _socket.socket, pid: int, channel: _socket.socket | None = None) -> int:
    """Forward termination signals to the child; return its exit code when the child reports it
    on the private `channel` (just before it exits: its memory is freed after Terraform has
    moved on) or, failing that, when the server reports it."""

    def forward(signum: int, _frame: object) -> None:
        try:  # noqa: SIM105 -- as above
            os.kill(pid, signum)
        except OSError:
            pass

    _signal.signal(_signal.SIGINT, _signal.SIG_IGN)
    for signum in (_signal.SIGTERM, _signal.SIGHUP, _signal.SIGQUIT):
        _signal.signal(signum, forward)
    if channel is not None:
        try:
            return int(recv_message(channel)["exit"])
        except (OSError, EOFError, ValueError, TypeError, KeyError):
            pass  # the child ended without a word (killed, crashed): the server knows how
        finally:
            channel.close()
    try:
        reply = recv_message(conn)
        return int(reply["exit"])
    except (OSError, EOFError, ValueError, TypeError, KeyError):
        # The warm server went away under us; its child dies with it (PDEATHSIG), make sure.
        forward(_signal.SIGKILL, None)
        return 1


def parse_args(args: list[str]) -> tuple[dict[str, str], list[str]]:
    options: dict[str, str] = {}
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            index += 1
            break
        if arg in ("--version", "--script", "--argv0") and index + 1 < len(args):
            options[arg[2:]] = args[index + 1]
            index += 2
            continue
        break
    return options, args[index:]


def exec_normal(script: str | None, argv0: str, rest: list[str]) -> None:
    """The stock start: pyvider's console script, as if there were no launcher."""
    _signal.signal(_signal.SIGINT, _signal.SIG_DFL)
    if FROZEN:
        run_here(argv0, rest, stock=True)
    if script:
        os.execv(script, [script, *rest])
    exec_entry(argv0, rest)


def exec_entry(argv0: str, rest: list[str]) -> None:
    """A normal (cold) start of the provider, with the prompt exit (`warm.entry`)."""
    _signal.signal(_signal.SIGINT, _signal.SIG_DFL)  # an ignored signal would stay ignored
    os.environ["SEVALLA_PROVIDER_ARGV0"] = argv0
    if FROZEN:
        run_here(argv0, rest, stock=False)
    os.execv(sys.executable, [sys.executable, "-P", "-m", "warm.entry", *rest])


def run_here(argv0: str, rest: list[str], *, stock: bool) -> None:
    """In the artifact, a normal (`warm.entry`) or stock (pyvider's CLI) start in this process.

    There is nothing to exec: this process already is the bundle's interpreter. Never returns.
    """
    _signal.signal(_signal.SIGINT, _signal.default_int_handler)
    sys.argv = [argv0, *rest]
    prepare_frozen_interpreter()
    if stock:
        from pyvider.cli.__main__ import main as pyvider_main

        pyvider_main()
    else:
        import warm.entry

        warm.entry.main()
    raise SystemExit(0)  # both exit through SystemExit (click); an ordinary interpreter exit


FROZEN_RUNTIME_HOOKS = "sevalla_rthooks"  # devtools.release.RUNTIME_HOOKS_DIR


def prepare_frozen_interpreter() -> None:
    """Run the PyInstaller runtime hooks the build took out of every start (`devtools.release`).

    They make `inspect`, `pkgutil` and `multiprocessing` work in a bundle and cost ~50 ms of
    imports, which only a process that is going to serve (a normal start, the warm server) needs.
    """
    directory = os.path.join(project_root(), FROZEN_RUNTIME_HOOKS)
    if not FROZEN or not os.path.isdir(directory):
        return
    for name in sorted(os.listdir(directory)):
        path = os.path.join(directory, name)
        with open(path, encoding="utf-8") as handle:
            code = compile(handle.read(), path, "exec")
        exec(code, {"__name__": "__main__", "__file__": path})


def main(args: list[str] | None = None) -> int:
    options, rest = parse_args(sys.argv[1:] if args is None else args)
    script = options.get("script")
    version = options.get("version", "0")
    argv0 = options.get("argv0") or script or sys.argv[0]
    if os.environ.get("SEVALLA_PROVIDER_WARM", "1").strip().lower() in DISABLED_VALUES:
        exec_normal(script, argv0, rest)
    if not os.environ.get("TF_PLUGIN_MAGIC_COOKIE"):
        exec_normal(script, argv0, rest)
    if sys.platform != "linux":  # pidfd, SO_PEERCRED, PR_SET_PDEATHSIG: Linux only
        exec_entry(argv0, rest)
    debug = os.environ.get("SEVALLA_PROVIDER_WARM_DEBUG") == "1"
    try:
        directory = runtime_dir()
        key = server_key(version)
        path = socket_path(directory, key)
        if len(directory) <= MAX_PLUGIN_DIR:  # pyvider puts the plugin's socket there, not in /tmp
            os.environ["TEMP_DIR"] = directory
    except (OSError, UnsafeDirectory) as exc:
        if debug:
            sys.stderr.write(f"sevalla warm launcher: no warm start ({exc})\n")
        exec_entry(argv0, rest)
        return 1  # not reached
    argv = [argv0, *rest]
    try:
        conn, pid, channel = request_child(path, key, argv, os.getcwd())
    except NoWarmServer as exc:
        if debug:
            sys.stderr.write(f"sevalla warm launcher: no warm server ({exc})\n")
        spawned = None
        if not server_starting(directory, key):
            try:
                spawned = spawn_server(directory, key, version, idle_seconds())
            except OSError as spawn_error:
                if debug:
                    sys.stderr.write(f"sevalla warm launcher: cannot spawn a server ({spawn_error})\n")
        got = None
        if exc.missing and (spawned or server_starting(directory, key)):
            got = wait_for_server(path, key, argv, directory, spawned, wait_seconds())
        if got is None:
            if debug:
                sys.stderr.write("sevalla warm launcher: normal start\n")
            exec_entry(argv0, rest)
            return 1  # not reached
        conn, pid, channel = got
    code = wait_for_child(conn, pid, channel)
    return code


def wait_for_server(
    path: str, key: str, argv: list[str], directory: str, spawned: int | None, seconds: float
) -> tuple[_socket.socket, int, _socket.socket] | None:
    """Wait for a server that is starting (ours or another launcher's) and get a child from it.

    One import (the server's) instead of two at once (a normal start beside a starting server):
    on a busy 2-core machine a first start is faster this way, and it is a forked child too.
    Gives up (→ normal start) when the server dies, stops starting, or `seconds` pass.
    """
    if seconds <= 0:
        return None
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(0.005)
        if spawned:
            try:
                exited = os.waitpid(spawned, os.WNOHANG)[0] != 0
            except ChildProcessError:
                exited = True
            if exited:  # failed, or lost the lock to another launcher's server: wait for that
                spawned = None
        if not spawned and not server_starting(directory, key):
            deadline = 0.0  # one last try below, then give up
        try:
            return request_child(path, key, argv, os.getcwd())
        except NoWarmServer as exc:
            if not exc.missing:
                return None
    return None


def wait_seconds() -> float:
    """How long a start waits for a starting warm server (`SEVALLA_PROVIDER_WARM_WAIT`, 0 = never)."""
    try:
        return max(0.0, float(os.environ.get("SEVALLA_PROVIDER_WARM_WAIT", DEFAULT_WAIT_SECONDS)))
    except ValueError:
        return DEFAULT_WAIT_SECONDS


def idle_seconds() -> int:
    try:
        return max(1, int(os.environ.get("SEVALLA_PROVIDER_WARM_IDLE", DEFAULT_IDLE_SECONDS)))
    except ValueError:
        return DEFAULT_IDLE_SECONDS


def command(python: str) -> list[str]:
    """How the wrapper runs this launcher: isolated (no user site, no PYTHON* variables, nothing
    from the working directory on sys.path), without site-packages, imported rather than run as a
    script so its bytecode is cached (compiling this file costs ~3 ms per start)."""
    here = os.path.dirname(os.path.abspath(__file__))
    entry = f"import sys; sys.path.insert(0, {here!r}); import launcher; launcher.run()"
    return [python, "-I", "-S", "-c", entry]


def run() -> None:
    """The wrapper's entry (see `command`)."""
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # skip interpreter teardown: Terraform waits for this exit


if __name__ == "__main__":
    run()
