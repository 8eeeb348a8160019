from __future__ import annotations

from decimal import Decimal

import attrs
import pytest
from pyvider.cty.exceptions import CtyValidationError

from resources._base import (
    check_timeouts,
    json_ready,
    one_of,
    plan_changes,
    raise_first_problem,
    split_import_id,
    timeout_seconds,
    unknown_string,
)


@attrs.define
class Prior:
    a: int | None = None
    b: str | None = None
    c: list[str] | None = None


def test_json_ready_turns_decimals_into_numbers() -> None:
    assert json_ready({"n": Decimal("3"), "f": Decimal("1.5"), "l": [Decimal("2")]}) == {
        "n": 3,
        "f": 1.5,
        "l": [2],
    }
    assert isinstance(json_ready(Decimal("3")), int)


def test_plan_changes_compares_against_prior_state() -> None:
    prior = Prior(a=1, b="x", c=["p"])
    assert plan_changes({"a": Decimal("1"), "b": "x", "c": ["p"]}, prior, ("a", "b", "c")) == []
    assert plan_changes({"a": 2, "b": "x", "c": ["q"]}, prior, ("a", "b", "c")) == ["a", "c"]
    assert plan_changes({"b": unknown_string()}, prior, ("b",)) == ["b"]


def test_split_import_id() -> None:
    assert split_import_id("app/env", ("application_id", "env_var_id")) == ("app", "env")
    for bad in ("app", "app/", "a/b/c"):
        with pytest.raises(
            CtyValidationError, match="Expected import ID in format '<application_id>/<env_var_id>'"
        ):
            split_import_id(bad, ("application_id", "env_var_id"))


def test_problems_become_one_attribute_diagnostic() -> None:
    raise_first_problem([])
    with pytest.raises(CtyValidationError) as caught:
        raise_first_problem(one_of("type", "oracle", ("postgresql", "mysql")) + [("db_user", "reserved")])
    assert [step.name for step in caught.value.path.steps] == ["type"]
    assert "also db_user: reserved" in str(caught.value)


def test_timeouts() -> None:
    defaults = {"create": "10m", "update": "10m", "delete": "10m"}
    assert timeout_seconds(None, "create", defaults) == 600
    assert timeout_seconds({"create": "90s", "update": None}, "create", defaults) == 90
    assert timeout_seconds({"create": "90s", "update": None}, "update", defaults) == 600
    assert check_timeouts({"create": "soon"})[0][0] == "timeouts.create"
    assert check_timeouts({"create": "1h", "delete": None}) == []


def test_wire_conversion_round_trips_nested_probes() -> None:
    from resources._base import camel_case, from_wire, to_wire
    from resources.application_process import PROBE_TYPE, scaling_from_wire, scaling_to_wire

    assert camel_case("initial_delay_seconds") == "initialDelaySeconds" and camel_case("exec") == "exec"
    probe = {
        "http_get": {
            "path": "/health",
            "port": Decimal("8080"),
            "host": None,
            "scheme": "HTTP",
            "http_headers": [{"name": "X-Probe", "value": "1"}],
        },
        "exec": None,
        "tcp_socket": None,
        "initial_delay_seconds": Decimal("5"),
        "period_seconds": None,
        "timeout_seconds": None,
        "success_threshold": None,
        "failure_threshold": None,
    }
    wire = to_wire(probe)
    assert wire == {
        "httpGet": {
            "path": "/health",
            "port": 8080,
            "scheme": "HTTP",
            "httpHeaders": [{"name": "X-Probe", "value": "1"}],
        },
        "initialDelaySeconds": 5,
    }
    assert json_ready(from_wire(wire, PROBE_TYPE)) == json_ready(probe)
    assert from_wire(None, PROBE_TYPE) is None
    scaling = {"type": "horizontal", "min_instance_count": Decimal("1"), "max_instance_count": Decimal("3")}
    assert scaling_to_wire(scaling) == {
        "type": "horizontal",
        "config": {"minInstanceCount": 1, "maxInstanceCount": 3},
    }
    back = scaling_from_wire({"type": "manual", "config": {"instanceCount": 2}})
    assert back is not None and back["instance_count"] == 2 and back["max_instance_count"] is None
