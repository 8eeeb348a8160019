"""Managed resource types, one module each."""

from resources.api_key import ApiKey
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
from resources.database_internal_connection import DatabaseInternalConnection
from resources.database_ip_restriction import DatabaseIpRestriction
from resources.docker_registry import DockerRegistry
from resources.global_environment_variable import GlobalEnvironmentVariable
from resources.load_balancer import LoadBalancer
from resources.load_balancer_destination import LoadBalancerDestination
from resources.load_balancer_domain import LoadBalancerDomain
from resources.object_storage import ObjectStorage
from resources.object_storage_cors_policy import ObjectStorageCorsPolicy
from resources.pipeline import Pipeline
from resources.pipeline_stage import PipelineStage
from resources.pipeline_stage_application import PipelineStageApplication
from resources.project import Project
from resources.project_service import ProjectService
from resources.static_site import StaticSite
from resources.static_site_domain import StaticSiteDomain
from resources.static_site_environment_variable import StaticSiteEnvironmentVariable
from resources.webhook import Webhook

RESOURCES = (
    ApiKey,
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
    DatabaseInternalConnection,
    DatabaseIpRestriction,
    DockerRegistry,
    GlobalEnvironmentVariable,
    LoadBalancer,
    LoadBalancerDestination,
    LoadBalancerDomain,
    ObjectStorage,
    ObjectStorageCorsPolicy,
    Pipeline,
    PipelineStage,
    PipelineStageApplication,
    Project,
    ProjectService,
    StaticSite,
    StaticSiteDomain,
    StaticSiteEnvironmentVariable,
    Webhook,
)

__all__ = [
    "RESOURCES",
    "ApiKey",
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
    "DatabaseInternalConnection",
    "DatabaseIpRestriction",
    "DockerRegistry",
    "GlobalEnvironmentVariable",
    "LoadBalancer",
    "LoadBalancerDestination",
    "LoadBalancerDomain",
    "ObjectStorage",
    "ObjectStorageCorsPolicy",
    "Pipeline",
    "PipelineStage",
    "PipelineStageApplication",
    "Project",
    "ProjectService",
    "StaticSite",
    "StaticSiteDomain",
    "StaticSiteEnvironmentVariable",
    "Webhook",
]

# List resources (terraform query), one per importable type.
from resources.listing import list_resource_for  # noqa: E402

LIST_RESOURCES = tuple(list_resource_for(r) for r in RESOURCES if r.get_identity_schema() is not None)
