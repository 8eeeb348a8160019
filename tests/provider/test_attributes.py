"""Attribute tables (provider/attributes.py): what the schema, the state and the bodies take from one
declaration."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs
import pytest
from pyvider.schema import a_obj, a_str

from provider.attributes import (
    Table,
    computed,
    declared,
    listed,
    optional,
    or_kept,
    parent,
    projected,
    required,
    resource_schema,
)


@attrs.frozen(kw_only=True)
class Thing(Table):
    id: str | None = computed("Thing ID.")
    owner_id: str = parent("Owner of the thing.")
    name: str = required("Name.")
    kind: str = required("Kind.", requires_replace=True)
    size: int | None = optional("Size.", computed=True, default=1)
    ratio: Decimal | float | None = optional("Ratio.", update=False)
    enabled: bool | None = optional("Enabled.", api="is_enabled")
    tags: list[str] | None = optional("Tags.", read=listed)
    labels: dict[str, str] | None = optional("Labels.")
    secret: str | None = required("Secret.", sensitive=True, api=None)
    token: str | None = computed("Token.", sensitive=True, read=or_kept)
    items: list[dict[str, Any]] | None = declared(
        a_obj({"a": a_str()}, computed=True, description="Items."), read=projected("a")
    )


def test_the_schema_follows_the_annotations_and_flags() -> None:
    attributes = resource_schema(Thing).block.attributes
    assert list(attributes) == [field.name for field in attrs.fields(Thing)]
    assert attributes["id"].computed and not attributes["id"].optional
    assert attributes["owner_id"].required and attributes["owner_id"].requires_replace
    assert attributes["size"].optional and attributes["size"].computed and attributes["size"].default == 1
    assert type(attributes["ratio"].type).__name__ == "CtyNumber"
    assert type(attributes["enabled"].type).__name__ == "CtyBool"
    assert repr(attributes["tags"].type) == "CtyList(element_type=CtyString())"
    assert repr(attributes["labels"].type) == "CtyMap(element_type=CtyString())"
    assert attributes["secret"].sensitive and attributes["items"].object_type is not None
    assert resource_schema(Thing) is resource_schema(Thing), "built once"


def test_required_fields_have_no_default_the_others_none() -> None:
    with pytest.raises(TypeError):
        Thing(name="n", kind="k", secret="s")  # type: ignore[call-arg]
    thing = Thing(owner_id="o", name="n", kind="k", secret="s")
    assert (thing.size, thing.tags, thing.token) == (None, None, None)


def test_from_api_reads_renames_keeps_and_is_given() -> None:
    body = {"id": "t1", "name": "n", "kind": "k", "is_enabled": True, "enabled": False, "secret": "leak",
            "items": [{"a": "x", "b": "y"}], "owner_id": "ignored"}  # fmt: skip
    kept = Thing(owner_id="o", name="old", kind="k", secret="S", token="T")
    thing = Thing.from_api(body, kept, owner_id="o1")
    assert (thing.id, thing.name, thing.owner_id, thing.enabled) == ("t1", "n", "o1", True)
    assert (thing.secret, thing.token, thing.tags, thing.items) == ("S", "T", [], [{"a": "x"}])
    imported = Thing.from_api({**body, "token": "new"})
    assert (imported.secret, imported.token, imported.owner_id) == (None, "new", None)


def test_names_say_what_is_sent_and_returned() -> None:
    assert Thing.names(create=True) == (
        "name",
        "kind",
        "size",
        "ratio",
        "enabled",
        "tags",
        "labels",
        "secret",
    )
    assert Thing.names(update=True) == ("name", "size", "enabled", "tags", "labels", "secret")
    assert Thing.names(returned=False) == ("owner_id", "secret")
    assert Thing.names(parent=True) == ("owner_id",)
    assert Thing.names(create=True, update=False, requires_replace=False) == ("ratio",)


def test_a_type_without_a_terraform_type_must_be_declared_whole() -> None:
    @attrs.frozen(kw_only=True)
    class Odd(Table):
        shape: dict[str, Any] | None = optional("No type.")

    with pytest.raises(TypeError, match="declared"):
        Odd.attributes()
