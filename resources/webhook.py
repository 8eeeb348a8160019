"""sevalla_webhook: an HTTP endpoint that receives the company's events (deploys, creations, ...).

Create = POST `{endpoint, allowed_events, description}`; update = PATCH with the changed ones
(a removed description is sent as null). The API generates the signing `secret` (sensitive, like
`old_secret` after a roll); `is_enabled` is computed (toggling is not exposed, as in the official
provider).
"""

from __future__ import annotations

from typing import Any

import attrs
from pyvider.resources import register_resource
from pyvider.schema import PvsSchema, a_bool, a_list, a_str, s_resource

from provider.client.kinds import WEBHOOK
from resources._base import (
    PatchedServiceResource,
    Problem,
    pick,
    timestamp_attributes,
)
from resources._checks import http_url, known_items, matches

EVENTS = (
    "APP_CREATE", "APP_UPDATE", "APP_DELETE", "APP_DEPLOY",
    "DATABASE_CREATE", "DATABASE_UPDATE", "DATABASE_DELETE",
    "STATIC_SITE_CREATE", "STATIC_SITE_UPDATE", "STATIC_SITE_DELETE", "STATIC_SITE_DEPLOY",
)  # fmt: skip
WRITABLE = ("endpoint", "allowed_events", "description")
FROM_API = (
    "id", "endpoint", "description", "is_enabled", "secret", "old_secret", "old_secret_expired_at",
    "company_id", "created_by", "updated_by", "created_at", "updated_at",
)  # fmt: skip
EVENT_PATTERN = r"[A-Za-z][A-Za-z0-9_.:-]*"


@attrs.define(frozen=True)
class WebhookConfig:
    endpoint: str
    allowed_events: list[str]
    description: str | None = None


@attrs.define(frozen=True)
class WebhookState(WebhookConfig):
    id: str | None = None
    is_enabled: bool | None = None
    secret: str | None = None
    old_secret: str | None = None
    old_secret_expired_at: str | None = None
    company_id: str | None = None
    created_by: str | None = None
    updated_by: str | None = None
    created_at: str | None = None
    updated_at: str | None = None


def state_from_api(body: dict[str, Any]) -> WebhookState:
    return WebhookState(
        **pick(body, FROM_API),
        allowed_events=list(body.get("allowed_events") or []),  # type: ignore[arg-type]
    )


@register_resource("sevalla_webhook")
class Webhook(PatchedServiceResource):
    config_class = WebhookConfig
    state_class = WebhookState
    noun = "webhook"
    kind = WEBHOOK
    writable = WRITABLE
    changed_on_update = ("updated_at", "updated_by")

    @classmethod
    def get_schema(cls) -> PvsSchema:
        return s_resource(
            attributes={
                "id": a_str(computed=True, description="Webhook ID."),
                "endpoint": a_str(required=True, description="URL the events are POSTed to (http or https)."),
                "allowed_events": a_list(
                    a_str(), required=True, description=f"Events sent to the endpoint: {', '.join(EVENTS)}."
                ),
                "description": a_str(optional=True, description="Free text describing the webhook."),
                "is_enabled": a_bool(computed=True, description="Whether events are delivered."),
                "secret": a_str(
                    computed=True,
                    sensitive=True,
                    description="Signing secret sent in the svl-signature header.",
                ),
                "old_secret": a_str(
                    computed=True, sensitive=True, description="Previous signing secret, after a secret roll."
                ),
                "old_secret_expired_at": a_str(
                    computed=True, description="When the previous secret expires."
                ),
                "company_id": a_str(computed=True, description="Owning company."),
                "created_by": a_str(computed=True, description="Who created the webhook."),
                "updated_by": a_str(computed=True, description="Who last updated the webhook."),
                **timestamp_attributes(),
            }
        )

    def check(self, config: WebhookConfig) -> list[Problem]:
        problems = http_url("endpoint", config.endpoint)
        if config.allowed_events == []:
            problems.append(("allowed_events", "must list at least one event"))
        # The API's event names are not documented (APP_DEPLOY in the official provider's tests,
        # deployment.started in its docs): only their form is checked.
        for index, event in enumerate(known_items(config.allowed_events)):
            problems += matches(
                f"allowed_events[{index}]", event, EVENT_PATTERN, "an event name such as APP_DEPLOY"
            )
        return problems

    def from_api(self, body: dict[str, Any], kept: Any) -> WebhookState:
        return state_from_api(body)

    def create_body(self, config: Any) -> dict[str, Any]:
        return with_event_list(super().create_body(config))

    def patch_body(self, planned: Any, changed: list[str]) -> dict[str, Any]:
        return with_event_list(super().patch_body(planned, changed))


def with_event_list(body: dict[str, Any]) -> dict[str, Any]:
    """The API wants a JSON list of events (the state holds a tuple)."""
    if "allowed_events" in body:
        body["allowed_events"] = list(body["allowed_events"])
    return body
