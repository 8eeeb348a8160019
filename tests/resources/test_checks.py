"""The shared value checks (resources/_checks.py) and when they run: at plan with the known values
of a configuration that is not wholly known, never for a destroy."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs
import pytest
from pyvider.cty import CtyString, CtyValue
from pyvider.cty.exceptions import CtyValidationError
from pyvider.resources import ResourceContext

from provider.diagnostics import attribute_path
from provider.formatting import shown
from provider.settings import resolve_settings
from resources import RESOURCES
from resources._checks import (
    UNKNOWN,
    domain_name,
    env_key,
    http_url,
    ip_or_cidr_list,
    iso_timestamp,
    items_one_of,
    length_between,
    matches,
    number_between,
    one_of,
    port,
    whole_number,
)
from resources.application_ip_restriction import ApplicationIpRestriction
from resources.load_balancer_destination import LoadBalancerDestination


def names(problems: list[tuple[str, str]]) -> list[str]:
    return [name for name, _ in problems]


def test_numbers_are_shown_as_written_in_hcl() -> None:
    assert [shown(Decimal("-1")), shown(Decimal("2.5")), shown(Decimal("1E+2")), shown(2.0)] == [
        "-1",
        "2.5",
        "100",
        "2",
    ]
    assert [shown("FTP"), shown(True), shown(None)] == ['"FTP"', "true", "null"]


def test_provider_settings_errors_show_numbers_as_written() -> None:
    class Config:
        api_key = "k"
        rate_limit_burst = Decimal("-1")

    with pytest.raises(Exception, match=r"^.*-1 is below the minimum of 1") as caught:
        resolve_settings(Config(), env={})
    assert "Decimal" not in str(caught.value)


def test_nested_attribute_paths_become_steps() -> None:
    assert str(attribute_path("capabilities[0].permission")) == "capabilities[0].permission"
    assert len(attribute_path("timeouts.create").steps) == 2


@pytest.mark.parametrize("value", [None, UNKNOWN])
def test_unset_and_unknown_values_are_never_problems(value: Any) -> None:
    assert one_of("a", value, ("x",)) + length_between("a", value, 2, 3) == []
    assert whole_number("a", value, 0) + port("a", value) + number_between("a", value, 0, 1) == []
    assert domain_name("a", value) + http_url("a", value) + env_key("a", value) == []
    assert iso_timestamp("a", value) + ip_or_cidr_list("a", value) + items_one_of("a", value, ("x",)) == []
    assert ip_or_cidr_list("a", ["10.0.0.1", value]) == []


def test_ip_addresses_and_cidr_ranges() -> None:
    assert ip_or_cidr_list("ip_list", ["10.0.0.1", "10.0.0.0/8", "10.0.0.1/24", "::1", "2001:db8::/32"]) == []
    problems = ip_or_cidr_list("ip_list", ["300.1.1.1", "10.0.0.0/33", "10.0.0.1"])
    assert problems == [("ip_list", 'not IP addresses or CIDR ranges: "300.1.1.1", "10.0.0.0/33"')]


def test_numbers() -> None:
    assert port("port", Decimal(0)) and port("port", Decimal(65536)) and port("port", Decimal("80.5"))
    assert port("port", Decimal(1)) + port("port", Decimal(65535)) == []
    assert whole_number("weight", Decimal(-5), 0) == [("weight", "must be at least 0; got -5")]
    assert number_between("latitude", Decimal("90.5"), -90, 90) == [
        ("latitude", "must be between -90 and 90; got 90.5")
    ]


def test_text_forms() -> None:
    for good in ("app.example.com", "*.example.com", "xn--bcher-kva.example", "a-b.co"):
        assert domain_name("name", good) == [], good
    for bad in ("localhost", "bad domain.com", "-a.example.com", "example.", "1.2.3.4", "a..b.com"):
        assert names(domain_name("name", bad)) == ["name"], bad
    assert http_url("url", "https://example.com/x") == []
    assert names(http_url("url", "ftp://example.com") + http_url("url", "https://")) == ["url", "url"]
    assert env_key("key", "DATABASE_URL") + env_key("key", "my.var-1") == []
    assert (
        names(env_key("key", "1X") + env_key("key", "A B") + env_key("key", "A=B") + env_key("key", ""))
        == ["key"] * 4
    )
    assert iso_timestamp("expires_at", "2030-01-31T00:00:00Z") == []
    assert names(iso_timestamp("expires_at", "next year")) == ["expires_at"]
    assert names(matches("t", "FTP", r"[a-z]+", "lower case")) == ["t"]


def all_unknown(config_class: type) -> Any:
    return config_class(**{field.name: UNKNOWN for field in attrs.fields(config_class)})


@pytest.mark.parametrize("resource_class", RESOURCES, ids=lambda cls: cls.__name__)
def test_every_check_accepts_a_configuration_not_known_yet(resource_class: Any) -> None:
    """A check must not fail on, or trip over, values Terraform does not know yet."""
    assert resource_class().check(all_unknown(resource_class.config_class)) == []


def restriction_cty(ip_list: list[Any], application_id: Any) -> CtyValue:
    cty_type = ApplicationIpRestriction.get_schema().block.to_cty_type()
    values = {"application_id": application_id, "type": "allow", "is_enabled": True, "ip_list": ip_list}
    return cty_type.validate(values)


async def test_plan_checks_the_known_values_while_the_parent_id_is_unknown() -> None:
    unknown_id = CtyValue.unknown(CtyString())
    config_cty = restriction_cty(["300.1.1.1", CtyValue.unknown(CtyString())], unknown_id)
    ctx = ResourceContext(config=None, config_cty=config_cty, planned_state_cty=config_cty)
    with pytest.raises(CtyValidationError, match='not IP addresses or CIDR ranges: "300.1.1.1"') as caught:
        await ApplicationIpRestriction().plan(ctx)
    assert [step.name for step in caught.value.path.steps] == ["ip_list"]


async def test_plan_does_not_require_what_is_only_unknown() -> None:
    """service_id = sevalla_application.app.id is unknown, not missing."""
    cty_type = LoadBalancerDestination.get_schema().block.to_cty_type()
    config_cty = cty_type.validate(
        {
            "load_balancer_id": CtyValue.unknown(CtyString()),
            "service_type": "APP",
            "service_id": CtyValue.unknown(CtyString()),
        }
    )
    resource = LoadBalancerDestination()
    partial = resource.partial_config(config_cty)
    assert (partial.service_id, partial.weight) == (UNKNOWN, None)
    assert resource.check(partial) == []


async def test_a_destroy_is_never_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    resource = ApplicationIpRestriction()

    def refuse(config: Any) -> list[tuple[str, str]]:
        raise AssertionError("a destroy ran a value check")

    monkeypatch.setattr(resource, "check", refuse)
    null_config = CtyValue.null(ApplicationIpRestriction.get_schema().block.to_cty_type())
    ctx = ResourceContext(config=None, config_cty=null_config, planned_state_cty=null_config)
    assert await resource.plan(ctx) == (None, None)


# --- the rules of each type ----------------------------------------------------------------------

D = Decimal


def test_application_rules() -> None:
    from resources.application import Application, ApplicationState

    good = ApplicationState(
        display_name="App",
        cluster_id="c1",
        source="dockerImage",
        buildpacks=[{"order": D(0), "source": "heroku/go"}],
    )
    assert Application().check(good) == []
    bad = ApplicationState(
        display_name="App",
        cluster_id="c1",
        source="dockerImage",
        default_branch="",
        hibernate_after_seconds=D(-1),
        buildpacks=[{"order": D("1.5"), "source": ""}, {"order": None, "source": "x"}],
    )
    assert names(Application().check(bad)) == [
        "default_branch",
        "hibernate_after_seconds",
        "buildpacks[0].order",
        "buildpacks[0].source",
        "buildpacks[1].order",
    ]


def database(display_name: str, engine: str, version: str, db_name: str, password: str, **more: Any) -> Any:
    from resources.database import DatabaseState

    return DatabaseState(
        display_name=display_name, type=engine, version=version, cluster_id="c1", db_name=db_name,
        db_password=password, resource_type_id="r1", **more,
    )  # fmt: skip


def test_database_rules() -> None:
    from resources.database import Database

    good = database("Main", "postgresql", "16", "app_db-1+x", "secret", db_user="app")
    assert Database().check(good) == []
    bad = database("M", "oracle", "", "bad name", "abc", db_user="")
    assert names(Database().check(bad)) == [
        "display_name",
        "type",
        "version",
        "db_name",
        "db_password",
        "db_user",
    ]
    assert "Decimal" not in str(Database().check(attrs.evolve(good, db_user="root")))


def test_process_rules() -> None:
    from resources.application_process import ApplicationProcess, ProcessState

    manual = {"type": "manual", "instance_count": D(1)}
    good = ProcessState(
        application_id="a1", display_name="Cron", type="cron", resource_type_id="r1", scaling_strategy=manual,
        schedule="*/5 * * * *", port=D(8080),
    )  # fmt: skip
    assert ApplicationProcess().check(good) == []
    assert ApplicationProcess().check(attrs.evolve(good, schedule="@hourly")) == []
    bad = ProcessState(
        application_id="a1",
        display_name="",
        type="cron",
        resource_type_id="r1",
        scaling_strategy={
            "type": "horizontal",
            "min_instance_count": D(5),
            "max_instance_count": D(2),
            "scale_up_increment": D(-1),
        },
        schedule="every hour",
        port=D(70000),
        readiness_probe={
            "http_get": {"port": D(0), "scheme": "HTTP", "http_headers": [{"name": "", "value": "v"}]},
            "period_seconds": D(0),
        },
        liveness_probe={"exec": {"command": []}, "initial_delay_seconds": D("0.5")},
    )
    assert names(ApplicationProcess().check(bad)) == [
        "display_name",
        "port",
        "schedule",
        "scaling_strategy.scale_up_increment",
        "scaling_strategy.max_instance_count",
        "liveness_probe.initial_delay_seconds",
        "liveness_probe.exec.command",
        "readiness_probe.period_seconds",
        "readiness_probe.http_get.port",
        "readiness_probe.http_get.http_headers[0].name",
    ]
    assert names(ApplicationProcess().check(attrs.evolve(good, scaling_strategy={"type": "manual"}))) == [
        "scaling_strategy.instance_count"
    ]


def test_domain_and_env_var_rules() -> None:
    from resources.application_domain import ApplicationDomain, ApplicationDomainState
    from resources.application_environment_variable import (
        ApplicationEnvironmentVariable,
        ApplicationEnvVarState,
    )

    assert names(
        ApplicationDomain().check(ApplicationDomainState(application_id="a1", name="not a domain"))
    ) == ["name"]
    assert ApplicationDomain().check(ApplicationDomainState(application_id="a1", name="*.example.com")) == []
    # The other half of the certificate pair is unknown, not missing.
    assert (
        ApplicationDomain().check(
            ApplicationDomainState(
                application_id="a1", name="x.example.com", custom_ssl_cert=UNKNOWN, custom_ssl_key="K"
            )
        )
        == []
    )
    assert names(
        ApplicationEnvironmentVariable().check(
            ApplicationEnvVarState(application_id="a1", key="1BAD KEY", value="v")
        )
    ) == ["key"]
    assert (
        ApplicationEnvironmentVariable().check(
            ApplicationEnvVarState(application_id="a1", key="GOOD_KEY", value="v")
        )
        == []
    )


def test_destination_project_service_and_cors_rules() -> None:
    from resources.load_balancer_destination import DestinationState
    from resources.object_storage_cors_policy import CorsPolicyState, ObjectStorageCorsPolicy
    from resources.project_service import ProjectService, ProjectServiceState

    check = LoadBalancerDestination().check
    assert names(
        check(
            DestinationState(load_balancer_id="l1", service_type="EXTERNAL", url="ftp://x", weight=D("2.5"))
        )
    ) == [
        "weight",
        "url",
    ]
    assert (
        check(DestinationState(load_balancer_id="l1", service_type="APP", service_id=UNKNOWN, weight=D(5)))
        == []
    )
    service = ProjectService().check
    assert names(
        service(ProjectServiceState(project_id="p1", service_id="s1", service_type="ftp server"))
    ) == ["service_type"]
    # Not in the emulator's list, but the official provider's own example: not refused.
    for spelling in ("application", "APP", "staticSite", "FTP"):
        assert service(ProjectServiceState(project_id="p1", service_id="s1", service_type=spelling)) == []
    cors = ObjectStorageCorsPolicy().check
    assert names(
        cors(
            CorsPolicyState(
                object_storage_id="o1", allowed_origins=["https://x"], allowed_methods=["GET", "FETCH"]
            )
        )
    ) == ["allowed_methods"]


def test_undocumented_value_sets_are_checked_for_form_only() -> None:
    from resources.api_key import ApiKey, ApiKeyState
    from resources.webhook import Webhook, WebhookState

    webhook = Webhook().check
    assert (
        webhook(
            WebhookState(
                endpoint="https://example.com/hook", allowed_events=["APP_DEPLOY", "deployment.started"]
            )
        )
        == []
    )
    bad = WebhookState(endpoint="example.com/hook", allowed_events=["APP DEPLOY"])
    assert names(webhook(bad)) == ["endpoint", "allowed_events[0]"]
    assert names(webhook(WebhookState(endpoint="https://example.com", allowed_events=[]))) == [
        "allowed_events"
    ]
    api_key = ApiKey().check
    capabilities = [
        {"permission": "app:read"},
        {"permission": "APP:READ"},
        {"permission": "application:read"},
    ]
    assert api_key(ApiKeyState(name="ci", capabilities=capabilities, role_ids=["r1"])) == []
    bad_key = ApiKeyState(name="ci", expires_at="soon", capabilities=[{"permission": "read"}], role_ids=[""])
    assert names(api_key(bad_key)) == ["expires_at", "capabilities[0].permission", "role_ids[0]"]


def test_stage_rules() -> None:
    from resources.pipeline_stage import PipelineStage, PipelineStageState

    assert names(
        PipelineStage().check(PipelineStageState(pipeline_id="p1", name="QA", insert_before=D(-1), branch=""))
    ) == [
        "insert_before",
        "branch",
    ]
