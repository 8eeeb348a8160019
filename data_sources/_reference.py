"""Read-only reference lists (clusters, resource types): one GET, a computed list attribute."""

from __future__ import annotations

from typing import Any, ClassVar

import attrs
from pyvider.data_sources import BaseDataSource
from pyvider.resources import ResourceContext
from pyvider.schema import PvsAttribute, PvsSchema, a_list, a_obj, s_data_source

from provider.client.kinds import Kind
from provider.diagnostics import reported
from provider.runtime import get_client


@attrs.define(frozen=True)
class NoArguments:
    pass


class ReferenceList(BaseDataSource):  # type: ignore[type-arg]
    """Subclasses set the kind listed, the list attribute's name, and its item fields; the state
    class (the one list attribute) follows."""

    kind: ClassVar[Kind]
    list_attribute: ClassVar[str]
    item_fields: ClassVar[dict[str, PvsAttribute]]
    config_class = NoArguments

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        name = f"{cls.__name__}State"
        cls.state_class = attrs.make_class(name, {cls.list_attribute: attrs.field(factory=list)}, frozen=True)

    @classmethod
    def get_schema(cls) -> PvsSchema:
        return s_data_source(
            attributes={
                cls.list_attribute: a_list(
                    a_obj(dict(cls.item_fields)),
                    computed=True,
                    description=f"Every item: {', '.join(cls.item_fields)}.",
                )
            }
        )

    async def _validate_config(self, config: NoArguments) -> list[str]:
        return []

    async def read(self, ctx: ResourceContext) -> Any:
        with reported(f"list {self.list_attribute.replace('_', ' ')}"):
            items = await get_client().list_all(self.kind.collection())
        rows = [{name: item.get(name) for name in self.item_fields} for item in items]
        return self.state_class(**{self.list_attribute: rows})
