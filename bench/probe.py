"""Start the provider the way Terraform does and time the handshake, the close and the memory.

Terraform (go-plugin) execs the plugin with the magic cookie, `PLUGIN_PROTOCOL_VERSIONS`,
`PLUGIN_MIN_PORT`/`PLUGIN_MAX_PORT` and, for automatic mTLS, its own client certificate in
`PLUGIN_CLIENT_CERT`; it reads one handshake line from the plugin's stdout, dials the address in
it over TLS with the certificate in the line, and on close calls `plugin.GRPCController/Shutdown`
and waits (up to 2 s) for the process to exit. This module does the same, with timestamps.
"""

from __future__ import annotations

import base64
import datetime
import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAGIC_COOKIE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"


def self_signed(
    curve: str = "secp521r1", digest: str = "sha512", *, days: float = 1 / 24
) -> tuple[bytes, bytes]:
    """A self-signed "localhost" ECDSA certificate and its key (PEM): Terraform's client
    certificate is P-521, the plugin's server certificate P-256
    (`provider.pyvider_patches.PLUGIN_CERTIFICATE_CURVE`)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    curves: dict[str, ec.EllipticCurve] = {
        "secp521r1": ec.SECP521R1(),
        "secp384r1": ec.SECP384R1(),
        "secp256r1": ec.SECP256R1(),
    }
    key = ec.generate_private_key(curves[curve])
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(key, hashes.SHA512() if digest == "sha512" else hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


def client_certificate_pem() -> str:
    """A go-plugin style client certificate: self-signed ECDSA P-521, like Terraform's."""
    return self_signed()[0].decode()


def plugin_environment(client_cert: str | None, base: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ if base is None else base)
    env.update(
        {
            "TF_PLUGIN_MAGIC_COOKIE": MAGIC_COOKIE,
            "PLUGIN_PROTOCOL_VERSIONS": "6",
            "PLUGIN_MIN_PORT": "10000",
            "PLUGIN_MAX_PORT": "25000",
        }
    )
    if client_cert:
        env["PLUGIN_CLIENT_CERT"] = client_cert
    else:
        env.pop("PLUGIN_CLIENT_CERT", None)
    return env


@dataclass
class StartSample:
    handshake_s: float
    exit_s: float
    rss_peak_kib: int  # VmHWM of the process serving gRPC (the provider, not the launcher)
    pss_kib: int  # its proportional share (a forked child shares its parent's pages)
    exit_code: int
    schema_ok: bool
    forked: bool = False  # served by a child of the warm server, not the process Terraform started
    tls: bool = False  # the handshake offered a server certificate (automatic mTLS)


def _server_pem(cert_field: str) -> bytes:
    body = cert_field + "=" * (-len(cert_field) % 4)
    der = base64.b64decode(body)
    lines = base64.encodebytes(der).decode().replace("\n", "")
    chunks = "\n".join(lines[i : i + 64] for i in range(0, len(lines), 64))
    return f"-----BEGIN CERTIFICATE-----\n{chunks}\n-----END CERTIFICATE-----\n".encode()


def _pipe_inode(fd: int) -> str:
    return os.readlink(f"/proc/self/fd/{fd}")


def serving_pid(stdout_link: str, fallback: int) -> int:
    """The process that holds our stdout pipe and is not the launcher: the provider itself.

    Behind the warm launcher the provider is a child of the warm server, not of the process
    we started, so it is found by the pipe it writes its handshake to.
    """
    candidates = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            if os.readlink(f"/proc/{entry.name}/fd/1") == stdout_link:
                candidates.append(int(entry.name))
        except OSError:
            continue
    others = [pid for pid in candidates if pid != fallback]
    return others[0] if others else fallback


def memory_kib(pid: int) -> tuple[int, int]:
    hwm = pss = 0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                hwm = int(line.split()[1])
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1])
    except OSError:
        pass
    return hwm, pss


def _null_object(block: Any) -> dict[str, Any]:
    values: dict[str, Any] = {attribute.name: None for attribute in block.attributes}
    for nested in block.block_types:
        # NestingMode: SINGLE 1 and GROUP 5 are objects, MAP 4 a map, LIST 2 and SET 3 lists.
        values[nested.type_name] = None if nested.nesting in (1, 5) else {} if nested.nesting == 4 else []
    return values


def serve_a_read(stub: Any, pb: Any, schema: Any, api_url: str, api_key: str) -> bool:
    """What a plan asks of a provider start: configure it, read `sevalla_clusters` from the API."""
    import msgpack

    config = _null_object(schema.provider.block)
    config.update({"api_url": api_url, "api_key": api_key})
    configured = stub.ConfigureProvider(
        pb.ConfigureProvider.Request(
            terraform_version="1.15.5", config=pb.DynamicValue(msgpack=msgpack.packb(config))
        ),
        timeout=60,
    )
    block = schema.data_source_schemas["sevalla_clusters"].block
    read = stub.ReadDataSource(
        pb.ReadDataSource.Request(
            type_name="sevalla_clusters", config=pb.DynamicValue(msgpack=msgpack.packb(_null_object(block)))
        ),
        timeout=60,
    )
    errors = [d for d in [*configured.diagnostics, *read.diagnostics] if d.severity == 1]
    if errors:
        raise RuntimeError(f"provider diagnostics: {errors}")
    state = msgpack.unpackb(read.state.msgpack)
    return bool(state.get("clusters"))


def start_once(
    command: list[str],
    env: dict[str, str],
    *,
    call_schema: bool = True,
    api: tuple[str, str] | None = None,
) -> StartSample:
    """One provider start: exec → handshake line, GetProviderSchema (and, given the API URL
    and key, ConfigureProvider + ReadDataSource), then close → exit."""
    import grpc
    from pyvider.protocols.tfprotov6.protobuf import tfplugin6_pb2 as pb
    from pyvider.protocols.tfprotov6.protobuf import tfplugin6_pb2_grpc as pb_grpc
    from pyvider.rpcplugin.protocol import grpc_controller_pb2 as ctl
    from pyvider.rpcplugin.protocol import grpc_controller_pb2_grpc as ctl_grpc

    read_fd, write_fd = os.pipe()
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdin=subprocess.DEVNULL, stdout=write_fd, stderr=subprocess.PIPE
    )
    os.close(write_fd)
    stdout_link = _pipe_inode(read_fd)
    with os.fdopen(read_fd, "rb", buffering=0) as out:
        line = b""
        while not line.endswith(b"\n"):
            chunk = out.read(1)
            if not chunk:
                break
            line += chunk
        handshake_s = time.perf_counter() - started
        parts = line.decode().strip().split("|")
        if len(parts) != 6:
            process.kill()
            _, err = process.communicate(timeout=10)
            raise RuntimeError(f"no handshake from {command}: {line!r}\n{err.decode()[-3000:]}")
        address = parts[3]
        target = f"unix:{address}" if parts[2] == "unix" else address
        if parts[5]:
            creds = grpc.ssl_channel_credentials(root_certificates=_server_pem(parts[5]))
            channel = grpc.secure_channel(
                target, creds, options=[("grpc.ssl_target_name_override", "localhost")]
            )
        else:
            channel = grpc.insecure_channel(target)
        schema_ok = True
        if call_schema:
            stub = pb_grpc.ProviderStub(channel)
            response = stub.GetProviderSchema(pb.GetProviderSchema.Request(), timeout=60)
            schema_ok = "sevalla_application" in response.resource_schemas
            if api is not None:
                schema_ok = schema_ok and serve_a_read(stub, pb, response, *api)
        pid = serving_pid(stdout_link, process.pid)
        rss, pss = memory_kib(pid)
        closing = time.perf_counter()
        ctl_grpc.GRPCControllerStub(channel).Shutdown(ctl.Empty(), timeout=10)
        channel.close()
        code = process.wait(timeout=30)
        exit_s = time.perf_counter() - closing
        if process.stderr is not None:
            process.stderr.close()
    return StartSample(
        handshake_s, exit_s, rss, pss, code, schema_ok, forked=pid != process.pid, tls=bool(parts[5])
    )
