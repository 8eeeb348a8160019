"""Every resource's and data source's schema is the one in `schemas.json`.

The snapshot was taken at 3b9ec23, before the attribute tables (provider/attributes.py): the
schemas built from them must be identical, flag for flag and description for description.
A deliberate schema change rewrites it: `python -m tests.resources.test_schema_snapshot`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pyvider.cty.conversion.type_encoder import encode_cty_type_to_wire_json

from data_sources import DATA_SOURCES
from resources import RESOURCES

SNAPSHOT = Path(__file__).with_name("schemas.json")
FLAGS = ("required", "optional", "computed", "sensitive", "write_only", "requires_replace", "deprecated")


def attribute_dump(attribute: Any) -> dict[str, Any]:
    dumped: dict[str, Any] = {
        "name": attribute.name,
        "type": encode_cty_type_to_wire_json(attribute.type),
        "description": attribute.description,
        "description_kind": attribute.description_kind.value,
        **{flag: getattr(attribute, flag) for flag in FLAGS if getattr(attribute, flag)},
    }
    if attribute.default is not None:
        dumped["default"] = repr(attribute.default)
    if attribute.object_type is not None:
        dumped["attributes"] = attributes_dump(attribute.object_type.attributes)
    return dumped


def attributes_dump(attributes: dict[str, Any]) -> dict[str, Any]:
    return {name: attribute_dump(attribute) for name, attribute in attributes.items()}


def schema_dump(component: Any) -> dict[str, Any]:
    schema = component.get_schema()
    block = schema.block
    return {
        "version": schema.version,
        "description": block.description,
        "deprecated": block.deprecated,
        "block_types": [repr(nested) for nested in block.block_types],
        "attributes": attributes_dump(block.attributes),
    }


def every_schema() -> dict[str, Any]:
    return {
        f"{kind} {component._registered_name}": schema_dump(component)
        for kind, components in (("resource", RESOURCES), ("data source", DATA_SOURCES))
        for component in components
    }


def write_snapshot() -> None:
    """One line per attribute: a reviewable diff when a schema changes on purpose."""
    lines = ["{"]
    schemas = every_schema()
    for index, (key, schema) in enumerate(schemas.items()):
        lines.append(f"  {json.dumps(key)}: {{")
        head = {name: value for name, value in schema.items() if name != "attributes"}
        lines.append(f"    {json.dumps(head)[1:-1]},")
        lines.append('    "attributes": {')
        attributes = list(schema["attributes"].items())
        for position, (name, attribute) in enumerate(attributes):
            comma = "," if position < len(attributes) - 1 else ""
            lines.append(f"      {json.dumps(name)}: {json.dumps(attribute)}{comma}")
        lines.append("    }")
        lines.append("  }" + ("," if index < len(schemas) - 1 else ""))
    lines.append("}")
    SNAPSHOT.write_text("\n".join(lines) + "\n")


SCHEMAS = every_schema()
EXPECTED = json.loads(SNAPSHOT.read_text()) if SNAPSHOT.exists() else {}


def test_the_same_types_are_declared() -> None:
    assert sorted(SCHEMAS) == sorted(EXPECTED)


@pytest.mark.parametrize("key", sorted(SCHEMAS))
def test_schema_is_unchanged(key: str) -> None:
    assert SCHEMAS[key] == EXPECTED.get(key)


if __name__ == "__main__":
    write_snapshot()
