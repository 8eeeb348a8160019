"""The registry and mirror trees and the hashes in them, from a small zip (no PyInstaller here;
tests/acceptance/test_release.py has real Terraform read the real ones)."""

from __future__ import annotations

import base64
import hashlib
import json
import zipfile
from pathlib import Path

import pytest

from devtools import registry, release

KEY = registry.SigningKey(key_id="0123456789ABCDEF", ascii_armor="-----BEGIN PGP PUBLIC KEY BLOCK-----\n…")


def small_release(dist: Path, version: str = "1.2.3") -> Path:
    """A zip as `devtools.release` lays one out, and the sums/signature files the trees copy."""
    files = {"bin-script": dist / "src" / "script", "bundle/lib.txt": dist / "src" / "lib.txt"}
    for name, path in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"contents of {name}\n")
    files["bin-script"].chmod(0o755)
    artifact = release.Artifact(version, "linux_amd64")
    zip_path = release.zip_package(
        {artifact.executable: files["bin-script"], "bundle/lib.txt": files["bundle/lib.txt"]},
        dist / artifact.zip_name,
    )
    sums = dist / release.sums_name(version)
    sums.write_text(f"{registry.zip_hash(zip_path)[3:]}  {zip_path.name}\n")
    (dist / f"{sums.name}.sig").write_bytes(b"signature")
    return zip_path


def test_zip_has_files_only_with_their_modes(tmp_path: Path) -> None:
    zip_path = small_release(tmp_path)
    with zipfile.ZipFile(zip_path) as archive:
        infos = {info.filename: info for info in archive.infolist()}
    assert sorted(infos) == ["bundle/lib.txt", "terraform-provider-sevalla_v1.2.3"]
    assert (infos["terraform-provider-sevalla_v1.2.3"].external_attr >> 16) & 0o777 == 0o755
    assert (infos["bundle/lib.txt"].external_attr >> 16) & 0o777 == 0o644


def test_h1_is_go_dirhash_of_the_unpacked_files(tmp_path: Path) -> None:
    """Hash1: sha256 over sorted '<hex sha256>  <name>' lines, base64 -- computed by hand here."""
    zip_path = small_release(tmp_path)

    def digest(source: str) -> str:
        return hashlib.sha256(f"contents of {source}\n".encode()).hexdigest()

    lines = (
        f"{digest('bundle/lib.txt')}  bundle/lib.txt\n"
        f"{digest('bin-script')}  terraform-provider-sevalla_v1.2.3\n"
    )
    expected = "h1:" + base64.b64encode(hashlib.sha256(lines.encode()).digest()).decode()
    assert registry.package_hash(zip_path) == expected
    assert registry.zip_hash(zip_path) == "zh:" + hashlib.sha256(zip_path.read_bytes()).hexdigest()


def test_a_zip_with_directory_entries_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "with-dirs.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("bundle/", b"")
        archive.writestr("bundle/x", b"x")
    with pytest.raises(ValueError, match="directory entries"):
        registry.package_hash(path)


def test_registry_tree(tmp_path: Path) -> None:
    zip_path = small_release(tmp_path / "dist")
    out = registry.write_registry(tmp_path / "dist", tmp_path / "registry", KEY)
    assert json.loads((out / ".well-known" / "terraform.json").read_text()) == {
        "providers.v1": "/v1/providers/"
    }
    base = out / "v1" / "providers" / "sevalla" / "sevalla"
    assert json.loads((base / "versions").read_text()) == {
        "versions": [
            {"version": "1.2.3", "protocols": ["6.0"], "platforms": [{"os": "linux", "arch": "amd64"}]}
        ]
    }
    download = json.loads((base / "1.2.3" / "download" / "linux" / "amd64").read_text())
    assert download["download_url"] == f"/files/1.2.3/{zip_path.name}"
    assert download["shasums_url"] == "/files/1.2.3/terraform-provider-sevalla_1.2.3_SHA256SUMS"
    assert download["shasums_signature_url"] == download["shasums_url"] + ".sig"
    assert download["shasum"] == registry.zip_hash(zip_path)[3:]
    assert download["signing_keys"]["gpg_public_keys"][0]["key_id"] == KEY.key_id
    for url in (download["download_url"], download["shasums_url"], download["shasums_signature_url"]):
        assert (out / url.lstrip("/")).is_file()


def test_mirror_tree_lists_every_signed_version(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    small_release(dist, "1.2.3")
    zip_path = small_release(dist, "1.10.0")
    (dist / "terraform-provider-sevalla_9.9.9_linux_amd64.zip").write_bytes(b"no SHA256SUMS: not released")
    out = registry.write_mirror(dist, tmp_path / "mirror", "registry.example.com")
    base = out / "registry.example.com" / "sevalla" / "sevalla"
    assert json.loads((base / "index.json").read_text()) == {"versions": {"1.2.3": {}, "1.10.0": {}}}
    archive = json.loads((base / "1.10.0.json").read_text())["archives"]["linux_amd64"]
    assert archive["url"] == zip_path.name
    assert archive["hashes"] == [registry.package_hash(zip_path), registry.zip_hash(zip_path)]
    assert (base / archive["url"]).is_file()
