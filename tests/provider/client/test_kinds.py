"""The catalogue: every id that enters an API path is one safe segment, and every reference names
the path the API documents (the paths the provider used before the catalogue)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from provider.client import InvalidIdError, kinds, limits
from provider.client.kinds import CATALOGUE, Kind, Read, Ref, id_problem

BAD_IDS = [
    "",
    ".",
    "..",
    "../applications",
    "a/b",
    "x?limit=1",
    "x#frag",
    "%2e%2e",
    "a\\b",
    "a b",
    " x",
    "x\n",
    "x\t",
    "x\x00",
    "x\u200b",  # zero-width space (a format character)
    None,
]
GOOD_IDS = ["c1a5e000-0000-4000-8000-000000000001", "app1", "A_b-c.d~e", "v1.2", "...", "ünïcode"]

PATHS = [
    (kinds.APPLICATION.collection(), "applications"),
    (kinds.APPLICATION.ref("a"), "applications/a"),
    (kinds.APPLICATION_ENV_VAR.collection("a"), "applications/a/env-vars"),
    (kinds.APPLICATION_ENV_VAR.ref("a", "e"), "applications/a/env-vars/e"),
    (kinds.APPLICATION_DOMAIN.collection("a"), "applications/a/domains"),
    (kinds.APPLICATION_DOMAIN.ref("a", "d"), "applications/a/domains/d"),
    (kinds.APPLICATION_PROCESS.ref("a", "p"), "applications/a/processes/p"),
    (kinds.APPLICATION_PRIVATE_PORT.collection("a"), "applications/a/private-ports"),
    (kinds.APPLICATION_PRIVATE_PORT.ref("a", "p"), "applications/a/private-ports/p"),
    (kinds.APPLICATION_TCP_PROXY.ref("a", "t"), "applications/a/tcp-proxies/t"),
    (kinds.APPLICATION_DEPLOYMENT.collection("a"), "applications/a/deployments"),
    (kinds.APPLICATION_DEPLOYMENT.ref("a", "d"), "applications/a/deployments/d"),
    (kinds.APPLICATION_IP_RESTRICTION.ref("a"), "applications/a/ip-restriction"),
    (kinds.APPLICATION_DEPLOYMENT_HOOK.ref("a"), "applications/a/deployment-hook"),
    (kinds.GLOBAL_ENV_VAR.collection(), "applications/global-env-vars"),
    (kinds.GLOBAL_ENV_VAR.ref("e"), "applications/global-env-vars/e"),
    (kinds.DATABASE.ref("d"), "databases/d"),
    (kinds.DATABASE_INTERNAL_CONNECTION.collection("d"), "databases/d/internal-connections"),
    (kinds.DATABASE_INTERNAL_CONNECTION.ref("d", "c"), "databases/d/internal-connections/c"),
    (kinds.DATABASE_IP_RESTRICTION.ref("d"), "databases/d/ip-restriction"),
    (kinds.OBJECT_STORAGE.collection(), "object-storage"),
    (kinds.OBJECT_STORAGE.ref("b"), "object-storage/b"),
    (kinds.OBJECT_STORAGE_CORS_POLICY.ref("b", "c"), "object-storage/b/cors-policies/c"),
    (kinds.STATIC_SITE.ref("s"), "static-sites/s"),
    (kinds.STATIC_SITE_ENV_VAR.ref("s", "e"), "static-sites/s/env-vars/e"),
    (kinds.STATIC_SITE_DOMAIN.ref("s", "d"), "static-sites/s/domains/d"),
    (kinds.LOAD_BALANCER.ref("l"), "load-balancers/l"),
    (kinds.LOAD_BALANCER_DESTINATION.ref("l", "d"), "load-balancers/l/destinations/d"),
    (kinds.LOAD_BALANCER_DOMAIN.ref("l", "d"), "load-balancers/l/domains/d"),
    (kinds.PIPELINE.ref("p"), "pipelines/p"),
    (kinds.PIPELINE_STAGE.collection("p"), "pipelines/p/stages"),
    (kinds.PIPELINE_STAGE.ref("p", "s"), "pipelines/p/stages/s"),
    (kinds.PIPELINE_STAGE_APPLICATION.collection("p", "s"), "pipelines/p/stages/s/apps"),
    (kinds.PIPELINE_STAGE_APPLICATION.ref("p", "s", "a"), "pipelines/p/stages/s/apps/a"),
    (kinds.PROJECT.ref("p"), "projects/p"),
    (kinds.PROJECT_SERVICE.collection("p"), "projects/p/services"),
    (kinds.PROJECT_SERVICE.ref("p", "s"), "projects/p/services/s"),
    (kinds.DOCKER_REGISTRY.ref("r"), "docker-registries/r"),
    (kinds.WEBHOOK.ref("w"), "webhooks/w"),
    (kinds.API_KEY.collection(), "api-keys"),
    (kinds.API_KEY.ref("k"), "api-keys/k"),
    (kinds.USERS.collection(), "users"),
    (kinds.CLUSTERS.collection(), "resources/clusters"),
    (kinds.PROCESS_RESOURCE_TYPES.collection(), "resources/process-resource-types"),
    (kinds.DATABASE_RESOURCE_TYPES.collection(), "resources/database-resource-types"),
    (kinds.API_KEY_PERMISSIONS.collection(), "resources/rbac/api-key-permissions"),
    (kinds.API_KEY_ROLES.collection(), "resources/rbac/api-key-roles"),
]
ADDRESSED = [kind for kind in CATALOGUE if kind.depth]


@pytest.mark.parametrize(("ref", "path"), PATHS, ids=[path for _, path in PATHS])
def test_each_reference_names_the_documented_path(ref: Ref, path: str) -> None:
    assert ref.path == path == str(ref)


def test_the_table_covers_every_kind() -> None:
    assert {ref.kind for ref, _ in PATHS} == set(CATALOGUE)


def test_relations() -> None:
    domain = kinds.APPLICATION_DOMAIN.ref("a", "d")
    assert domain.parent == kinds.APPLICATION.ref("a") == domain.root
    assert domain.collection() == kinds.APPLICATION_DOMAIN.collection("a")
    assert domain.collection().item("d") == domain and domain.id == "d"
    assert kinds.APPLICATION.collection().root == kinds.APPLICATION.collection()
    assert kinds.GLOBAL_ENV_VAR.ref("e").root == kinds.GLOBAL_ENV_VAR.ref("e"), "not under an application"
    assert kinds.PIPELINE_STAGE_APPLICATION.ref("p", "s", "a").root == kinds.PIPELINE.ref("p")
    assert kinds.APPLICATION_IP_RESTRICTION.ref("a").id is None
    assert kinds.APPLICATION_DOMAIN.match_of({"domain_name": "x.example.com"}) == {"name": "x.example.com"}
    assert kinds.LOAD_BALANCER_DESTINATION.match_of({"service_type": "EXTERNAL", "url": "u"}) == {
        "service_type": "EXTERNAL",
        "url": "u",
    }
    with pytest.raises(TypeError):
        kinds.APPLICATION_DOMAIN.ref("a")
    with pytest.raises(TypeError):
        kinds.APPLICATION_IP_RESTRICTION.collection("a")


def _builders(kind: Kind, ids: list[object]) -> list[Callable[[], Ref]]:
    """Every way of building a reference of `kind` that takes these ids: `ref`, and `collection`
    (the parents' ids) then `item` (its own)."""
    own = 0 if kind.read in (Read.SINGLETON, Read.LIST_ONLY) else 1
    parents = ids[: kind.depth - own]
    built: list[Callable[[], Ref]] = [lambda: kind.ref(*ids)]  # type: ignore[arg-type]
    if kind.read is not Read.SINGLETON:
        built.append(lambda: kind.collection(*parents))  # type: ignore[arg-type]
    if own:
        built.append(lambda: kind.collection(*["ok"] * len(parents)).item(ids[-1]))  # type: ignore[arg-type]
    return built


@pytest.mark.parametrize("kind", ADDRESSED, ids=lambda kind: kind.name)
@pytest.mark.parametrize("bad", BAD_IDS, ids=repr)
def test_every_way_to_address_a_kind_rejects_unsafe_ids(kind: Kind, bad: object) -> None:
    for position in range(kind.depth):
        ids: list[object] = ["ok"] * kind.depth
        ids[position] = bad
        for build in _builders(kind, ids):
            try:
                ref = build()
            except InvalidIdError as caught:
                assert caught.value == bad
                assert caught.problem and repr(bad) in str(caught)
            else:  # a form that does not take the bad id (a collection, for its own id)
                assert bad not in ref.ids


@pytest.mark.parametrize("kind", ADDRESSED, ids=lambda kind: kind.name)
@pytest.mark.parametrize("good", GOOD_IDS)
def test_normal_ids_pass_unchanged(kind: Kind, good: str) -> None:
    path = kind.ref(*[good] * kind.depth).path
    assert path.count("/") == path.replace(good, "").count("/")  # the ids add no separator
    assert path.split("/").count(good) == kind.depth


def test_problems_say_what_is_wrong() -> None:
    assert id_problem("..") == "'..' is not an id (it names another path)"
    assert id_problem("a/b") == "an id cannot contain '/'"
    assert id_problem("") == "an id cannot be empty"
    assert id_problem(None) == "the id is missing"
    assert id_problem(7) == "an id must be a string"
    assert id_problem("app1") is None


# --- switches: states changed by routes of their own ---------------------------------------


def test_a_route_below_an_object_is_a_write_to_that_object() -> None:
    app = kinds.APPLICATION.ref("a")
    suspend = app.at("suspend")
    assert suspend.path == "applications/a/suspend"
    assert suspend.root == app, "the cache forgets the application itself"
    assert suspend.id == "a" and suspend.collection() == kinds.APPLICATION.collection()
    domain = kinds.APPLICATION_DOMAIN.ref("a", "d").at("set-primary")
    assert (domain.path, domain.root) == ("applications/a/domains/d/set-primary", app)
    with pytest.raises(TypeError):
        kinds.APPLICATION.collection().at("suspend")
    # Counted as the emulator and the reference count it: a general write of the company.
    assert limits.classify("POST", suspend) == (limits.GENERAL_WRITE, "company")


def test_switch_routes_and_what_shows_them() -> None:
    suspension, external = kinds.DATABASE.switches
    assert (suspension.route(True), suspension.route(False)) == ("suspend", "activate")
    assert not suspension.flips and suspension.changes_need is False
    assert suspension.is_on({"is_suspended": True}) and not suspension.is_on({})
    # Present or null: the external connection's hostname.
    assert external.flips and external.is_on({"external_hostname": "x"})
    assert not external.is_on({"external_hostname": None})
    primary = next(s for s in kinds.APPLICATION_DOMAIN.switches if s.field == "is_primary")
    assert (primary.route(True), primary.route(False)) == ("set-primary", None)


def test_every_switch_route_is_declared_once_per_kind() -> None:
    for kind in CATALOGUE:
        fields = [switch.field for switch in kind.switches]
        assert len(fields) == len(set(fields)), kind


def test_answers_are_kept_without_the_fields_a_create_returns_once() -> None:
    api_keys = next(kind for kind in CATALOGUE if kind.create_only)
    one, page = api_keys.ref("k1"), api_keys.collection()
    assert one.without_create_only({"id": "k1", "token": "secret"}) == {"id": "k1"}
    assert page.without_create_only({"data": [{"id": "k1", "token": "secret"}], "total": 1}) == {
        "data": [{"id": "k1"}],
        "total": 1,
    }
    assert page.without_create_only([{"id": "k1", "token": "secret"}]) == [{"id": "k1"}]
    others = next(kind for kind in CATALOGUE if not kind.create_only and kind.parent is None)
    answer = {"id": "x", "token": "kept: not a create-only field here"}
    assert others.ref("x").without_create_only(answer) is answer
