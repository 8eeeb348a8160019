"""sevalla_project: a project grouping services (applications, databases, buckets, ...).

Create = POST `{display_name}`; update = PATCH `{display_name}`. Services are attached with
`sevalla_project_service`, not here (the project's `services[]` is not an attribute, as in the
official provider).
"""

from __future__ import annotations

import attrs
from pyvider.resources import register_resource

from provider.attributes import computed, required
from provider.client.kinds import PROJECT
from resources._base import PatchedServiceResource, Problem, Timestamped, length_between


@attrs.frozen(kw_only=True)
class ProjectState(Timestamped):
    id: str | None = computed("Project ID.")
    display_name: str = required("Display name (2-64 characters).")
    name: str | None = computed("Unique name derived from the display name.")
    company_id: str | None = computed("Owning company.")


@register_resource("sevalla_project")
class Project(PatchedServiceResource):
    config_class = state_class = ProjectState
    noun = "project"
    kind = PROJECT

    def check(self, config: ProjectState) -> list[Problem]:
        return length_between("display_name", config.display_name, 2, 64)
