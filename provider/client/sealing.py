"""Records sealed with AES-GCM under a key derived from the API key: what the disk cache and the
shared reads (Redis) store, so no secret a body holds (a bucket's keys, a variable's value) is
kept in clear, and a record of another API key, or moved to another name, does not open."""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any

import attrs
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE = 12  # bytes, AES-GCM's


@attrs.frozen
class Sealer:
    aead: AESGCM

    @classmethod
    def derived(cls, purpose: str, api_key: str) -> Sealer:
        """One key per purpose ("disk cache", "shared reads"): a record of one never opens as the other."""
        return cls(
            AESGCM(hashlib.sha256(f"terraform-provider-sevalla {purpose}\0{api_key}".encode()).digest())
        )

    def seal(self, name: str, record: dict[str, Any]) -> bytes:
        """`record` as JSON, encrypted and authenticated together with `name` (where it is kept)."""
        nonce = os.urandom(NONCE)
        return nonce + self.aead.encrypt(nonce, json.dumps(record).encode(), name.encode())

    def open(self, name: str, blob: bytes) -> dict[str, Any] | None:
        """The record, or None when it does not open (another key, another name, tampered)."""
        try:
            record = json.loads(self.aead.decrypt(blob[:NONCE], blob[NONCE:], name.encode()))
        except (ValueError, InvalidTag):
            return None
        return record if isinstance(record, dict) else None
