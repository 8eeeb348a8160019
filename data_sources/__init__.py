"""Data sources, one module each."""

from data_sources.api_key import ApiKey
from data_sources.api_key_permissions import ApiKeyPermissions
from data_sources.api_key_roles import ApiKeyRoles
from data_sources.application import Application
from data_sources.applications import Applications
from data_sources.clusters import Clusters
from data_sources.database import Database
from data_sources.database_resource_types import DatabaseResourceTypes
from data_sources.databases import Databases
from data_sources.docker_registry import DockerRegistry
from data_sources.load_balancer import LoadBalancer
from data_sources.load_balancers import LoadBalancers
from data_sources.object_storage import ObjectStorage
from data_sources.pipeline import Pipeline
from data_sources.process_resource_types import ProcessResourceTypes
from data_sources.project import Project
from data_sources.static_site import StaticSite
from data_sources.static_sites import StaticSites
from data_sources.users import Users
from data_sources.webhook import Webhook

DATA_SOURCES = (
    ApiKey,
    ApiKeyPermissions,
    ApiKeyRoles,
    Application,
    Applications,
    Clusters,
    Database,
    DatabaseResourceTypes,
    Databases,
    DockerRegistry,
    LoadBalancer,
    LoadBalancers,
    ObjectStorage,
    Pipeline,
    ProcessResourceTypes,
    Project,
    StaticSite,
    StaticSites,
    Users,
    Webhook,
)

__all__ = [
    "DATA_SOURCES",
    "ApiKey",
    "ApiKeyPermissions",
    "ApiKeyRoles",
    "Application",
    "Applications",
    "Clusters",
    "Database",
    "DatabaseResourceTypes",
    "Databases",
    "DockerRegistry",
    "LoadBalancer",
    "LoadBalancers",
    "ObjectStorage",
    "Pipeline",
    "ProcessResourceTypes",
    "Project",
    "StaticSite",
    "StaticSites",
    "Users",
    "Webhook",
]
