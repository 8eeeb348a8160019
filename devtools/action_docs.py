"""Registry pages for the actions: `docs/actions/<name>.md` (tfplugindocs layout, name without
`sevalla_`), generated like the other pages so they cannot drift: what the action does (its
class docstring), which Terraform it needs and how to run it, the example from
`examples/actions/<type>/action.tf`, and the schema. `devtools.docs` writes and checks them
with the rest; this module only renders them (kept apart so the resource pages' renderer
stays as it is).
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from devtools.docs import EXAMPLES, PREFIX, example_block, front_matter, schema_section

MINIMUM_TERRAFORM = "1.14"


def render_action(action: Any) -> str:
    name: str = action._registered_name
    text = " ".join((inspect.getdoc(action) or "").split())
    summary = text.split(". ")[0].rstrip(".") + "."
    default = action.default_timeout
    lines = [
        *front_matter(name, "Action", summary),
        text,
        "",
        f"Actions need **Terraform {MINIMUM_TERRAFORM} or later**; with an older Terraform a configuration "
        "that declares no `action` block keeps working with every resource and data source of this provider.",
        "",
        f"Run it with `terraform apply -invoke=action.{name}.<label>`, or after a resource's change with "
        "`lifecycle { action_trigger { events = [after_create, after_update], actions = "
        f"[action.{name}.<label>] }} }}` in that resource. An action changes no Terraform state. Terraform "
        "shows a progress line for each status the object goes through; the action ends when the "
        f"operation has, within `timeout` (default {default}), or when Terraform is interrupted "
        "(the operation itself then goes on in Sevalla).",
        "",
        *example_block(EXAMPLES / "actions" / name, "action.tf"),
        *schema_section(dict(action.get_schema().block.attributes)),
    ]
    return "\n".join(lines).rstrip() + "\n"


def action_pages() -> Iterable[tuple[Path, str]]:
    from resources.actions import ACTIONS

    for action in ACTIONS:
        name: str = action._registered_name  # type: ignore[attr-defined]
        yield Path("actions") / f"{name.removeprefix(PREFIX)}.md", render_action(action)
