"""A custom domain of a parent service: the domain sub-API is the same for applications,
static sites and load balancers (`<parent>/{id}/domains`).

Create = POST `{domain_name, is_wildcard, custom_ssl_cert, custom_ssl_key}`. The API never
returns the certificate or key, so they are kept from the configuration. The API cannot change
`is_wildcard` after creation (replacement). A certificate or key change replaces the domain too
(as in the official provider), except when state has none yet (after an import): then the
configuration's pair is sent with a PATCH, which the API accepts. Types that set
`certificate_change_replaces = False` (application domains) always PATCH a new pair.
"""

from __future__ import annotations

from typing import Any, ClassVar

import attrs
from pyvider.resources import ResourceContext
from pyvider.schema import PvsAttribute, PvsSchema, a_bool, a_str, s_resource

from provider.diagnostics import reported
from provider.formatting import shown
from provider.runtime import get_client
from resources._base import (
    ChildResource,
    Problem,
    parent_id_attribute,
    pick,
    plan_changes,
    replace_when_changed,
    timestamp_attributes,
    unknown_string,
)
from resources._checks import domain_name, is_text

SECRETS = ("custom_ssl_cert", "custom_ssl_key")
FROM_API = (
    "id", "name", "is_wildcard", "type", "is_primary", "is_enabled", "status", "created_at", "updated_at",
)  # fmt: skip


def domain_attributes(
    parent_attribute: str, parent_description: str, *, certificate_change_replaces: bool = True
) -> dict[str, PvsAttribute]:
    """Every attribute of a domain type; the parent's id attribute is named `parent_attribute`."""
    changing = " Changing it replaces the domain." if certificate_change_replaces else ""
    return {
        "id": a_str(computed=True, description="Domain ID."),
        parent_attribute: parent_id_attribute(parent_description),
        "name": a_str(
            required=True,
            requires_replace=True,
            description='Domain name, lower case, e.g. "www.example.com" or "*.example.com".',
        ),
        "is_wildcard": a_bool(
            optional=True,
            computed=True,
            requires_replace=True,
            description="Also serve every subdomain (true for a *. name). Changing it replaces the domain.",
        ),
        "custom_ssl_cert": a_str(
            optional=True,
            sensitive=True,
            description=f"PEM certificate; never returned by the API.{changing}",
        ),
        "custom_ssl_key": a_str(
            optional=True,
            sensitive=True,
            description=f"PEM private key; never returned by the API.{changing}",
        ),
        "type": a_str(computed=True, description="CUSTOM or SYSTEM."),
        "is_primary": a_bool(computed=True, description="Whether this is the primary domain."),
        "is_enabled": a_bool(computed=True, description="Whether the domain is enabled."),
        "status": a_str(computed=True, description="Verification status, e.g. ACTIVE."),
        **timestamp_attributes(),
    }


class DomainResource(ChildResource):
    """Subclasses set noun, parent_attribute, parent_description, the attrs classes (with a field
    named like `parent_attribute`) and the kind."""

    child_id_label = "domain_id"
    parent_description: ClassVar[str]  # e.g. "Application the domain belongs to."
    # False: a certificate or key change is always a PATCH (never a replacement).
    certificate_change_replaces: ClassVar[bool] = True

    @classmethod
    def get_schema(cls) -> PvsSchema:
        return s_resource(
            attributes=domain_attributes(
                cls.parent_attribute,
                cls.parent_description,
                certificate_change_replaces=cls.certificate_change_replaces,
            )
        )

    def check(self, config: Any) -> list[Problem]:
        problems = domain_name("name", config.name)
        if is_text(config.name) and config.name != config.name.lower():
            problems.append(("name", f"must be lower case (the API stores {shown(config.name.lower())})"))
        if (config.custom_ssl_cert is None) != (config.custom_ssl_key is None):
            problems.append(("custom_ssl_key", "custom_ssl_cert and custom_ssl_key go together"))
        return problems

    def from_api(self, parent_id: str, body: dict[str, Any], kept: Any) -> Any:
        secrets = {name: getattr(kept, name, None) for name in SECRETS}
        state_class: Any = self.state_class
        return state_class(**{self.parent_attribute: parent_id}, **pick(body, FROM_API), **secrets)

    async def _update(self, ctx: ResourceContext, base_plan: dict[str, Any]) -> tuple[dict[str, Any], None]:
        prior: Any = ctx.state
        if self.certificate_change_replaces:
            imported = prior.custom_ssl_cert is None and prior.custom_ssl_key is None
            replace_when_changed(ctx, base_plan, SECRETS, imported=imported)
        if plan_changes(base_plan, prior, SECRETS):
            base_plan["updated_at"] = unknown_string()
        return base_plan, None

    async def _create_apply(self, ctx: ResourceContext) -> tuple[Any, None]:
        config: Any = ctx.config
        parent_id = getattr(config, self.parent_attribute)
        body = {
            "domain_name": config.name,
            "is_wildcard": config.is_wildcard,
            **pick(attrs.asdict(config), SECRETS),
        }
        with reported(f"create {self.noun}"):
            created = await get_client().create(
                self.kind.collection(parent_id),
                {key: value for key, value in body.items() if value is not None},
            )
        return self.from_api(parent_id, created, config), None

    async def _update_apply(self, ctx: ResourceContext) -> tuple[Any, None]:
        planned: Any = ctx.planned_state
        parent_id = getattr(planned, self.parent_attribute)
        with reported(f"update {self.noun}"):
            updated = await get_client().update(self.ref(planned), pick(attrs.asdict(planned), SECRETS))
        return self.from_api(parent_id, updated, planned), None
