"""Cheap resource types through their whole life on the live API with real Terraform:
apply -> empty plan -> import -> empty plan -> update -> empty plan -> destroy."""

from __future__ import annotations

from typing import Any

from tests.acceptance.lifecycle import check_lifecycle
from tests.acceptance.terraform import Terraform


def finish(tf: Terraform) -> None:
    tf.destroy()
    assert not tf.state(), "state not empty after destroy"


def test_project(tf: Terraform, live_name: str) -> None:
    def hcl(name: str) -> str:
        return f'resource "sevalla_project" "p" {{\n  display_name = "{name}"\n}}\n'

    def updated(values: dict[str, Any]) -> None:
        assert values["display_name"] == live_name + "-2"

    check_lifecycle(
        tf,
        "sevalla_project.p",
        create_hcl=hcl(live_name),
        update_hcl=hcl(live_name + "-2"),
        import_id=lambda values: values["id"],
        ignore_on_import={},
        check_updated=updated,
    )
    finish(tf)


def test_webhook(tf: Terraform, live_name: str) -> None:
    def hcl(events: str, path: str) -> str:
        return f"""
resource "sevalla_webhook" "hook" {{
  endpoint       = "https://hooks.example.com/{live_name}/{path}"
  allowed_events = {events}
  description    = "{live_name}"
}}
"""

    def updated(values: dict[str, Any]) -> None:
        assert values["endpoint"].endswith("/b") and sorted(values["allowed_events"]) == [
            "APP_CREATE",
            "APP_DEPLOY",
        ]

    check_lifecycle(
        tf,
        "sevalla_webhook.hook",
        create_hcl=hcl('["APP_DEPLOY"]', "a"),
        update_hcl=hcl('["APP_CREATE", "APP_DEPLOY"]', "b"),
        import_id=lambda values: values["id"],
        ignore_on_import={},
        check_updated=updated,
    )
    finish(tf)


def test_docker_registry(tf: Terraform, live_name: str) -> None:
    def hcl(name: str, secret: str) -> str:
        return f"""
resource "sevalla_docker_registry" "registry" {{
  name     = "{name}"
  registry = "github"
  username = "tfpsv-live-robot"
  secret   = "{secret}"
}}
"""

    check_lifecycle(
        tf,
        "sevalla_docker_registry.registry",
        create_hcl=hcl(live_name, "live-token-1"),
        update_hcl=hcl(live_name + "-2", "live-token-2"),
        import_id=lambda values: values["id"],
        ignore_on_import={"secret": "never returned by the API (set from the configuration)"},
    )
    finish(tf)


def test_application_with_environment_variable(tf: Terraform, live_name: str) -> None:
    """An application from a public image (never deployed by the test) and one variable."""

    def hcl(value: str) -> str:
        return f"""
data "sevalla_clusters" "all" {{}}

resource "sevalla_application" "app" {{
  display_name = "{live_name}"
  cluster_id   = data.sevalla_clusters.all.clusters[0].id
  source       = "dockerImage"
  docker_image = "nginx:latest"
}}

resource "sevalla_application_environment_variable" "var" {{
  application_id = sevalla_application.app.id
  key            = "TFPSV_LIVE"
  value          = "{value}"
}}
"""

    def updated(values: dict[str, Any]) -> None:
        assert values["value"] == "two"

    check_lifecycle(
        tf,
        "sevalla_application_environment_variable.var",
        create_hcl=hcl("one"),
        update_hcl=hcl("two"),
        import_id=lambda values: f"{values['application_id']}/{values['id']}",
        ignore_on_import={},
        check_updated=updated,
    )
    finish(tf)
