"""What the release tests stand on: the artifact built once, a test CA, static HTTPS servers.

- `cached_release` builds the zip with `devtools.release` (PyInstaller, ~1 min) at most once
  for given inputs: the build lands in `build/release-cache/<hash of the inputs>/`, under a file
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
import functools
import http.server
import ipaddress
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

Release = release.Built


def cached_release() -> Release:
    """The artifact of the current inputs, built once (`devtools.release.cached_build`)."""
    return release.cached_build()


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
