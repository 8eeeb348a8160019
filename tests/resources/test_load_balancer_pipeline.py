"""Load balancer and pipeline types: state conversion, configuration checks, data-source schemas."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from data_sources import DATA_SOURCES
from resources import RESOURCES
from resources.load_balancer import LoadBalancer, LoadBalancerState
from resources.load_balancer_destination import DestinationState, LoadBalancerDestination
from resources.load_balancer_domain import LoadBalancerDomain, LoadBalancerDomainState
from resources.pipeline import Pipeline, PipelineState
from resources.pipeline_stage import PipelineStage, PipelineStageState, stage_from_api


def destination(service_type: str, **values: Any) -> DestinationState:
    return DestinationState(load_balancer_id="l1", service_type=service_type, **values)


def stage(name: str, insert_before: Decimal) -> PipelineStageState:
    return PipelineStageState(pipeline_id="p1", name=name, insert_before=insert_before)


def test_load_balancer_state_and_check() -> None:
    body = {
        "id": "l1",
        "display_name": "Edge",
        "type": "GEO",
        "name": "edge-x",
        "company_id": "c",
        "extra": 1,
    }
    state = LoadBalancerState.from_api(body)
    assert (state.type, state.name, state.project_id) == ("GEO", "edge-x", None)
    problems = LoadBalancer().check(LoadBalancerState(display_name="E", type="ROUND"))
    assert [name for name, _ in problems] == ["display_name", "type"]
    assert LoadBalancer().check(LoadBalancerState(display_name="Edge")) == []


def test_destination_check() -> None:
    check = LoadBalancerDestination().check
    external = destination("EXTERNAL", service_id="a1", latitude=Decimal(91), weight=101)
    assert [name for name, _ in check(external)] == ["url", "service_id", "weight", "latitude"]
    assert [name for name, _ in check(destination("APP"))] == ["service_id"]
    assert [name for name, _ in check(destination("HTTP"))] == ["service_type"]
    assert check(destination("EXTERNAL", url="https://x", longitude=Decimal("-180"))) == []


def test_destination_keeps_the_exact_coordinates_terraform_holds() -> None:
    body = {"id": "d1", "service_type": "EXTERNAL", "url": "https://x", "weight": 1, "latitude": 48.85}
    planned = destination("EXTERNAL", latitude=Decimal(48.85))
    assert DestinationState.from_api(body, planned, load_balancer_id="l1").latitude == Decimal(48.85)
    assert DestinationState.from_api(body, load_balancer_id="l1").latitude == Decimal("48.85")
    moved = destination("EXTERNAL", latitude=Decimal("10"))
    assert DestinationState.from_api(body, moved, load_balancer_id="l1").latitude == Decimal("48.85")
    assert DestinationState.from_api(body, load_balancer_id="l1").longitude is None


def test_load_balancer_domain_checks_like_every_domain() -> None:
    config = LoadBalancerDomainState(load_balancer_id="l1", name="WWW.example.com", custom_ssl_cert="CERT")
    assert [name for name, _ in LoadBalancerDomain().check(config)] == ["name", "custom_ssl_key"]


def test_pipeline_and_stage_checks() -> None:
    assert [n for n, _ in Pipeline().check(PipelineState(display_name="P", type="flow"))] == [
        "display_name",
        "type",
    ]
    bad = stage("Q", Decimal("-1"))
    assert [name for name, _ in PipelineStage().check(bad)] == ["name", "insert_before"]
    assert PipelineStage().check(stage("QA", Decimal("1.5")))
    assert PipelineStage().check(stage("QA", Decimal(2))) == []


def test_stage_from_api_maps_display_name_to_name() -> None:
    body = {"id": "s1", "display_name": "Prod", "order": 2, "branch": None, "type": "standard", "apps": []}
    state = stage_from_api("p1", body, None)
    assert (state.name, state.order, state.insert_before, state.pipeline_id) == ("Prod", 2, None, "p1")


@pytest.mark.parametrize("name", ["sevalla_load_balancer", "sevalla_pipeline"])
def test_by_id_data_sources_mirror_the_resource(name: str) -> None:
    resource = next(r for r in RESOURCES if r._registered_name == name)  # type: ignore[attr-defined]
    data_source = next(d for d in DATA_SOURCES if d._registered_name == name)  # type: ignore[attr-defined]
    attributes = data_source.get_schema().block.attributes
    assert set(attributes) == set(resource.get_schema().block.attributes)
    assert attributes["id"].required
    assert all(a.computed and not a.requires_replace for n, a in attributes.items() if n != "id")
