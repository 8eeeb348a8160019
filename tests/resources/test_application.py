from __future__ import annotations

from resources.application import Application, ApplicationState

API_BODY = {
    "id": "a1", "name": "web-x1", "display_name": "web", "source": "publicGit", "type": "app",
    "status": "inactive", "build_type": "pack", "dockerfile_path": "Dockerfile", "docker_context": ".",
    "pack_builder": "heroku/builder:22", "nixpacks_version": "1.21.0", "buildpacks": [{"order": 1, "source": "heroku/nodejs", "extra": 1}],
    "allow_deploy_paths": None, "cluster_id": "should-not-be-trusted",
}  # fmt: skip


def test_fields_of_other_build_types_are_null() -> None:
    state = ApplicationState.from_api(API_BODY, cluster_id="c1")
    assert state.pack_builder == "heroku/builder:22"
    assert (state.dockerfile_path, state.docker_context, state.nixpacks_version) == (None, None, None)
    assert state.buildpacks == [{"order": 1, "source": "heroku/nodejs"}]
    assert state.allow_deploy_paths == [] and state.ignore_deploy_paths == []


def test_cluster_id_comes_from_state_not_the_api() -> None:
    assert ApplicationState.from_api(API_BODY, cluster_id="c1").cluster_id == "c1"
    assert ApplicationState.from_api(API_BODY).cluster_id is None


def test_check_reports_each_problem() -> None:
    config = ApplicationState(
        display_name="x", cluster_id="c", source="svn", build_type="pack", dockerfile_path="Dockerfile"
    )
    problems = dict(Application().check(config))
    assert set(problems) == {"source", "dockerfile_path", "display_name"}


def test_valid_configuration_has_no_problems() -> None:
    config = ApplicationState(
        display_name="web", cluster_id="c", source="publicGit", build_type="nixpacks", nixpacks_version="1.2"
    )
    assert Application().check(config) == []
