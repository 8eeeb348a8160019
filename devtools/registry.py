"""Two static trees any HTTPS file server can host, written from the release files in `dist/`.

- A provider registry (Terraform's provider registry protocol): `/.well-known/terraform.json`
  (`providers.v1`), the versions list, one download document per version and platform naming
  the zip, `SHA256SUMS`, its signature and the signing key. Configurations use
  `source = "<host>/sevalla/sevalla"` and a plain `terraform init`. Download URLs are
  host-relative (`/files/...`): Terraform resolves them against the document's URL, so the tree
  works on any host, at the host's root (where service discovery has to be anyway).
- A network mirror (the provider network mirror protocol): `<hostname>/sevalla/sevalla/
  index.json` and `<version>.json` with each zip's `h1:` (the unpacked package) and `zh:` (the
  zip) hashes, for `provider_installation { network_mirror { url = "https://.../" } }`. Its
  layout names the hostname configurations use in `source` (which need not resolve).

Every version in `dist/` with a `_SHA256SUMS` file is listed, so a tree built from a directory
that keeps older releases lets `terraform init -upgrade` move between them.

Serving: `.well-known/terraform.json` must be served as `application/json` (every file server
does that for `.json`); the other registry documents have no extension and Terraform does not
check their type.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import attrs

NAMESPACE = "sevalla"
TYPE = "sevalla"
NAME = f"terraform-provider-{TYPE}"
DEFAULT_HOSTNAME = "terraform.local"
PROTOCOLS = ["6.0"]
ZIP_PATTERN = re.compile(
    rf"^{re.escape(NAME)}_(?P<version>[^_]+)_(?P<os>[a-z0-9]+)_(?P<arch>[a-z0-9]+)\.zip$"
)


@attrs.frozen
class SigningKey:
    key_id: str
    ascii_armor: str


@attrs.frozen
class Package:
    """One zip of one version for one platform, as found in `dist/`."""

    version: str
    os: str
    arch: str
    path: Path

    @property
    def platform(self) -> str:
        return f"{self.os}_{self.arch}"


def packages(dist: Path) -> list[Package]:
    """The zips of every version that has a SHA256SUMS file (a published release)."""
    found = []
    for path in sorted(dist.glob(f"{NAME}_*.zip")):
        match = ZIP_PATTERN.match(path.name)
        if match and (dist / f"{NAME}_{match['version']}_SHA256SUMS").exists():
            found.append(Package(match["version"], match["os"], match["arch"], path))
    return found


def versions(found: list[Package]) -> list[str]:
    def key(version: str) -> tuple[int | str, ...]:
        return tuple(int(part) if part.isdigit() else part for part in re.split(r"[.+-]", version))

    return sorted({package.version for package in found}, key=key)


def zip_hash(path: Path) -> str:
    """`zh:`: the SHA-256 of the zip file itself (what SHA256SUMS lists)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return "zh:" + digest.hexdigest()


def package_hash(path: Path) -> str:
    """`h1:`: Go's dirhash Hash1 of the zip's files -- the same hash Terraform computes of the
    unpacked package (sorted `<sha256 hex>  <name>` lines, hashed again, base64)."""
    with zipfile.ZipFile(path) as archive:
        names = sorted(info.filename for info in archive.infolist())
        if any(name.endswith("/") or "\n" in name for name in names):
            raise ValueError(f"{path.name}: directory entries would make its h1: differ from Terraform's")
        summary = "".join(f"{hashlib.sha256(archive.read(name)).hexdigest()}  {name}\n" for name in names)
    return "h1:" + base64.b64encode(hashlib.sha256(summary.encode()).digest()).decode()


def write_json(path: Path, document: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2) + "\n")


def write_registry(dist: Path, out: Path, key: SigningKey) -> Path:
    """The registry tree (replaced whole); returns `out`."""
    found = packages(dist)
    if not found:
        raise SystemExit(f"no signed release in {dist}: run `python -m devtools.release all`")
    if out.exists():
        shutil.rmtree(out)
    write_json(out / ".well-known" / "terraform.json", {"providers.v1": "/v1/providers/"})
    base = out / "v1" / "providers" / NAMESPACE / TYPE
    listing = []
    for version in versions(found):
        files = out / "files" / version
        files.mkdir(parents=True)
        sums = f"{NAME}_{version}_SHA256SUMS"
        for name in (sums, f"{sums}.sig"):
            shutil.copyfile(dist / name, files / name)
        ours = [package for package in found if package.version == version]
        for package in ours:
            shutil.copyfile(package.path, files / package.path.name)
            write_json(
                base / version / "download" / package.os / package.arch,
                {
                    "protocols": PROTOCOLS,
                    "os": package.os,
                    "arch": package.arch,
                    "filename": package.path.name,
                    "download_url": f"/files/{version}/{package.path.name}",
                    "shasums_url": f"/files/{version}/{sums}",
                    "shasums_signature_url": f"/files/{version}/{sums}.sig",
                    "shasum": zip_hash(package.path).removeprefix("zh:"),
                    "signing_keys": {
                        "gpg_public_keys": [
                            {
                                "key_id": key.key_id,
                                "ascii_armor": key.ascii_armor,
                                "trust_signature": "",
                                "source": "sevalla",
                                "source_url": None,
                            }
                        ]
                    },
                },
            )
        listing.append(
            {
                "version": version,
                "protocols": PROTOCOLS,
                "platforms": [{"os": package.os, "arch": package.arch} for package in ours],
            }
        )
    write_json(base / "versions", {"versions": listing})
    return out


def write_mirror(dist: Path, out: Path, hostname: str = DEFAULT_HOSTNAME) -> Path:
    """The network mirror tree for `<hostname>/sevalla/sevalla` (replaced whole); returns `out`."""
    found = packages(dist)
    if not found:
        raise SystemExit(f"no signed release in {dist}: run `python -m devtools.release all`")
    if out.exists():
        shutil.rmtree(out)
    base = out / hostname / NAMESPACE / TYPE
    base.mkdir(parents=True)
    for version in versions(found):
        archives = {}
        for package in (p for p in found if p.version == version):
            shutil.copyfile(package.path, base / package.path.name)
            archives[package.platform] = {
                "url": package.path.name,  # relative to <version>.json
                "hashes": [package_hash(package.path), zip_hash(package.path)],
            }
        write_json(base / f"{version}.json", {"archives": archives})
    write_json(base / "index.json", {"versions": {version: {} for version in versions(found)}})
    return out
