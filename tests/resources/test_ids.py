"""Ids from imports and configurations are checked before any request, on the attribute."""

from __future__ import annotations

from typing import Any

import attrs
import pytest
import respx
from pyvider.cty.exceptions import CtyValidationError
from pyvider.resources import ResourceContext

import provider.runtime
from data_sources import DATA_SOURCES
from data_sources._by_id import ByIdDataSource, IdLookup
from provider.client import SevallaClient
from provider.settings import ProviderSettings
from resources import RESOURCES
from resources._base import id_problems, split_import_id

IMPORTABLE = [r for r in RESOURCES if hasattr(r, "import_state")]
BAD_IMPORT_IDS = [
    "../applications",
    "..",
    "app/../x",
    "app/..",
    "./x",
    "a?b",
    "a#b",
    "%2e%2e",
    "ok/a b",
    "ok/ok/..",
    "ok/ok/ok/..",
]


def path_of(error: CtyValidationError) -> str:
    return str(error.path)


def test_split_import_id_names_the_problem() -> None:
    with pytest.raises(CtyValidationError) as caught:
        split_import_id("../applications", ("id",))
    assert str(caught.value.message) == (
        "Expected import ID in format '<id>', got: ../applications ('..' is not an id (it names another path))"
    )
    with pytest.raises(
        CtyValidationError, match=r"'<application_id>/<domain_id>', got: app/%41 \(an id cannot"
    ):
        split_import_id("app/%41", ("application_id", "domain_id"))
    assert split_import_id("app/dom", ("application_id", "domain_id")) == ("app", "dom")
    assert split_import_id("w1", ("id",)) == ("w1",)


@pytest.fixture
def offline_client(monkeypatch: pytest.MonkeyPatch) -> Any:
    """A configured provider whose API has no routes: any request shows in respx.calls."""
    with respx.mock(assert_all_called=False) as mock:
        client = SevallaClient(
            ProviderSettings(api_key="k", api_url="https://api.test/v3", rate_limit_enabled=False),
            user_agent="test",
        )

        class Hub:
            @staticmethod
            def get_component(kind: str, name: str) -> Any:
                return type("Provider", (), {"client": client})()

        monkeypatch.setattr(provider.runtime, "hub", Hub)
        yield mock


def test_every_resource_but_the_deployment_imports() -> None:
    assert len(IMPORTABLE) == len(RESOURCES) - 1


@pytest.mark.parametrize("resource", IMPORTABLE, ids=lambda r: r._registered_name)
async def test_bad_import_ids_fail_on_id_before_any_request(resource: Any, offline_client: Any) -> None:
    for import_id in BAD_IMPORT_IDS:
        with pytest.raises(CtyValidationError) as caught:
            await resource().import_state(ResourceContext(), import_id)
        assert "Expected import ID in format" in str(caught.value.message), import_id
        assert "id" in path_of(caught.value)
    assert offline_client.calls.call_count == 0


@attrs.define(frozen=True)
class ChildConfig:
    application_id: str | None
    process_id: str | None = None
    name: str | None = None
    id: str | None = None


def test_configured_ids_are_checked_generically() -> None:
    assert id_problems(ChildConfig(application_id="a/b")) == [
        ("application_id", "an id cannot contain '/'; got \"a/b\"")
    ]
    assert [name for name, _ in id_problems(ChildConfig(application_id="ok", process_id=".."))] == [
        "process_id"
    ]
    assert id_problems(ChildConfig(application_id=None, name="a/b")) == []  # not an id
    assert id_problems(ChildConfig(application_id="c1a5e000-0000-4000-8000-000000000001")) == []
    assert id_problems(None) == []


WITH_ID_ARGUMENTS = [
    (resource, field.name)
    for resource in RESOURCES
    for field in attrs.fields(resource.config_class)
    if field.name == "id" or field.name.endswith("_id")
]


@pytest.mark.parametrize(
    ("resource", "attribute"),
    WITH_ID_ARGUMENTS,
    ids=[f"{r._registered_name}.{a}" for r, a in WITH_ID_ARGUMENTS],
)
async def test_validation_puts_a_bad_id_on_its_attribute(
    resource: Any, attribute: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At plan (ValidateResourceConfig) and again at apply, before the first request."""
    values = {field.name: None for field in attrs.fields(resource.config_class)}
    config = resource.config_class(**{**values, attribute: "a/b"})
    monkeypatch.setattr(resource, "check", lambda self, config: [])  # value checks are not the point
    for validate in (resource()._validate_config(config), resource().apply(ResourceContext(config=config))):
        with pytest.raises(CtyValidationError) as caught:
            await validate
        assert attribute in path_of(caught.value)
        assert f"Invalid {attribute}: an id cannot contain '/'; got \"a/b\"" == str(caught.value.message)


BY_ID = [d for d in DATA_SOURCES if issubclass(d, ByIdDataSource)]


@pytest.mark.parametrize("data_source", BY_ID, ids=lambda d: d._registered_name)
async def test_data_sources_check_the_id_before_any_request(data_source: Any, offline_client: Any) -> None:
    with pytest.raises(CtyValidationError) as caught:
        await data_source()._validate_config(IdLookup(id="../applications"))
    assert "id" in path_of(caught.value)
    with pytest.raises(CtyValidationError):
        await data_source().read(ResourceContext(config=IdLookup(id="a/b")))
    assert offline_client.calls.call_count == 0
