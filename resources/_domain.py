"""A custom domain of a parent service: the domain sub-API is the same for applications,
static sites and load balancers (`<parent>/{id}/domains`).

Create = POST `{domain_name, is_wildcard, custom_ssl_cert, custom_ssl_key}`. The API never
returns the certificate or key, so they are kept from the configuration. The API cannot change
`is_wildcard` after creation (replacement). A certificate or key change replaces the domain too
(as in the official provider) for types that set `certificate_change_replaces` (static site
domains), except when state has none yet (after an import): then the configuration's pair is
sent with a PATCH, which the API accepts. The others (application and load balancer domains)
always PATCH a new pair.
"""

from __future__ import annotations

from typing import Any, ClassVar

import attrs
from pyvider.resources import ResourceContext

from provider.attributes import computed, optional, required, switchable, write_only, write_only_version
from provider.diagnostics import reported
from provider.formatting import shown
from provider.runtime import get_client
from resources._base import (
    ChildResource,
    Problem,
    TableParent,
    Timestamped,
    pick,
    plan_changes,
    replace_when_changed,
    unknown_string,
)
from resources._checks import domain_name, is_text


def pem(what: str, changing: str = "") -> Any:
    """The certificate or its key: sent, never returned by the API (kept from the configuration)."""
    return optional(f"PEM {what}; never returned by the API.{changing}", sensitive=True, api=None)


@attrs.frozen(kw_only=True)
class DomainState(Timestamped):
    """The domain table; each type adds its parent's id (and may say a certificate change replaces)."""

    id: str | None = computed("Domain ID.")
    name: str = required(
        'Domain name, lower case, e.g. "www.example.com" or "*.example.com".', requires_replace=True
    )
    is_wildcard: bool | None = optional(
        "Also serve every subdomain (true for a *. name). Changing it replaces the domain.",
        computed=True,
        requires_replace=True,
    )
    custom_ssl_cert: str | None = pem("certificate")
    custom_ssl_key: str | None = pem("private key")
    custom_ssl_key_wo: str | None = write_only("custom_ssl_key")
    custom_ssl_key_wo_version: int | None = write_only_version("custom_ssl_key")
    type: str | None = computed("CUSTOM or SYSTEM.")
    is_primary: bool | None = switchable(
        "Whether this is the primary domain.",
        "Set true to make it primary (the previous primary domain stops being primary); it can "
        "only be set true (unset: as it is in Sevalla).",
    )
    is_enabled: bool | None = switchable(
        "Whether the domain is enabled.",
        "Set true or false to enable or disable it (unset: as it is in Sevalla).",
    )
    status: str | None = computed("Verification status, e.g. ACTIVE.")


SECRETS = DomainState.names(returned=False, create=True)  # the certificate and its key


class DomainResource(ChildResource):
    """Subclasses set noun, the table (a DomainState with the parent's id) and the kind."""

    child_id_label = "domain_id"
    parent_attribute = TableParent()
    # True: a certificate or key change replaces the domain, but after an import (its table says
    # so in the descriptions); False: it is always a PATCH.
    certificate_change_replaces: ClassVar[bool] = False

    def check(self, config: Any) -> list[Problem]:
        problems = domain_name("name", config.name)
        if is_text(config.name) and config.name != config.name.lower():
            problems.append(("name", f"must be lower case (the API stores {shown(config.name.lower())})"))
        key = config.custom_ssl_key if config.custom_ssl_key is not None else config.custom_ssl_key_wo
        if (config.custom_ssl_cert is None) != (key is None):
            problems.append(("custom_ssl_key", "custom_ssl_cert and custom_ssl_key go together"))
        return problems

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
