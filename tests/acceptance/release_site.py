"""What the release tests stand on: the artifact built once, a test CA, static HTTPS servers.

- `cached_release` builds the zip with `devtools.release` (PyInstaller, ~1 min) at most once
  for given inputs: the build lands in `build/release-test/<hash of the inputs>/`, under a file
  lock, so two xdist workers (or a rerun with unchanged sources) share one build. The inputs are
  the provider's sources, the release code, pyproject.toml and the installed distributions.
- `LoopbackCA` makes a CA and a `localhost`/`127.0.0.1` server certificate (Terraform trusts the CA
  through SSL_CERT_FILE).
- `StaticHTTPS` serves a directory the way any static file server does (types from the file
  extension), over TLS, on a loopback port, from a thread.
"""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import functools
import hashlib
import http.server
import importlib.metadata
import ipaddress
import shutil
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from devtools import release
from devtools.registry import SigningKey

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "build" / "release-test"
INPUT_DIRS = ("provider", "resources", "data_sources", "warm")
INPUT_FILES = (
    "devtools/release.py",
    "devtools/registry.py",
    "pyproject.toml",
    "terraform-registry-manifest.json",
)


def inputs_hash() -> str:
    digest = hashlib.sha256()
    paths = [ROOT / name for name in INPUT_FILES]
    for directory in INPUT_DIRS:
        paths += sorted((ROOT / directory).rglob("*.py"))
    for path in paths:
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for dist in sorted(importlib.metadata.distributions(), key=lambda d: d.metadata["Name"] or ""):
        digest.update(f"{dist.metadata['Name']}=={dist.version}\n".encode())
    return digest.hexdigest()[:16]


@attrs.frozen
class Release:
    """One signed release in `dist`: its zip, SHA256SUMS, signature, and the key that signed it."""

    dist: Path
    version: str
    zip: Path
    signer: release.Signer

    def signing_key(self) -> SigningKey:
        return SigningKey(key_id=self.signer.key_id(), ascii_armor=self.signer.public_key())


def cached_release() -> Release:
    """Build (or reuse) the artifact for the current inputs; signs it with a throw-away key."""
    key = inputs_hash()
    CACHE.mkdir(parents=True, exist_ok=True)
    root = CACHE / key
    with (CACHE / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the other worker waits for our build
        done = root / "done"
        if not done.exists():
            for old in CACHE.iterdir():  # one build kept: ~90 MB each
                if old.is_dir():
                    shutil.rmtree(old)
            dist = root / "dist"
            release.build(dist, root / "work")
            signer = release.make_throwaway_key(root / "gnupg")
            signer.sign(release.write_sums(dist, release.read_version()))
            done.write_text(signer.key + "\n")
    version = release.read_version()
    signer = release.Signer(root / "gnupg", done.read_text().strip())
    artifact = release.Artifact(version, release.this_platform())
    return Release(root / "dist", version, root / "dist" / artifact.zip_name, signer)


@attrs.frozen
class LoopbackCA:
    ca_pem: Path
    cert_pem: Path
    key_pem: Path

    @staticmethod
    def create(directory: Path) -> LoopbackCA:
        directory.mkdir(parents=True, exist_ok=True)
        now = datetime.datetime.now(datetime.UTC)
        ca_key = ec.generate_private_key(ec.SECP256R1())
        ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sevalla release test CA")])
        ca = (
            x509.CertificateBuilder()
            .subject_name(ca_name)
            .issuer_name(ca_name)
            .public_key(ca_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .sign(ca_key, hashes.SHA256())
        )
        key = ec.generate_private_key(ec.SECP256R1())
        names = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
            .issuer_name(ca_name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(names), critical=False)
            .sign(ca_key, hashes.SHA256())
        )
        paths = LoopbackCA(directory / "ca.pem", directory / "server.pem", directory / "server-key.pem")
        paths.ca_pem.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
        paths.cert_pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        paths.key_pem.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        return paths


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class StaticHTTPS:
    """A static file server over TLS on 127.0.0.1 (port chosen by the kernel), in a thread."""

    def __init__(self, root: Path, ca: LoopbackCA) -> None:
        root.mkdir(parents=True, exist_ok=True)
        self.root = root
        handler = functools.partial(QuietHandler, directory=str(root))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(ca.cert_pem, ca.key_pem)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    @property
    def host(self) -> str:
        """The host part of a provider source address (`localhost:<port>/sevalla/sevalla`)."""
        return f"localhost:{self.port}"

    @property
    def url(self) -> str:
        return f"https://localhost:{self.port}/"

    @contextlib.contextmanager
    def running(self) -> Iterator[StaticHTTPS]:
        self.thread.start()
        try:
            yield self
        finally:
            self.server.shutdown()
            self.server.server_close()
