"""sevalla_clusters: the clusters (regions) services can run in."""

from __future__ import annotations

from pyvider.data_sources import register_data_source
from pyvider.schema import a_str

from data_sources._reference import ReferenceList
from provider.client.kinds import CLUSTERS


@register_data_source("sevalla_clusters")
class Clusters(ReferenceList):
    kind = CLUSTERS
    list_attribute = "clusters"
    item_fields = {name: a_str() for name in ("id", "name", "display_name", "location")}
