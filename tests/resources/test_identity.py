"""Resource identity: every importable type declares one, mirroring its import id."""

from __future__ import annotations

from resources import RESOURCES


def test_every_importable_type_has_an_identity_mirroring_its_import_id() -> None:
    for resource in RESOURCES:
        schema = resource.get_identity_schema()
        importable = getattr(resource, "import_state", None) is not None
        assert (schema is not None) == importable, resource
        if schema is None:
            continue
        names = list(schema.block.attributes)
        # The import id is these values joined by "/", in this order.
        assert resource.import_id_of({name: f"<{name}>" for name in names}) == "/".join(
            f"<{name}>" for name in names
        )
        assert names[-1] in ("id", "application_id", "database_id", "service_id"), (resource, names)
