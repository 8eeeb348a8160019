"""Fixed reference data (clusters, resource types, users) with fixed UUIDs.

Fixed so Terraform configurations and tests can refer to them by id across emulator restarts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

COMPANY_ID = "c0a1e000-0000-4000-8000-000000000001"
USER_ID = "05e40000-0000-4000-8000-000000000001"

CLUSTERS: tuple[dict[str, Any], ...] = (
    {
        "id": "c1a5e000-0000-4000-8000-000000000001",
        "name": "us-central1",
        "display_name": "Iowa, USA",
        "location": "us-central1",
    },
    {
        "id": "c1a5e000-0000-4000-8000-000000000002",
        "name": "europe-west3",
        "display_name": "Frankfurt, Germany",
        "location": "europe-west3",
    },
    {
        "id": "c1a5e000-0000-4000-8000-000000000003",
        "name": "asia-southeast1",
        "display_name": "Singapore",
        "location": "asia-southeast1",
    },
    {
        "id": "c1a5e000-0000-4000-8000-000000000004",
        "name": "us-east4",
        "display_name": "Virginia, USA",
        "location": "us-east4",
    },
)

# cpu_limit in millicores, memory_limit in MiB, as in the reference's examples.
PROCESS_RESOURCE_TYPES: tuple[dict[str, Any], ...] = (
    {
        "id": "9a0c0000-0000-4000-8000-000000000001",
        "name": "s1",
        "cpu_limit": 500,
        "memory_limit": 512,
        "category": "standard",
    },
    {
        "id": "9a0c0000-0000-4000-8000-000000000002",
        "name": "s2",
        "cpu_limit": 1000,
        "memory_limit": 1024,
        "category": "standard",
    },
    {
        "id": "9a0c0000-0000-4000-8000-000000000003",
        "name": "s3",
        "cpu_limit": 1000,
        "memory_limit": 2048,
        "category": "standard",
    },
    {
        "id": "9a0c0000-0000-4000-8000-000000000004",
        "name": "s4",
        "cpu_limit": 2000,
        "memory_limit": 4096,
        "category": "standard",
    },
    {
        "id": "9a0c0000-0000-4000-8000-000000000011",
        "name": "c1",
        "cpu_limit": 2000,
        "memory_limit": 2048,
        "category": "compute",
    },
)

# storage_limit in MB.
DATABASE_RESOURCE_TYPES: tuple[dict[str, Any], ...] = (
    {
        "id": "db0c0000-0000-4000-8000-000000000001",
        "name": "db1",
        "cpu_limit": 250,
        "memory_limit": 256,
        "storage_limit": 1000,
        "category": "standard",
    },
    {
        "id": "db0c0000-0000-4000-8000-000000000002",
        "name": "db2",
        "cpu_limit": 500,
        "memory_limit": 512,
        "storage_limit": 10000,
        "category": "standard",
    },
    {
        "id": "db0c0000-0000-4000-8000-000000000003",
        "name": "db3",
        "cpu_limit": 1000,
        "memory_limit": 1024,
        "storage_limit": 20000,
        "category": "standard",
    },
    {
        "id": "db0c0000-0000-4000-8000-000000000004",
        "name": "db4",
        "cpu_limit": 2000,
        "memory_limit": 4096,
        "storage_limit": 50000,
        "category": "standard",
    },
)

USERS: tuple[dict[str, Any], ...] = (
    {"id": USER_ID, "email": "owner@example.com", "full_name": "Emulator Owner", "image": None},
    {
        "id": "05e40000-0000-4000-8000-000000000002",
        "email": "dev@example.com",
        "full_name": "Emulator Developer",
        "image": None,
    },
)


def by_id(table: tuple[dict[str, Any], ...], object_id: object) -> dict[str, Any] | None:
    return next((row for row in table if row["id"] == object_id), None)


def known(table: tuple[dict[str, Any], ...], label: str) -> Callable[[object], str | None]:
    """A validation check: the value must be the id of a row of `table`."""

    def check(value: object) -> str | None:
        return None if by_id(table, value) is not None else f"is not a known {label}"

    return check
