"""Registry pages for the list resources: `docs/list-resources/<name>.md` (tfplugindocs layout,
name without `sevalla_`), generated like the other pages: what is listed and how to filter it,
which Terraform it needs, an example `list` block, the filters' schema and the identity each
result carries. `devtools.docs` writes and checks them with the rest.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from devtools.docs import PREFIX, front_matter, schema_section

MINIMUM_TERRAFORM = "1.14"


def render_list_resource(list_resource: Any) -> str:
    name: str = list_resource._registered_name
    filters = dict(list_resource.get_schema().block.attributes)
    identity = list(list_resource.managed.get_identity_schema().block.attributes)
    parents = list_resource.parent_names()
    label = list_resource.label()
    scope = (
        f"under the {' and '.join(f'`{n}`' for n in parents)} given, or under every one when unset"
        if parents
        else "the API key can see"
    )
    config = [f'    {label} = "shop-*"'] if label else []
    config += [f'    # {parent} = "<{parent}>"' for parent in parents]
    example = ["```terraform", "# onboarding.tfquery.hcl", f'list "{name}" "all" {{', "  provider         = sevalla",
               "  include_resource = true", *(["  config {", *config, "  }"] if config else []), "}", "```"]  # fmt: skip
    lines = [
        *front_matter(name, "List Resource", f"Lists the existing {name} objects {scope}."),
        f"Lists the existing [{name}](../resources/{name.removeprefix(PREFIX)}.md) objects {scope}"
        + (f", whose `{label}` matches a glob" if label else "")
        + ". Each result carries the object's identity; with `include_resource = true` also the state "
        "an import would give, so `terraform query -generate-config-out=FILE` writes a resource and an "
        "`import` block for it that plan as an import with no change.",
        "",
        f"List resources need **Terraform {MINIMUM_TERRAFORM} or later** (`terraform query`); older "
        "versions ignore `.tfquery.hcl` files. The lists come from the provider's shared client: pages "
        "of 100, paced and coalesced like every read. See the guide "
        "[Bring an existing Sevalla account under Terraform](../guides/onboarding.md).",
        "",
        "## Example Usage",
        "",
        *example,
        "",
        *(schema_section(filters) if filters else ["## Schema", "", "No filters.", ""]),
        "",
        "## Identity",
        "",
        *(f"- `{attribute}` (String)" for attribute in identity),
        "",
    ]
    return "\n".join(lines).rstrip() + "\n"


def list_pages() -> Iterable[tuple[Path, str]]:
    from resources import LIST_RESOURCES

    for list_resource in LIST_RESOURCES:
        name: str = list_resource._registered_name  # type: ignore[attr-defined]
        yield Path("list-resources") / f"{name.removeprefix(PREFIX)}.md", render_list_resource(list_resource)
