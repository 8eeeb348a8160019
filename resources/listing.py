"""List resources (Terraform >= 1.14, `terraform query`): the objects of an account, for onboarding.

One list resource per importable type, named like it (`list "sevalla_application" "all" {}`),
made here from the type's catalogue kind and attribute table rather than written per type:

- the `config` block filters by the parents' ids (optional: without them, the children of every
  parent are listed) and by a glob on the type's label (`display_name = "shop-*"`, or `name`,
  `key`, `endpoint` for types without a display name);
- every result carries the type's identity (its import id's parts) and, when Terraform asks for
  the objects (`-generate-config-out`), the state an import of that identity would give: the
  type's own `import_state`, so a listed object and an imported one never differ.

Lists come from the shared client (pages of 100, paced, coalesced); the objects' states are read
a page at a time, concurrently, so the reader's batches serve them.
"""

from __future__ import annotations

import asyncio
import builtins
import fnmatch
from collections.abc import AsyncIterator
from typing import Any, ClassVar

from pyvider.list_resources import BaseListResource, ListResourceContext, ListResult
from pyvider.resources import ResourceContext
from pyvider.schema import PvsSchema, a_str, s_data_source

from provider.client.kinds import Kind, Read, id_problem
from provider.diagnostics import reported
from provider.runtime import get_client
from resources._base import SevallaResource, json_ready

LABELS = ("display_name", "name", "key", "endpoint")  # what a result is called, first found
PAGE = 100  # objects whose states are read together
Page = list[tuple[tuple[str, ...], dict[str, Any]]]  # (ids, listed item) of listed objects


class SevallaListResource(BaseListResource):  # type: ignore[type-arg]
    """The list resource of `managed` (set by `list_resource_for`)."""

    managed: ClassVar[type[SevallaResource]]
    config_class = None  # the configuration arrives as a CtyValue: read with json_ready

    @classmethod
    def parent_names(cls) -> tuple[str, ...]:
        """The filters that name a parent: the identity's names above the kind's own level."""
        kind: Kind = cls.managed.kind  # type: ignore[attr-defined]
        depth = kind.parent.depth if kind.parent else 0
        return cls.managed.identity_names()[:depth]

    @classmethod
    def label(cls) -> str | None:
        attributes = cls.managed.state_class.attributes()
        return next((name for name in LABELS if name in attributes), None)

    @classmethod
    def get_schema(cls) -> PvsSchema:
        attributes = {
            name: a_str(
                optional=True, description=f"Only the objects under this {name}; unset: under every one."
            )
            for name in cls.parent_names()
        }
        label = cls.label()
        if label is not None:
            attributes[label] = a_str(
                optional=True, description=f'Only objects whose {label} matches this glob, e.g. "shop-*".'
            )
        return s_data_source(attributes=attributes)

    async def validate(self, config: Any) -> builtins.list[str]:
        values = _values(config)
        return [
            f"{name}: {problem}"
            for name in self.parent_names()
            if values.get(name) is not None and (problem := id_problem(values[name]))
        ]

    async def list(self, ctx: ListResourceContext[Any]) -> AsyncIterator[ListResult]:  # type: ignore[override]
        values = _values(ctx.config)
        pattern = values.get(self.label() or "")
        kind: Kind = self.managed.kind  # type: ignore[attr-defined]
        wanted = [values.get(name) for name in self.parent_names()]
        singleton = kind.read is Read.SINGLETON
        page: Page = []
        async for ids, item in objects_of(kind, wanted):
            name = _label(item)
            if pattern is not None and not fnmatch.fnmatchcase(name or "", pattern):
                continue
            page.append((ids, item))
            if len(page) >= PAGE:
                for result in await self._results(page, ctx.include_resource_object or singleton):
                    yield result
                page = []
        for result in await self._results(page, ctx.include_resource_object or singleton):
            yield result

    async def _results(self, page: Page, with_state: bool) -> builtins.list[ListResult]:
        names = self.managed.identity_names()
        identities = [dict(zip(names, ids, strict=True)) for ids, _ in page]
        states: builtins.list[Any] = [None] * len(page)
        if with_state:
            managed: Any = self.managed()
            states = list(
                await asyncio.gather(
                    *(
                        managed.import_state(ResourceContext(), self.managed.import_id_of(identity))
                        for identity in identities
                    )
                )
            )
        singleton = self.managed.kind.read is Read.SINGLETON  # type: ignore[attr-defined]
        return [
            ListResult(
                identity=identity,
                display_name=_label(item) or "/".join(identity.values()),
                resource_object=state,
            )
            for identity, (_, item), state in zip(identities, page, states, strict=True)
            if not (singleton and state is None)  # no such object under that parent
        ]


async def objects_of(
    kind: Kind, wanted: list[str | None]
) -> AsyncIterator[tuple[tuple[str, ...], dict[str, Any]]]:
    """(ids, listed item) of every object of `kind`: the parents' ids (`wanted` where given, else
    every parent's), then its own id (none for a singleton)."""
    client = get_client()
    parents: AsyncIterator[tuple[tuple[str, ...], dict[str, Any]]]
    if kind.parent is None:
        parents = _one(((), {}))
    elif None not in wanted[: kind.parent.depth]:
        parents = _one((tuple(str(value) for value in wanted[: kind.parent.depth]), {}))
    else:
        parents = _matching(objects_of(kind.parent, wanted[: kind.parent.depth - 1]), wanted)
    async for parent_ids, _ in parents:
        if kind.read is Read.SINGLETON:
            yield parent_ids, {}  # its import tells whether there is one
            continue
        with reported(f"list {kind.name}"):
            if kind.read is Read.EMBEDDED:
                parent = await client.read(kind.parent.ref(*parent_ids))  # type: ignore[union-attr]
                items = [_as_object(item) for item in (parent or {}).get(str(kind.embedded_as)) or []]
            else:
                items = await client.list_all(kind.collection(*parent_ids))
        for item in items:
            if isinstance(item.get("id"), str):
                yield (*parent_ids, item["id"]), item


async def _matching(
    parents: AsyncIterator[tuple[tuple[str, ...], dict[str, Any]]], wanted: list[str | None]
) -> AsyncIterator[tuple[tuple[str, ...], dict[str, Any]]]:
    """The parents whose ids agree with the ids given for their levels."""
    async for ids, item in parents:
        if all(want is None or want == got for want, got in zip(wanted, ids, strict=False)):
            yield ids, item


async def _one(value: Any) -> AsyncIterator[Any]:
    yield value


def _as_object(item: Any) -> dict[str, Any]:
    return {"id": item} if isinstance(item, str) else dict(item)


def _label(item: dict[str, Any]) -> str | None:
    return next((str(item[name]) for name in LABELS if item.get(name)), None)


def _values(config: Any) -> dict[str, Any]:
    values = json_ready(config) if config is not None else {}
    return values if isinstance(values, dict) else {}


def list_resource_for(resource: type[SevallaResource]) -> type[SevallaListResource]:
    """The list resource of an importable type."""
    name = resource.type_name()
    return type(
        f"{resource.__name__}List",
        (SevallaListResource,),
        {"managed": resource, "resource_type": name, "_registered_name": name, "__doc__": f"Lists {name}."},
    )
