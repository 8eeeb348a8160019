"""A real redis-server on a free loopback port: the shared-state tests and `make bench-fleet` (issue 16).

`make test` and `.ci/run` install the Debian package when it is missing (the Makefile's
`$(REDIS_SERVER)` prerequisite); here it is only found, and its absence is an error, not a skip.
No persistence: a restart is an empty Redis, as after a crash without a dump. With `password` it
requires one (`requirepass`); with `tls` it listens only with TLS, under a self-signed certificate
for 127.0.0.1 made here, which the URL names as its CA (`?ssl_ca_certs=`), as for a managed Redis.
"""

from __future__ import annotations

import datetime
import shutil
import socket
import subprocess
import time
from ipaddress import IPv4Address
from pathlib import Path

import redis

REDIS_SERVER = "/usr/bin/redis-server"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 (its own CA) and its key, as PEM files."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(IPv4Address("127.0.0.1"))]), critical=False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "redis.crt", directory / "redis.key"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    key_file.chmod(0o600)
    return cert_file, key_file


class RedisServer:
    def __init__(self, workdir: Path, *, password: str | None = None, tls: bool = False) -> None:
        binary = REDIS_SERVER if Path(REDIS_SERVER).exists() else shutil.which("redis-server")
        if binary is None:
            raise RuntimeError(
                f"{REDIS_SERVER} not found: the shared-state tests need a real Redis. "
                "`make test` installs it (apt-get install -y redis-server)."
            )
        self._binary = binary
        self._workdir = workdir
        self.port = free_port()
        self.password = password
        self.certificate = self_signed_certificate(workdir) if tls else None
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        secret = f":{self.password}@" if self.password else ""
        if self.certificate is None:
            return f"redis://{secret}127.0.0.1:{self.port}/0"
        return f"rediss://{secret}127.0.0.1:{self.port}/0?ssl_ca_certs={self.certificate[0]}"

    def start(self) -> RedisServer:
        args = [self._binary, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        args += ["--dir", str(self._workdir), "--protected-mode", "yes"]
        if self.certificate is None:
            args += ["--port", str(self.port)]
        else:
            cert, key = self.certificate
            args += ["--port", "0", "--tls-port", str(self.port), "--tls-cert-file", str(cert)]
            args += ["--tls-key-file", str(key), "--tls-ca-cert-file", str(cert), "--tls-auth-clients", "no"]
        if self.password:
            args += ["--requirepass", self.password]
        self._process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while True:
            try:
                if self.client().ping():
                    return self
            except redis.ConnectionError:
                if self._process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not start on port {self.port}") from None
                time.sleep(0.05)

    def stop(self, *, kill: bool = True) -> None:
        """SIGKILL by default: a crash, everything it held is gone."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            if kill:
                process.kill()
            else:
                process.terminate()
            process.wait(10)

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_timeout=2)
