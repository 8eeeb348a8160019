"""Data sources, one module each."""

from data_sources.application import Application
from data_sources.applications import Applications
from data_sources.clusters import Clusters
from data_sources.database_resource_types import DatabaseResourceTypes
from data_sources.object_storage import ObjectStorage
from data_sources.process_resource_types import ProcessResourceTypes
from data_sources.static_site import StaticSite
from data_sources.static_sites import StaticSites
from data_sources.users import Users

DATA_SOURCES = (
    Application,
    Applications,
    Clusters,
    DatabaseResourceTypes,
    ObjectStorage,
    ProcessResourceTypes,
    StaticSite,
    StaticSites,
    Users,
)

__all__ = [
    "DATA_SOURCES",
    "Application",
    "Applications",
    "Clusters",
    "DatabaseResourceTypes",
    "ObjectStorage",
    "ProcessResourceTypes",
    "StaticSite",
    "StaticSites",
    "Users",
]
