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
            cls.state_class = _read_only_copy(cls.resource.state_class)

    @classmethod
    def get_schema(cls) -> PvsSchema:
        """The resource's attributes, all computed but `id`."""
        attributes = {}
        read_only = cls.resource.state_class.read_only_descriptions()
        for name, attribute in cls.resource.get_schema().block.attributes.items():
            if not _mirrored(name, attribute):
                continue
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
        state = self.resource.state_class.from_api(body)
        return self.state_class(
            **{field.name: getattr(state, field.name) for field in attrs.fields(self.state_class)}
        )

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


def _mirrored(name: str, attribute: Any) -> bool:
    """Whether a data source mirrors a resource attribute: not the inputs of a write-only secret
    (`x_wo`, `x_wo_version`), which there is nothing to read of."""
    return not (attribute.write_only or name.endswith("_wo_version"))


def _read_only_copy(table: type) -> type:
    """The resource table's fields a data source has (every attribute it mirrors), all optional."""
    attributes = table.attributes()  # type: ignore[attr-defined]
    kept = [field.name for field in attrs.fields(table) if _mirrored(field.name, attributes[field.name])]
    return attrs.make_class(
        f"{table.__name__}ReadOnly", {name: attrs.field(default=None) for name in kept}, frozen=True
    )
