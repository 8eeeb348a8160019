"""sevalla_webhook: an HTTP endpoint that receives the company's events (deploys, creations, ...).

Create = POST `{endpoint, allowed_events, description}`; update = PATCH with the changed ones
(a removed description is sent as null). The API generates the signing `secret` (sensitive, like
`old_secret` after a roll). `is_enabled` is optional + computed (computed only in the official
provider): a change goes through the toggle route (kinds.Switch), not the PATCH.
"""

from __future__ import annotations

from typing import Any

import attrs
from pyvider.resources import register_resource

from provider.attributes import computed, listed, optional, required, switchable
from provider.client.kinds import WEBHOOK
from resources._base import PatchedServiceResource, Problem, Timestamped
from resources._checks import http_url, known_items, matches

EVENT_PATTERN = r"[A-Za-z][A-Za-z0-9_.:-]*"


@attrs.frozen(kw_only=True)
class WebhookState(Timestamped):
    id: str | None = computed("Webhook ID.")
    endpoint: str = required("URL the events are POSTed to (http or https).")
    allowed_events: list[str] = required(
        "Events sent to the endpoint, e.g. APP_DEPLOY, STATIC_SITE_DEPLOY (the API's set of event "
        "names is not documented; only their form is checked).",
        read=listed,
    )
    description: str | None = optional("Free text describing the webhook.")
    is_enabled: bool | None = switchable(
        "Whether events are delivered.",
        "Set true or false to enable or disable the webhook (unset: as it is in Sevalla).",
    )
    secret: str | None = computed("Signing secret sent in the svl-signature header.", sensitive=True)
    old_secret: str | None = computed("Previous signing secret, after a secret roll.", sensitive=True)
    old_secret_expired_at: str | None = computed("When the previous secret expires.")
    company_id: str | None = computed("Owning company.")
    created_by: str | None = computed("Who created the webhook.")
    updated_by: str | None = computed("Who last updated the webhook.")


@register_resource("sevalla_webhook")
class Webhook(PatchedServiceResource):
    config_class = state_class = WebhookState
    noun = "webhook"
    kind = WEBHOOK
    changed_on_update = ("updated_at", "updated_by")

    def check(self, config: WebhookState) -> list[Problem]:
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

    def create_body(self, config: Any) -> dict[str, Any]:
        return with_event_list(super().create_body(config))

    def patch_body(self, planned: Any, changed: list[str]) -> dict[str, Any]:
        return with_event_list(super().patch_body(planned, changed))


def with_event_list(body: dict[str, Any]) -> dict[str, Any]:
    """The API wants a JSON list of events (the state holds a tuple)."""
    if "allowed_events" in body:
        body["allowed_events"] = list(body["allowed_events"])
    return body
