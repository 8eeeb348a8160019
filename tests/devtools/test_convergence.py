"""devtools.convergence: duplicates, orphans and missing objects between state and server."""

from __future__ import annotations

from typing import Any

from devtools.convergence import StateResource, compare, errors_in, state_resources


def obj(kind: str, object_id: str, parent: str | None = None, implicit: bool = False, **body: Any) -> dict:
    return {
        "kind": kind,
        "id": object_id,
        "parent_id": parent,
        "implicit": implicit,
        "body": {"id": object_id, **body},
    }


def res(address: str, values: dict) -> StateResource:
    return StateResource(address, address.split(".")[0], values)


def test_converged_state_and_server() -> None:
    objects = [
        obj("applications", "a1", display_name="app"),
        obj("application_processes", "p0", "a1", implicit=True, key="web"),
        obj("application_env_vars", "e1", "a1", key="K"),
        obj("application_ip_restrictions", "r1", "a1"),
        obj("projects", "pr", display_name="proj"),
        obj("project_services", "ps1", "pr", service_id="a1"),
        obj("pipeline_stage_apps", "s1:a1", "s1"),
    ]
    resources = [
        res("sevalla_application.app", {"id": "a1"}),
        res("sevalla_application_environment_variable.k", {"id": "a1/e1", "application_id": "a1"}),
        res("sevalla_application_ip_restriction.r", {"application_id": "a1"}),
        res("sevalla_project.p", {"id": "pr"}),
        res("sevalla_project_service.s", {"id": "a1", "project_id": "pr", "service_id": "a1"}),
        res("sevalla_pipeline_stage_application.m", {"stage_id": "s1", "application_id": "a1"}),
        res("terraform_data.x", {"id": "ignored"}),
    ]
    report = compare(resources, objects)
    assert report.ok, report.summary()
    assert report.counts() == {"duplicates": 0, "orphans": 0, "missing": 0}


def test_lost_then_recreated_is_a_duplicate_and_an_orphan() -> None:
    objects = [
        obj("databases", "old", display_name="db"),
        obj("databases", "new", display_name="db"),
        obj("application_env_vars", "e1", "a1", key="K"),
        obj("application_env_vars", "e2", "a2", key="K"),  # another parent: not a duplicate
        obj("application_processes", "p0", "gone", implicit=True),  # goes with its parent
    ]
    resources = [
        res("sevalla_database.db", {"id": "new"}),
        res("sevalla_application_environment_variable.a", {"id": "a1/e1"}),
        res("sevalla_application_environment_variable.b", {"id": "a2/e2"}),
        res("sevalla_application_domain.d", {"id": "a1/d9"}),
    ]
    report = compare(resources, objects)
    assert report.counts() == {"duplicates": 1, "orphans": 1, "missing": 1}
    assert "databases 'db'" in report.duplicates[0] and "old" in report.duplicates[0]
    assert report.orphans == ("databases 'db' old",)
    assert report.missing[0].startswith("sevalla_application_domain.d")
    assert report.summary().startswith("1 duplicates, 1 orphans, 1 state objects missing")


def test_state_resources_walks_modules_and_skips_data_sources() -> None:
    shown = {
        "values": {
            "root_module": {
                "resources": [
                    {
                        "address": "sevalla_application.a",
                        "type": "sevalla_application",
                        "mode": "managed",
                        "values": {"id": "1"},
                    },
                    {
                        "address": "data.sevalla_clusters.c",
                        "type": "sevalla_clusters",
                        "mode": "data",
                        "values": {},
                    },
                ],
                "child_modules": [
                    {
                        "resources": [
                            {
                                "address": "module.m.sevalla_project.p",
                                "type": "sevalla_project",
                                "values": {"id": "2"},
                            }
                        ]
                    }
                ],
            }
        }
    }
    assert [r.address for r in state_resources(shown)] == [
        "sevalla_application.a",
        "module.m.sevalla_project.p",
    ]
    assert state_resources({}) == []


def test_errors_in_terraform_output() -> None:
    output = """
Error: Unable to create application

  with sevalla_application.a,
  on main.tf line 3, in resource "sevalla_application" "a":
   3: resource "sevalla_application" "a" {

The Sevalla API answered 422 to PATCH /applications/x.

Warning: something

  details
Error: execution halted
"""
    assert errors_in(output) == [
        "Error: Unable to create application — The Sevalla API answered 422 to PATCH /applications/x.",
        "Error: execution halted",
    ]
    assert errors_in("all good") == []
