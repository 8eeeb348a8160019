"""A create's identity (Kind.match_of): the fields that tell a new object from its siblings."""

from __future__ import annotations

from provider.client.kinds import STATIC_SITE_ENV_VAR


def test_static_site_env_var_identity_includes_environment_and_branch() -> None:
    """Keyed per environment/branch: the API's defaults stand in for what the body leaves out,
    so a production-only create does not match the key's preview variable."""
    assert STATIC_SITE_ENV_VAR.match_of({"key": "K", "value": "v", "is_preview": False}) == {
        "key": "K", "is_production": True, "is_preview": False, "branch": None,
    }  # fmt: skip
    assert STATIC_SITE_ENV_VAR.match_of({"key": "K", "branch": "next", "is_production": False}) == {
        "key": "K", "is_production": False, "is_preview": True, "branch": "next",
    }  # fmt: skip
