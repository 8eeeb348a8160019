from __future__ import annotations

from resources.static_site import StaticSite, StaticSiteState
from resources.static_site_domain import StaticSiteDomain, StaticSiteDomainState
from resources.static_site_environment_variable import StaticSiteEnvironmentVariable, StaticSiteEnvVarState

SITE = {
    "id": "s1", "display_name": "docs", "repo_url": "https://github.com/e/docs", "default_branch": "main",
    "source": "publicGit", "auto_deploy": True, "is_preview_enabled": False, "index_file": "index.html",
    "name": "docs-x1", "status": "inactive", "hostname": "docs-x1.sevalla.page", "company_id": "c1",
    "allow_deploy_paths": [], "created_at": "t0", "updated_at": "t1",
}  # fmt: skip


def test_static_site_state_takes_the_schema_fields_only() -> None:
    state = StaticSiteState.from_api(SITE)
    assert state.hostname == "docs-x1.sevalla.page" and state.index_file == "index.html"
    assert state.build_command is None and not hasattr(state, "allow_deploy_paths")


def test_static_site_check() -> None:
    config = StaticSiteState(display_name="d", repo_url="", default_branch="main", source="svn", git_type="x")
    assert set(dict(StaticSite().check(config))) == {"display_name", "repo_url", "source", "git_type"}
    ok = StaticSiteState(display_name="docs", repo_url="https://x", default_branch="main", git_type="gitlab")
    assert StaticSite().check(ok) == []


def test_environment_variable_state_and_check() -> None:
    body = {"id": "e1", "key": "K", "value": "v", "is_production": True, "is_preview": False, "branch": None}
    state = StaticSiteEnvironmentVariable().from_api(
        StaticSiteEnvVarState(static_site_id="s1", key="K", value="v"), body
    )
    assert (state.static_site_id, state.is_preview, state.branch) == ("s1", False, None)
    config = StaticSiteEnvVarState(static_site_id="s1", key="K", value="x" * 32769, branch="")
    assert set(dict(StaticSiteEnvironmentVariable().check(config))) == {"value", "branch"}


def test_domain_keeps_the_certificate_the_api_never_returns() -> None:
    body = {"id": "d1", "name": "www.example.com", "is_wildcard": False, "type": "CUSTOM", "status": "ACTIVE"}
    kept = StaticSiteDomainState(
        static_site_id="s1", name="www.example.com", custom_ssl_cert="CERT", custom_ssl_key="KEY"
    )
    state = StaticSiteDomain().from_api("s1", body, kept)
    assert (state.static_site_id, state.custom_ssl_cert, state.custom_ssl_key) == ("s1", "CERT", "KEY")
    assert StaticSiteDomain().from_api("s1", body, None).custom_ssl_cert is None


def test_domain_check() -> None:
    config = StaticSiteDomainState(static_site_id="s1", name="WWW.example.com", custom_ssl_cert="CERT")
    assert set(dict(StaticSiteDomain().check(config))) == {"name", "custom_ssl_key"}
