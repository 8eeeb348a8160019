"""Load balancers with destinations (validation, toggle) and domains."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from emulator.testing import InProcessEmulator


async def test_load_balancer_crud_and_list(unlimited: InProcessEmulator) -> None:
    api = unlimited.api
    created = await api.post("/load-balancers", json={"display_name": "Edge"})
    assert created.status_code == 201, created.text
    lb = created.json()
    assert lb["type"] == "DEFAULT" and lb["name"].startswith("edge-") and lb["company_id"]
    assert lb["project_id"] is None
    bad = await api.post("/load-balancers", json={"display_name": "E", "type": "ROUND"})
    assert bad.status_code == 422
    assert bad.json()["data"]["fields"] == {
        "display_name": ["must be between 2 and 64 characters"],
        "type": ["must be one of: DEFAULT, GEO"],
    }
    url = f"/load-balancers/{lb['id']}"
    patched = (await api.patch(url, json={"display_name": "Edge 2", "type": "GEO"})).json()
    assert (patched["display_name"], patched["type"], patched["name"]) == ("Edge 2", "GEO", lb["name"])
    for index in range(3):
        await api.post("/load-balancers", json={"display_name": f"LB {index}"})
    page = (await api.get("/load-balancers", params={"limit": 2, "offset": 2})).json()
    assert page["total"] == 4 and len(page["data"]) == 2
    assert set(page["data"][0]) == {"id", "name", "display_name", "type", "created_at", "updated_at"}
    assert (await api.delete(url)).status_code == 204
    missing = await api.get(url)
    assert (
        missing.status_code == 404
        and missing.json()["data"]["message"] == f"load balancer {lb['id']} not found"
    )


async def test_destinations_validate_toggle_and_delete(
    unlimited: InProcessEmulator, new_app: Callable[..., Awaitable[dict[str, Any]]]
) -> None:
    api = unlimited.api
    lb = (await api.post("/load-balancers", json={"display_name": "Edge"})).json()
    app = await new_app(unlimited)
    url = f"/load-balancers/{lb['id']}/destinations"
    created = await api.post(url, json={"service_type": "APP", "service_id": app["id"], "weight": 5})
    assert created.status_code == 201, created.text
    dest = created.json()
    assert (dest["load_balancer_id"], dest["weight"], dest["is_enabled"]) == (lb["id"], 5, True)
    assert dest["url"] is None and dest["latitude"] is None

    external = (
        await api.post(
            url,
            json={
                "service_type": "EXTERNAL",
                "url": "https://example.com",
                "latitude": 48.85,
                "longitude": 2.35,
            },
        )
    ).json()
    assert (external["weight"], external["latitude"], external["longitude"]) == (1, 48.85, 2.35)

    problems = {
        "service_type": {"service_type": "HTTP"},
        "service_id": {"service_type": "APP"},
        "url": {"service_type": "EXTERNAL"},
        "weight": {"service_type": "EXTERNAL", "url": "https://x.example", "weight": 101},
        "latitude": {"service_type": "EXTERNAL", "url": "https://x.example", "latitude": 91},
    }
    for field, body in problems.items():
        answer = await api.post(url, json=body)
        assert answer.status_code == 422 and field in answer.json()["data"]["fields"], (field, answer.text)
    unknown = await api.post(url, json={"service_type": "STATIC_SITE", "service_id": app["id"]})
    assert unknown.json()["data"]["fields"] == {"service_id": ["is not a known static site"]}

    listed = (await api.get(url)).json()
    assert [item["id"] for item in listed["data"]] == [dest["id"], external["id"]]
    toggled = await api.post(f"{url}/{dest['id']}/toggle")
    assert toggled.status_code == 200 and toggled.json()["is_enabled"] is False
    assert (await api.post(f"{url}/{dest['id']}/toggle")).json()["is_enabled"] is True
    assert (await api.patch(f"{url}/{dest['id']}", json={"weight": 3})).status_code == 405
    assert (await api.delete(f"{url}/{dest['id']}")).status_code == 204
    assert (await api.post(f"{url}/{dest['id']}/toggle")).status_code == 404


async def test_load_balancer_domains_and_cascade(unlimited: InProcessEmulator) -> None:
    api = unlimited.api
    lb = (await api.post("/load-balancers", json={"display_name": "Edge", "type": "GEO"})).json()
    domains = f"/load-balancers/{lb['id']}/domains"
    domain = await api.post(
        domains, json={"domain_name": "lb.example.com", "custom_ssl_cert": "CERT", "custom_ssl_key": "KEY"}
    )
    assert domain.status_code == 201
    assert domain.json()["name"] == "lb.example.com" and "custom_ssl_key" not in domain.json()
    assert (await api.post(domains, json={"domain_name": "lb.example.com"})).status_code == 422
    await api.post(
        f"/load-balancers/{lb['id']}/destinations",
        json={"service_type": "EXTERNAL", "url": "https://a.example"},
    )
    assert (await api.delete(f"/load-balancers/{lb['id']}")).status_code == 204
    assert (await unlimited.objects())["total"] == 0
