"""One object by id: the resource's attributes, all computed but `id`."""

from __future__ import annotations

from typing import Any, ClassVar

import attrs
from pyvider.data_sources import BaseDataSource
from pyvider.exceptions import DataSourceError
from pyvider.resources import ResourceContext
from pyvider.schema import PvsSchema, s_data_source

from provider.handlers import id_problems, raise_first_problem, read_object, typed


@attrs.define(frozen=True)
class IdLookup:
    id: str


class ByIdDataSource(BaseDataSource):  # type: ignore[type-arg]
    """Subclasses set the resource class mirrored (its schema, kind and table) and the noun."""

    resource: ClassVar[Any]  # the resource type whose schema (and kind) is mirrored
    noun: ClassVar[str]  # e.g. "application"
    config_class = IdLookup

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "resource" in cls.__dict__:
            cls.state_class = cls.resource.state_class

    @classmethod
    def get_schema(cls) -> PvsSchema:
        """The resource's attributes, all computed but `id`."""
        attributes = {}
        read_only = cls.resource.state_class.read_only_descriptions()
        for name, attribute in cls.resource.get_schema().block.attributes.items():
            if name == "id":
                attributes[name] = attrs.evolve(attribute, required=True, computed=False)
            else:
                attributes[name] = attrs.evolve(
                    attribute,
                    required=False,
                    optional=False,
                    computed=True,
                    default=None,
                    requires_replace=False,
                    description=read_only.get(name, attribute.description),
                )
        return s_data_source(attributes=attributes)

    def from_api(self, body: dict[str, Any]) -> Any:
        """The state the object's body describes (what the API never returns is null)."""
        return self.state_class.from_api(body)

    async def _validate_config(self, config: IdLookup) -> list[str]:
        raise_first_problem(id_problems(config))
        return []

    async def read(self, ctx: ResourceContext) -> Any:
        config = typed(ctx.config, IdLookup)
        raise_first_problem(id_problems(config))  # again: validation skips unknown ids
        object_id = config.id
        body = await read_object(f"read {self.noun}", self.resource.kind.ref(object_id))
        if body is None:
            error = DataSourceError(
                f"No {self.noun} with id {object_id!r} exists (or the API key cannot see it)."
            )
            error.add_context("terraform.summary", f"{self.noun[:1].upper()}{self.noun[1:]} not found")
            raise error
        return self.from_api(body)
