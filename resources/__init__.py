"""Managed resource types, one module each."""

from resources.application import Application
from resources.application_deployment import ApplicationDeployment
from resources.application_deployment_hook import ApplicationDeploymentHook
from resources.application_domain import ApplicationDomain
from resources.application_environment_variable import ApplicationEnvironmentVariable
from resources.application_ip_restriction import ApplicationIpRestriction
from resources.application_private_port import ApplicationPrivatePort
from resources.application_process import ApplicationProcess
from resources.application_tcp_proxy import ApplicationTcpProxy
from resources.database import Database
from resources.global_environment_variable import GlobalEnvironmentVariable
from resources.object_storage import ObjectStorage
from resources.object_storage_cors_policy import ObjectStorageCorsPolicy
from resources.static_site import StaticSite
from resources.static_site_domain import StaticSiteDomain
from resources.static_site_environment_variable import StaticSiteEnvironmentVariable

RESOURCES = (
    Application,
    ApplicationDeployment,
    ApplicationDeploymentHook,
    ApplicationDomain,
    ApplicationEnvironmentVariable,
    ApplicationIpRestriction,
    ApplicationPrivatePort,
    ApplicationProcess,
    ApplicationTcpProxy,
    Database,
    GlobalEnvironmentVariable,
    ObjectStorage,
    ObjectStorageCorsPolicy,
    StaticSite,
    StaticSiteDomain,
    StaticSiteEnvironmentVariable,
)

__all__ = [
    "RESOURCES",
    "Application",
    "ApplicationDeployment",
    "ApplicationDeploymentHook",
    "ApplicationDomain",
    "ApplicationEnvironmentVariable",
    "ApplicationIpRestriction",
    "ApplicationPrivatePort",
    "ApplicationProcess",
    "ApplicationTcpProxy",
    "Database",
    "GlobalEnvironmentVariable",
    "ObjectStorage",
    "ObjectStorageCorsPolicy",
    "StaticSite",
    "StaticSiteDomain",
    "StaticSiteEnvironmentVariable",
]
