"""Identifiers and generated names, in the forms the real API uses."""

from __future__ import annotations

import re
import secrets
import uuid


def new_id() -> str:
    """Every object id is a random UUID, as in the real API."""
    return str(uuid.uuid4())


def slugify(text: str) -> str:
    """Lower-case, dash-separated form of a display name; never empty."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "service"


def suffix(length: int = 6) -> str:
    """Short random lower-case suffix that makes generated names unique."""
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(secrets.choice(alphabet) for _ in range(length))


def service_name(display_name: str) -> str:
    """Name of a new service: slug of its display name plus a random suffix (immutable afterwards)."""
    return f"{slugify(display_name)[:40]}-{suffix(4)}"
