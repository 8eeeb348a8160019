"""sevalla_project_service: attaches a service (application, database, bucket, ...) to a project.

Create = POST `projects/{project_id}/services` `{service_id, service_type}`; the API answers only
a message, so the resource's id is the service id (as in the official provider). Read looks for
the service in the project's embedded `services[]` (one GET of the project, shared by every
attachment of that project): gone from it, or the project gone, means the attachment is gone.
Destroy = DELETE `projects/{project_id}/services/{service_id}?service_type=...`. Every argument
forces replacement. Import id: `<project_id>/<service_id>`.

The API's service types are not documented, and `services[].type` is read back in another
spelling than the `service_type` sent (reference §10): a read keeps the configured spelling when
both name the same kind of service (`service_kind`); an import, which has no configuration,
takes the usual spelling of the kind read back (`app`, `database`, ...).
"""

from __future__ import annotations

import attrs
from pyvider.resources import ResourceContext, register_resource

from provider.attributes import Table, computed, parent, required
from provider.client.kinds import PROJECT_SERVICE
from provider.diagnostics import reported
from provider.handlers import read_object
from provider.runtime import get_client
from resources._base import Problem, SevallaResource, split_import_id, typed
from resources._checks import matches

SERVICE_TYPES = ("app", "database", "static-site", "object-storage", "pipeline", "load-balancer")
SERVICE_TYPE_PATTERN = r"[A-Za-z][A-Za-z0-9_-]*"
# Spellings of a kind (lower case, without "-", "_" and a "Resource" suffix) -> the usual one.
SPELLINGS = {
    "app": "app", "application": "app",
    "db": "database", "database": "database",
    "staticsite": "static-site", "site": "static-site",
    "objectstorage": "object-storage", "bucket": "object-storage", "storage": "object-storage",
    "pipeline": "pipeline",
    "loadbalancer": "load-balancer", "lb": "load-balancer",
}  # fmt: skip


def service_kind(service_type: str) -> str:
    """The usual spelling of a service type (`appResource`, `application`, `APP` -> `app`); a
    spelling not recognised is its own kind."""
    word = "".join(char for char in service_type.lower() if char.isalnum())
    return SPELLINGS.get(word.removesuffix("resource").removesuffix("s"), service_type)


@attrs.frozen(kw_only=True)
class ProjectServiceState(Table):
    id: str | None = computed("The attached service's ID.")
    project_id: str = parent("Project the service is attached to.")
    service_id: str = parent("ID of the service to attach.")
    service_type: str = required(
        f"Kind of service, e.g. {', '.join(SERVICE_TYPES)} (the API's set is not documented; "
        "any spelling of the same kind reads back as configured).",
        requires_replace=True,
    )


@register_resource("sevalla_project_service")
class ProjectService(SevallaResource):
    kind = PROJECT_SERVICE
    config_class = state_class = ProjectServiceState
    noun = "project service"

    def check(self, config: ProjectServiceState) -> list[Problem]:
        # The API's set of service types is not documented (the CLI sends "app", the official
        # provider's own example says "application"): only the form, a word, is checked.
        problems = matches(
            "service_type",
            config.service_type,
            SERVICE_TYPE_PATTERN,
            f"a service type such as {', '.join(SERVICE_TYPES)}",
        )
        for name in ("project_id", "service_id"):
            if getattr(config, name) == "":
                problems.append((name, "must not be empty"))
        return problems

    async def find(
        self, project_id: str, service_id: str, action: str, kept: str | None
    ) -> ProjectServiceState | None:
        """The attachment; `kept` is the prior state's service_type (None on import)."""
        service = await read_object(f"{action} {self.noun}", PROJECT_SERVICE.ref(project_id, service_id))
        if service is None:
            return None
        read_back = service_kind(str(service.get("type")))
        same = kept is not None and service_kind(kept) == read_back
        return ProjectServiceState(
            id=service_id,
            project_id=project_id,
            service_id=service_id,
            service_type=kept if same and kept is not None else read_back,
        )

    async def _create_apply(self, ctx: ResourceContext) -> tuple[ProjectServiceState, None]:
        config = typed(ctx.config, ProjectServiceState)
        body = {"service_id": config.service_id, "service_type": config.service_type}
        with reported(f"create {self.noun}"):
            await get_client().create(PROJECT_SERVICE.collection(config.project_id), body)
        return attrs.evolve(config, id=config.service_id), None

    async def read(self, ctx: ResourceContext) -> ProjectServiceState | None:
        prior = typed(ctx.state, ProjectServiceState)
        return await self.find(prior.project_id, prior.service_id, "read", prior.service_type)

    async def _delete_apply(self, ctx: ResourceContext) -> None:
        prior = typed(ctx.state, ProjectServiceState)
        with reported(f"delete {self.noun}"):
            await get_client().delete(
                PROJECT_SERVICE.ref(prior.project_id, prior.service_id),
                params={"service_type": prior.service_type},
            )

    async def import_state(self, ctx: ResourceContext, import_id: str) -> ProjectServiceState | None:
        project_id, service_id = split_import_id(import_id, ("project_id", "service_id"))
        return await self.find(project_id, service_id, "import", None)
