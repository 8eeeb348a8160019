"""The release as a Terraform user gets it: `make release`'s zip from a registry and a mirror.

Real parts only: the artifact PyInstaller built (once per inputs, see `release_site`), real
Terraform, two static HTTPS servers on loopback with a test CA (SSL_CERT_FILE), gpg. Each
"machine" is its own HOME and working directory, with an environment made from nothing: PATH
holds only `terraform`, no virtual environment, no PYTHON* variable, nothing of the repository.
"""

from __future__ import annotations

import contextlib
import shlex
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

from devtools import registry, release
from devtools.terraform import terraform_command
from emulator.process import EmulatorProcess
from tests.acceptance.conftest import assert_emulator_empty
from tests.acceptance.release_site import LoopbackCA, Release, StaticHTTPS, cached_release
from warm import launcher

pytestmark = pytest.mark.acceptance

MIRROR_HOST = "registry.sevalla.example"  # only the mirror knows it: it need not resolve
PLATFORM = "linux_amd64"

RESOURCES = """
data "sevalla_clusters" "all" {}

resource "sevalla_application" "app" {
  display_name   = "release-test-app"
  cluster_id     = data.sevalla_clusters.all.clusters[0].id
  source         = "publicGit"
  repo_url       = "https://github.com/sevalla-templates/nodejs-hello-world"
  default_branch = "main"
  build_type     = "nixpacks"
}
"""


def configuration(source: str, constraint: str, body: str = RESOURCES) -> str:
    return (
        "terraform {\n  required_providers {\n"
        f'    sevalla = {{ source = "{source}", version = "{constraint}" }}\n'
        "  }\n}\n" + body
    )


@attrs.frozen
class Site:
    release: Release
    ca: LoopbackCA
    registry: StaticHTTPS
    mirror: StaticHTTPS

    @property
    def source(self) -> str:
        return f"{self.registry.host}/{registry.NAMESPACE}/{registry.TYPE}"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    built = cached_release()
    root = tmp_path_factory.mktemp("release-site")
    ca = LoopbackCA.create(root / "ca")
    with (
        StaticHTTPS(root / "registry", ca).running() as registry_server,
        StaticHTTPS(root / "mirror", ca).running() as mirror_server,
    ):
        registry.write_registry(built.dist, registry_server.root, built.signing_key())
        registry.write_mirror(built.dist, mirror_server.root, MIRROR_HOST)
        yield Site(built, ca, registry_server, mirror_server)


class Machine:
    """One user's machine: own HOME, CLI config, warm-server directory and working directory."""

    def __init__(
        self, root: Path, site: Site, emulator: EmulatorProcess | None, cli_config: str = ""
    ) -> None:
        self.workdir = root / "work"
        self.workdir.mkdir(parents=True)
        home = root / "home"
        home.mkdir()
        (home / ".terraformrc").write_text(cli_config)
        bin_dir = root / "bin"
        bin_dir.mkdir()
        terraform = bin_dir / "terraform"
        terraform.write_text(f'#!/bin/sh\nexec {shlex.join(terraform_command())} "$@"\n')
        terraform.chmod(0o755)
        # Short and private (mkdtemp: 0700): a Unix socket's path has at most 107 bytes, and the
        # test's tmp_path under xdist (popen-gw1/...) is too long for one.
        self.warm_dir = Path(tempfile.mkdtemp(prefix="sevalla-warm-", dir="/tmp"))
        self.env = {
            "HOME": str(home),
            "PATH": str(bin_dir),
            "SSL_CERT_FILE": str(site.ca.ca_pem),
            "TF_CLI_CONFIG_FILE": str(home / ".terraformrc"),
            "TF_IN_AUTOMATION": "1",
            "CHECKPOINT_DISABLE": "1",
            "SEVALLA_PROVIDER_WARM_DIR": str(self.warm_dir),
            "SEVALLA_DISK_CACHE_DIR": str(root / "disk-cache"),
        }
        if emulator is not None:
            self.env |= {"SEVALLA_API_URL": emulator.url, "SEVALLA_API_KEY": emulator.api_key}

    def write(self, text: str) -> None:
        (self.workdir / "main.tf").write_text(text)

    def run(self, *args: str, expect: tuple[int, ...] = (0,)) -> str:
        result = subprocess.run(
            ["terraform", *args, "-no-color"],
            cwd=self.workdir,
            env=self.env,
            executable=self.env["PATH"] + "/terraform",
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=600,
        )
        output = result.stdout + result.stderr
        assert result.returncode in expect, f"terraform {' '.join(args)} exited {result.returncode}\n{output}"
        return output

    def lock_file(self) -> str:
        return (self.workdir / ".terraform.lock.hcl").read_text()

    def stop_warm_servers(self) -> None:
        for sock in self.warm_dir.glob("*.sock"):
            with contextlib.suppress(OSError, EOFError, ValueError):
                launcher.ask_server(str(sock), {"op": "stop"}, timeout=5)
        shutil.rmtree(self.warm_dir, ignore_errors=True)


def assert_no_checksum_error(init_output: str) -> None:
    """What Terraform says when a package does not match the lock file (and `init` exits 1)."""
    assert "doesn't match any of the checksums" not in init_output
    assert "Error" not in init_output


@pytest.fixture
def machines(tmp_path: Path) -> Iterator[list[Machine]]:
    made: list[Machine] = []
    yield made
    for machine in made:
        machine.stop_warm_servers()


def wait_for_sockets(directory: Path, within: float = 120.0) -> list[Path]:
    """The warm server's socket(s) in `directory`, once there is one (or none after `within`)."""
    deadline = time.monotonic() + within
    while True:
        found = list(directory.glob("*.sock"))
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def test_registry_install_lock_and_a_second_home(
    site: Site, clean_emulator: EmulatorProcess, tmp_path: Path, machines: list[Machine]
) -> None:
    """`terraform init` from the registry, `providers lock`, apply; a colleague's HOME with the
    committed lock file (and the shared state) inits and plans no change; destroy."""
    version = site.release.version
    first = Machine(tmp_path / "first", site, clean_emulator)
    machines.append(first)
    first.write(configuration(site.source, f"~> {version}"))
    init = first.run("init", "-input=false")
    assert f"Installed {site.source} v{version} (self-signed, key ID {site.release.signer.key_id()})" in init
    package = first.workdir / ".terraform" / "providers" / site.source / version / PLATFORM
    assert (package / f"terraform-provider-sevalla_v{version}").is_file()
    assert (package / "bundle" / "_internal").is_dir()  # the bundled interpreter, not a wrapper

    first.run("providers", "lock", f"-platform={PLATFORM}")
    lock = first.lock_file()
    assert f'provider "{site.source}"' in lock
    assert registry.package_hash(site.release.zip) in lock
    assert registry.zip_hash(site.release.zip) in lock
    first.run("apply", "-auto-approve", "-input=false")
    assert first.run("plan", "-detailed-exitcode", "-input=false", expect=(0, 2)).count("No changes") == 1
    # The artifact's starts went through its warm launcher: it spawned a warm server, which answers.
    # (It loads in the background while the first starts run stock: on a loaded machine it may
    # still be loading when the plan ends, so its socket is waited for, generously.)
    sockets = wait_for_sockets(first.warm_dir)
    assert len(sockets) == 1
    server = launcher.ask_server(str(sockets[0]), {"op": "status"})
    # ...and runs nothing of the repository or a venv: every mapped file is the package's or the system's.
    mapped = Path(f"/proc/{server['pid']}/maps").read_text()
    assert str(release.ROOT) not in mapped
    assert str(package.resolve() / "bundle" / "_internal" / "libpython3.11.so.1.0") in mapped

    second = Machine(tmp_path / "second", site, clean_emulator)
    machines.append(second)
    for name in ("main.tf", ".terraform.lock.hcl", "terraform.tfstate"):
        shutil.copyfile(first.workdir / name, second.workdir / name)
    assert_no_checksum_error(second.run("init", "-input=false"))
    assert second.lock_file() == lock  # nothing to add, nothing changed
    assert "No changes" in second.run("plan", "-detailed-exitcode", "-input=false")
    second.run("destroy", "-auto-approve", "-input=false")
    assert_emulator_empty(clean_emulator)

    # A package that lost a file no longer matches the lock file: Terraform refuses to run it, and
    # `terraform init` (what it advises) reinstalls it over the old files while the warm server is
    # still up -- the server runs from a copy of the executable, never "text file busy".
    assert launcher.ask_server(str(sockets[0]), {"op": "status"})["pid"] == server["pid"]
    (package / "bundle" / "_internal" / "base_library.zip").unlink()
    assert "Required plugins are not installed" in first.run("plan", "-input=false", expect=(1,))
    assert "Installed" in first.run("init", "-input=false")
    assert (package / "bundle" / "_internal" / "base_library.zip").is_file()
    first.run("plan", "-input=false", expect=(0, 2))


def test_network_mirror_install_lock_and_a_second_home(
    site: Site, clean_emulator: EmulatorProcess, tmp_path: Path, machines: list[Machine]
) -> None:
    version = site.release.version
    source = f"{MIRROR_HOST}/{registry.NAMESPACE}/{registry.TYPE}"
    cli_config = f'provider_installation {{\n  network_mirror {{\n    url = "{site.mirror.url}"\n  }}\n}}\n'
    first = Machine(tmp_path / "first", site, clean_emulator, cli_config)
    machines.append(first)
    first.write(configuration(source, f"~> {version}"))
    assert f"Installed {source} v{version}" in first.run("init", "-input=false")
    first.run("providers", "lock", f"-net-mirror={site.mirror.url}", f"-platform={PLATFORM}")
    lock = first.lock_file()
    assert registry.package_hash(site.release.zip) in lock
    first.run("apply", "-auto-approve", "-input=false")

    second = Machine(tmp_path / "second", site, clean_emulator, cli_config)
    machines.append(second)
    for name in ("main.tf", ".terraform.lock.hcl", "terraform.tfstate"):
        shutil.copyfile(first.workdir / name, second.workdir / name)
    assert_no_checksum_error(second.run("init", "-input=false"))
    assert second.lock_file() == lock
    assert "No changes" in second.run("plan", "-detailed-exitcode", "-input=false")
    second.run("destroy", "-auto-approve", "-input=false")
    assert_emulator_empty(clean_emulator)


def test_a_lock_file_pins_a_version_and_init_upgrade_moves_on(
    site: Site, tmp_path: Path, machines: list[Machine]
) -> None:
    """A newer release appears in the registry: `init` keeps the locked one, `-upgrade` moves.

    The newer release is this same zip published under the next patch version (Terraform never
    asks a provider its version), signed like a real one."""
    version = site.release.version
    major, minor, patch = (int(part) for part in version.split(".")[:3])
    newer = f"{major}.{minor}.{patch + 1}"
    dist = tmp_path / "dist"
    shutil.copytree(site.release.dist, dist)
    shutil.copyfile(site.release.zip, dist / release.Artifact(newer, PLATFORM).zip_name)

    with StaticHTTPS(tmp_path / "registry", site.ca).running() as server:
        registry.write_registry(dist, server.root, site.release.signing_key())  # only `version`
        source = f"{server.host}/{registry.NAMESPACE}/{registry.TYPE}"
        machine = Machine(tmp_path / "machine", site, None)
        machines.append(machine)
        machine.write(configuration(source, f">= {version}", body=""))
        assert f"Installed {source} v{version}" in machine.run("init", "-input=false")
        assert f'version     = "{version}"' in machine.lock_file()

        site.release.signer.sign(release.write_sums(dist, newer))
        registry.write_registry(dist, server.root, site.release.signing_key())
        assert f"Using previously-installed {source} v{version}" in machine.run("init", "-input=false")
        assert f'version     = "{version}"' in machine.lock_file()
        assert f"Installed {source} v{newer}" in machine.run("init", "-upgrade", "-input=false")
        assert f'version     = "{newer}"' in machine.lock_file()


def flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("tampered", ["zip", "signature", "mirror zip"])
def test_a_tampered_package_or_signature_is_refused(
    site: Site, tmp_path: Path, machines: list[Machine], tampered: str
) -> None:
    version = site.release.version
    zip_name = site.release.zip.name
    with StaticHTTPS(tmp_path / "served", site.ca).running() as server:
        if tampered == "mirror zip":
            registry.write_mirror(site.release.dist, server.root, MIRROR_HOST)
            flip_a_byte(server.root / MIRROR_HOST / registry.NAMESPACE / registry.TYPE / zip_name)
            source = f"{MIRROR_HOST}/{registry.NAMESPACE}/{registry.TYPE}"
            cli_config = (
                f'provider_installation {{\n  network_mirror {{\n    url = "{server.url}"\n  }}\n}}\n'
            )
        else:
            registry.write_registry(site.release.dist, server.root, site.release.signing_key())
            files = server.root / "files" / version
            flip_a_byte(files / (zip_name if tampered == "zip" else f"{release.sums_name(version)}.sig"))
            source = f"{server.host}/{registry.NAMESPACE}/{registry.TYPE}"
            cli_config = ""
        machine = Machine(tmp_path / "machine", site, None, cli_config)
        machines.append(machine)
        machine.write(configuration(source, f"~> {version}", body=""))
        output = machine.run("init", "-input=false", expect=(1,))
    assert "Failed to install provider" in output or "Failed to query" in output, output
    expected = "signature" if tampered == "signature" else "checksum"
    assert expected in output.lower(), output
    assert not (machine.workdir / ".terraform" / "providers" / source).exists()


@pytest.mark.parametrize(
    ("remove", "says"),
    [
        ("bundle/_internal/base_library.zip", "base_library.zip is missing"),  # the sh script
        ("bundle/_internal/grpc/_cython", "cannot import grpc._cython"),  # the bundled Python
    ],
)
def test_an_incomplete_package_says_what_is_missing_and_how_to_reinstall(
    tmp_path: Path, remove: str, says: str
) -> None:
    built = cached_release()
    executable = release.unpack(built.zip, tmp_path)
    shutil.rmtree(tmp_path / remove) if (tmp_path / remove).is_dir() else (tmp_path / remove).unlink()
    warm_dir = tmp_path / "warm"
    warm_dir.mkdir(mode=0o700)
    result = subprocess.run(
        [str(executable)],
        env={
            "PATH": "/usr/bin:/bin",
            "HOME": str(tmp_path),
            "SEVALLA_PROVIDER_WARM_DIR": str(warm_dir),
            "TF_PLUGIN_MAGIC_COOKIE": "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert result.stdout == result.stderr  # started by Terraform: its error shows stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert says in lines[0]
    assert f"rm -rf '{tmp_path}' and run terraform init" in lines[0]
