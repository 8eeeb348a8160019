"""sevalla_object_storage (data source): one bucket by id, every attribute computed.

The API does not return `public_access`; here it is whether the bucket has a public domain."""

from __future__ import annotations

from typing import Any

import attrs
from pyvider.data_sources import register_data_source

from data_sources._by_id import ByIdDataSource
from resources.object_storage import ObjectStorage as ObjectStorageResource


@register_data_source("sevalla_object_storage")
class ObjectStorage(ByIdDataSource):
    resource = ObjectStorageResource
    noun = "object storage"

    def from_api(self, body: dict[str, Any]) -> Any:
        state = super().from_api(body)
        return attrs.evolve(state, public_access=state.domain is not None)
