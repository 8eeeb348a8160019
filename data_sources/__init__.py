"""Data sources, one module each."""

from data_sources.application import Application
from data_sources.clusters import Clusters
from data_sources.database_resource_types import DatabaseResourceTypes
from data_sources.process_resource_types import ProcessResourceTypes

DATA_SOURCES = (Application, Clusters, DatabaseResourceTypes, ProcessResourceTypes)

__all__ = ["DATA_SOURCES", "Application", "Clusters", "DatabaseResourceTypes", "ProcessResourceTypes"]
