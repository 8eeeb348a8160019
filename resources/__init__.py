"""Managed resource types, one module each."""

from resources.application import Application
from resources.application_environment_variable import ApplicationEnvironmentVariable
from resources.database import Database

RESOURCES = (Application, ApplicationEnvironmentVariable, Database)

__all__ = ["RESOURCES", "Application", "ApplicationEnvironmentVariable", "Database"]
