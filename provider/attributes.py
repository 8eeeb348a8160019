"""Attribute tables: a resource's attributes declared once, as the fields of one attrs class.

A table is a frozen, kw_only attrs subclass of `Table`. Each field is made by a helper below
(`required`, `optional`, `computed`, `parent`, `declared`), whose `attrs.field` carries in its
metadata the Terraform attribute and the API mapping: the name in API objects (or none: an
input the API never returns, kept from the prior state or configuration), whether it is sent in
the create body and in an update's. The schema, the state built from an API body and the names
sent on create and update follow from `attrs.fields`, so a new plain attribute is one line:

    @attrs.frozen(kw_only=True)
    class LoadBalancerState(Table):
        display_name: str = required("Display name (2-64 characters).")
        type: str | None = optional("Routing: DEFAULT, GEO.", computed=True)
        company_id: str | None = computed("Owning company.")

The annotation gives the Terraform type of scalars and of lists and maps of them (str, bool,
int / float / Decimal, list[str], dict[str, str]); an object attribute passes its pyvider
attribute to `declared`. The class is both pyvider's state class and its config class: a
configuration decodes into it too, with its computed attributes null.
"""

from __future__ import annotations

import functools
import types
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, ClassVar, Self, TypedDict, Union, Unpack, get_args, get_origin

import attrs
from pyvider.schema import PvsAttribute, PvsSchema, a_bool, a_list, a_map, a_num, a_str, s_resource

KEY = "sevalla.attribute"

# A conversion of what the API returns: (the API's value, the kept value) -> the state's value.
# The kept value is the attribute's in the prior state or configuration (None on import).
Read = Callable[[Any, Any], Any]


@attrs.frozen
class Declared:
    """A field's metadata: how to build its Terraform attribute, and its API mapping."""

    flags: Mapping[str, Any]  # keywords of pyvider's a_* factories (description, required, ...)
    attribute: PvsAttribute | None  # given whole (objects); None: typed by the annotation
    api: str | None  # its name in API objects; None: never returned (kept, or given)
    create: bool  # sent in the create body
    update: bool  # sent in an update's body when it changed
    read: Read | None
    parent: bool  # the parent's id: in the path, not in bodies
    # What a read-only copy (a data source) says: the description without how to set it.
    read_only_description: str | None = None
    # Optional in the schema, but a create without it is refused at plan (needed_to_create).
    needed_to_create: bool = False


class Options(TypedDict, total=False):
    """What a field may say besides its description (and `computed` for optional ones)."""

    sensitive: bool
    requires_replace: bool
    default: Any  # the schema default (pyvider plans it when the configuration has none)
    api: str | None  # default: the attribute's own name; None: never returned
    create: bool  # default: configurable
    update: bool  # default: configurable and not requires_replace
    read: Read


SCHEMA_OPTIONS = ("sensitive", "requires_replace", "default")


def _declare(
    flags: dict[str, Any], options: Options, attribute: PvsAttribute | None = None, *, parent: bool = False
) -> Any:
    """The attrs field; `flags` (with the schema options) are the a_* keywords, unless the
    attribute is given whole."""
    for name in SCHEMA_OPTIONS:
        if name in options:
            flags[name] = options[name]  # type: ignore[literal-required]
    stated = attribute if attribute is not None else flags
    required, replaces = bool(_flag(stated, "required")), bool(_flag(stated, "requires_replace"))
    configurable = required or bool(_flag(stated, "optional"))
    declared = Declared(
        flags={name: value for name, value in flags.items() if value or name in ("description", "default")},
        attribute=attribute,
        api=options.get("api", ""),
        create=options.get("create", configurable),
        update=options.get("update", configurable and not replaces),
        read=options.get("read"),
        parent=parent,
    )
    return attrs.field(default=attrs.NOTHING if required else None, metadata={KEY: declared})


def _flag(stated: PvsAttribute | dict[str, Any], name: str) -> Any:
    return stated.get(name) if isinstance(stated, dict) else getattr(stated, name)


def required(description: str, **options: Unpack[Options]) -> Any:
    return _declare({"description": description, "required": True}, options)


def optional(description: str, *, computed: bool = False, **options: Unpack[Options]) -> Any:
    return _declare({"description": description, "optional": True, "computed": computed}, options)


def computed(description: str, **options: Unpack[Options]) -> Any:
    return _declare({"description": description, "computed": True}, options)


def switchable(description: str, setting: str, **options: Unpack[Options]) -> Any:
    """A state that a route of its own changes (a Switch of the kind: suspend, toggle), not the
    create or the PATCH: optional and computed (unset: whatever the API shows), never in a body.
    `setting` says what setting it does (not shown by data sources)."""
    flags = {"description": f"{description} {setting}", "optional": True, "computed": True}
    field = _declare(flags, {**options, "create": False, "update": False})
    field.metadata[KEY] = attrs.evolve(field.metadata[KEY], read_only_description=description)
    return field


def needed_to_create(description: str, *, computed: bool = False, **options: Unpack[Options]) -> Any:
    """An input a create needs but a configuration of an existing object may leave out: one
    `terraform query` generates, where Terraform writes null for a value the API never returns
    (cluster_id) or for any sensitive one. Optional in the schema (so configurations written for
    the official provider, which requires it, still apply); a plan that creates the object
    without it is refused on the attribute. `computed`: unset keeps the value the API has."""
    field = optional(f"{description} Required to create.", computed=computed, **options)
    field.metadata[KEY] = attrs.evolve(field.metadata[KEY], needed_to_create=True)
    return field


def write_only(of: str) -> Any:
    """`<of>_wo`: the secret `of`, sent to the API but never in the plan or the state (Terraform
    >= 1.11 write-only arguments). Sent on create, and again when `<of>_wo_version` changes."""
    flags = {
        "description": f"Write-only {of} (Terraform >= 1.11): never in the plan or the state; instead "
        f"of {of}. Sent on create and whenever {of}_wo_version changes.",
        "optional": True,
        "write_only": True,
        "sensitive": True,  # also kept out of the plan's configuration section, as a literal
    }
    return _declare(flags, {"api": None, "create": False, "update": False})


def write_only_version(of: str) -> Any:
    """`<of>_wo_version`: kept in the state, so a change says "send the write-only value again"."""
    return optional(
        f"Version of {of}_wo: required with it; change it to send a new {of}_wo.",
        api=None,
        create=False,
        update=False,
    )


def parent(description: str) -> Any:
    """The parent's id on a child type (application_id, ...): required, changing it replaces;
    it goes into the path, and `from_api` is given it."""
    flags = {"description": description, "required": True, "requires_replace": True}
    return _declare(flags, {"api": None, "create": False, "update": False}, parent=True)


def declared(attribute: PvsAttribute, **options: Unpack[Options]) -> Any:
    """A field whose Terraform attribute is given whole: objects, lists of objects."""
    return _declare({}, options, attribute)


# --- reading API values ----------------------------------------------------------------------


def listed(value: Any, kept: Any) -> list[Any]:
    """A list the API may leave out: [] then."""
    return list(value or [])


def present(value: Any, kept: Any) -> bool:
    """Whether the API gave a value at all (an external hostname: the connection is on)."""
    return value is not None


def or_kept(value: Any, kept: Any) -> Any:
    """A value the API returns only sometimes (e.g. in a create's answer): else the known one."""
    return value or kept


def projected(*names: str) -> Read:
    """A list of objects, each cut to `names` (a missing one is null)."""

    def read(value: Any, kept: Any) -> list[dict[str, Any]]:
        return [{name: item.get(name) for name in names} for item in value or []]

    return read


# --- the table -------------------------------------------------------------------------------


class Table:
    """Base of the attribute tables: what follows from the fields."""

    __slots__ = ()
    __attrs_attrs__: ClassVar[Any]  # set by attrs on every table

    @classmethod
    def attributes(cls) -> dict[str, PvsAttribute]:
        """The Terraform attributes, by name."""
        return dict(_attributes(cls))

    @classmethod
    def from_api(cls, body: Mapping[str, Any], kept: Any = None, **given: Any) -> Self:
        """The state an API object describes: each attribute under its API name (converted by
        its `read`); one the API never returns from `kept` (the prior state or configuration,
        None on import); `given` (the parent's id, ...) wins over both."""
        values: dict[str, Any] = {}
        for field in attrs.fields(cls):
            name, spec = field.name, declaration(field)
            kept_value = getattr(kept, name, None)
            if name in given:
                values[name] = given[name]
            elif spec.api is None:
                values[name] = kept_value
            else:
                value = body.get(spec.api or name)
                values[name] = value if spec.read is None else spec.read(value, kept_value)
        return cls(**values)

    @classmethod
    @functools.cache  # per table: asked on every RPC
    def write_only_pairs(cls) -> tuple[tuple[str, str, str], ...]:
        """(secret, its write-only twin, the twin's version) of the table: `x`, `x_wo`, `x_wo_version`."""
        names = {field.name for field in attrs.fields(cls)}
        return tuple(
            (name, f"{name}_wo", f"{name}_wo_version")
            for name in sorted(names)
            if f"{name}_wo" in names and f"{name}_wo_version" in names
        )

    @classmethod
    @functools.cache  # per table: asked on every RPC
    def needed_to_create(cls) -> tuple[str, ...]:
        """The attributes a create cannot do without (optional in the schema)."""
        return tuple(field.name for field in attrs.fields(cls) if declaration(field).needed_to_create)

    @classmethod
    @functools.cache  # per table: asked on every RPC
    def read_only_descriptions(cls) -> Mapping[str, str]:
        """{attribute: description} where a read-only copy (a data source) says less."""
        return types.MappingProxyType(
            {
                field.name: text
                for field in attrs.fields(cls)
                if (text := declaration(field).read_only_description) is not None
            }
        )

    @classmethod
    @functools.cache  # per table: asked on every RPC
    def api_names(cls) -> Mapping[str, str]:
        """{attribute: its name in API objects} of the attributes the API returns (two may
        read one API field: `external_hostname` and whether there is one)."""
        return types.MappingProxyType(
            {
                field.name: declaration(field).api or field.name
                for field in attrs.fields(cls)
                if declaration(field).api is not None
            }
        )

    @classmethod
    @functools.cache  # per table: asked on every RPC
    def names(
        cls,
        *,
        create: bool | None = None,
        update: bool | None = None,
        returned: bool | None = None,
        requires_replace: bool | None = None,
        parent: bool | None = None,
    ) -> tuple[str, ...]:
        """The attributes that are (True) or are not (False) sent on create, sent on update,
        returned by the API, replacing when changed (schema), the parent's id; None: either."""
        wanted = {"create": create, "update": update, "returned": returned,
                  "requires_replace": requires_replace, "parent": parent}  # fmt: skip
        attributes = _attributes(cls)

        def facts(field: attrs.Attribute[Any]) -> dict[str, bool]:
            spec = declaration(field)
            return {"create": spec.create, "update": spec.update, "returned": spec.api is not None,
                    "requires_replace": attributes[field.name].requires_replace, "parent": spec.parent}  # fmt: skip

        return tuple(
            field.name
            for field in attrs.fields(cls)
            if all(want is None or facts(field)[key] == want for key, want in wanted.items())
        )


def declaration(field: attrs.Attribute[Any]) -> Declared:
    spec = field.metadata.get(KEY)
    if not isinstance(spec, Declared):
        raise TypeError(f"{field.name}: a table's fields are made by provider.attributes' helpers")
    return spec


_BUILT: dict[type, tuple[dict[str, PvsAttribute], PvsSchema]] = {}


def _built(table: type[Table]) -> tuple[dict[str, PvsAttribute], PvsSchema]:
    """A table's attributes and resource schema, built once (pyvider caches schemas by identity)."""
    if table not in _BUILT:
        attrs.resolve_types(table)  # type: ignore[type-var]
        attributes = {}
        for field in attrs.fields(table):
            spec = declaration(field)
            attributes[field.name] = spec.attribute or _factory(field.type, field.name)(**spec.flags)
        _BUILT[table] = attributes, s_resource(attributes=attributes)
    return _BUILT[table]


def _attributes(table: type[Table]) -> dict[str, PvsAttribute]:
    return _built(table)[0]


def resource_schema(table: type[Table]) -> PvsSchema:
    """The resource schema of a table."""
    return _built(table)[1]


NUMBERS = (int, float, Decimal)


def _factory(annotation: Any, name: str) -> Callable[..., PvsAttribute]:
    """The a_* factory of a Python type: str, bool, numbers, and lists or maps of them."""
    kinds = get_args(annotation) if get_origin(annotation) in (Union, types.UnionType) else (annotation,)
    kinds = tuple(kind for kind in kinds if kind is not type(None))
    if kinds == (str,):
        return a_str
    if kinds == (bool,):
        return a_bool
    if kinds and all(kind in NUMBERS for kind in kinds):
        return a_num
    origin, args = (get_origin(kinds[0]), get_args(kinds[0])) if len(kinds) == 1 else (None, ())
    if origin is list and len(args) == 1:
        return functools.partial(a_list, _factory(args[0], name)())
    if origin is dict and len(args) == 2 and args[0] is str:
        return functools.partial(a_map, _factory(args[1], name)())
    raise TypeError(f"{name}: no Terraform type for {annotation!r}; give its attribute with declared()")
