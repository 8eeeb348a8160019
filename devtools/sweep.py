"""Delete every object the live suite made: `python -m devtools.sweep [--prefix P] [--dry-run]`.

The live suite (tests/live/) names everything it creates with `PREFIX` and a random tail; this
sweeper lists each top-level kind through the provider's own client and deletes the objects
whose name (or display name, description, or webhook endpoint path) carries the prefix. It runs
after the suite (`make acceptance-live`) and can be run by hand after an interrupted run.
Credentials come from SEVALLA_API_KEY and SEVALLA_API_URL, as for the provider.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Mapping
from typing import Any

from provider.client import SevallaClient, kinds
from provider.client.kinds import Kind
from provider.settings import resolve_settings

PREFIX = "tfpsv-live-"

# Top-level kinds, dependants first: pipelines and load balancers point at applications,
# projects group services; api keys last (the key in use is never one of ours).
KINDS: tuple[Kind, ...] = (
    kinds.PIPELINE,
    kinds.LOAD_BALANCER,
    kinds.PROJECT,
    kinds.APPLICATION,
    kinds.STATIC_SITE,
    kinds.DATABASE,
    kinds.OBJECT_STORAGE,
    kinds.WEBHOOK,
    kinds.DOCKER_REGISTRY,
    kinds.API_KEY,
)

_NAMES = ("name", "display_name", "description")


def is_ours(item: Mapping[str, Any], prefix: str = PREFIX) -> bool:
    """Whether a list item was made by the live suite: a name field starts with the prefix (a
    webhook has no name: its endpoint's path does)."""
    if any(isinstance(item.get(field), str) and item[field].startswith(prefix) for field in _NAMES):
        return True
    endpoint = item.get("endpoint")
    return isinstance(endpoint, str) and f"/{prefix}" in endpoint


async def sweep(client: SevallaClient, prefix: str = PREFIX, *, dry_run: bool = False) -> list[str]:
    """Delete (or with `dry_run` only list) every prefixed object; returns "kind id name" lines.
    A kind whose list fails is reported and skipped, so one failure does not stop the sweep."""
    if not prefix:
        raise ValueError("refusing to sweep with an empty prefix (it would match everything)")
    swept: list[str] = []
    for kind in KINDS:
        try:
            items = await client.list_all(kind.collection(), fresh=True)
        except Exception as error:  # noqa: BLE001 - report and go on with the next kind
            print(f"sweep: cannot list {kind.segment}: {error}", file=sys.stderr)
            continue
        for item in items:
            if not isinstance(item, dict) or not is_ours(item, prefix) or not item.get("id"):
                continue
            label = item.get("name") or item.get("display_name") or item.get("endpoint")
            line = f"{kind.segment} {item['id']} {label}"
            if not dry_run:
                try:
                    await client.delete(kind.ref(str(item["id"])))
                except Exception as error:  # noqa: BLE001
                    print(f"sweep: cannot delete {line}: {error}", file=sys.stderr)
                    continue
            swept.append(line)
    return swept


async def _main(prefix: str, dry_run: bool, env: Mapping[str, str]) -> list[str]:
    client = SevallaClient(resolve_settings(None, env), user_agent="terraform-provider-sevalla/sweep")
    try:
        return await sweep(client, prefix, dry_run=dry_run)
    finally:
        await client.aclose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--prefix", default=PREFIX, help=f"name prefix to delete (default {PREFIX})")
    parser.add_argument("--dry-run", action="store_true", help="list what would be deleted")
    args = parser.parse_args(argv)
    if not os.environ.get("SEVALLA_API_KEY"):
        print("sweep: set SEVALLA_API_KEY (and SEVALLA_API_URL for a non-default API)", file=sys.stderr)
        return 2
    swept = asyncio.run(_main(args.prefix, args.dry_run, os.environ))
    verb = "would delete" if args.dry_run else "deleted"
    for line in swept:
        print(f"{verb} {line}")
    print(f"sweep: {verb} {len(swept)} object(s) with prefix {args.prefix!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
