"""docs/ is generated (devtools.docs): it must match the schemas, examples and devtools/templates/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from devtools import docs


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docs")
    assert docs.main(["--out", str(out)]) == 0
    return out


def test_docs_are_up_to_date() -> None:
    assert docs.main(["--check"]) == 0, "docs/ is stale: run `make docs`"


def test_a_stale_or_stray_page_is_reported(tmp_path: Path) -> None:
    assert docs.main(["--out", str(tmp_path)]) == 0
    assert docs.main(["--check", "--out", str(tmp_path)]) == 0
    page = tmp_path / "resources" / "application.md"
    page.write_text(page.read_text() + "edited by hand\n")
    assert docs.main(["--check", "--out", str(tmp_path)]) == 1
    page.unlink()
    assert docs.main(["--out", str(tmp_path)]) == 0
    (tmp_path / "resources" / "gone.md").write_text("old")
    assert docs.main(["--check", "--out", str(tmp_path)]) == 1
    assert docs.main(["--out", str(tmp_path)]) == 0
    assert not (tmp_path / "resources" / "gone.md").exists()


def test_pages_carry_schema_flags_nested_attributes_example_and_import(generated: Path) -> None:
    index = (generated / "index.md").read_text()
    assert "- `api_key` (String, Sensitive)" in index
    process = (generated / "resources" / "application_process.md").read_text()
    assert "- `type` (String, Forces replacement)" in process
    assert "(see [below for nested schema](#nestedatt--scaling_strategy))" in process
    assert '<a id="nestedatt--scaling_strategy"></a>' in process
    assert '<a id="nestedatt--liveness_probe--http_get"></a>' in process
    assert 'resource "sevalla_application_process" "worker"' in process
    assert "terraform import sevalla_application_process.worker <application_id>/<process_id>" in process
    deployment = (generated / "resources" / "application_deployment.md").read_text()
    assert "## Import" not in deployment
    clusters = (generated / "data-sources" / "clusters.md").read_text()
    assert clusters.startswith('---\npage_title: "sevalla_clusters Data Source - sevalla"')


def all_pages(generated: Path) -> dict[str, str]:
    return {str(path.relative_to(generated)): path.read_text() for path in generated.rglob("*.md")}


def test_types_and_defaults_read_as_terraform_writes_them(generated: Path) -> None:
    """(Boolean), not (Bool); defaults in HCL (`true`, `10`, `"5m"`), not Python (True, 10.0)."""
    for name, text in all_pages(generated).items():
        assert "(Bool" not in text.replace("(Boolean", ""), name
        assert not re.search(r"Default (True|False|None|\d+\.\d+)\b", text), name
    index = (generated / "index.md").read_text()
    assert "Environment variable `SEVALLA_CACHE_ENABLED`. Defaults to `true`." in index
    assert "Environment variable `SEVALLA_RATE_LIMIT_PER_SECOND`. Defaults to `10`." in index
    assert 'Defaults to `"100ms"`.' in index
    site = (generated / "resources" / "static_site.md").read_text()
    assert 'Defaults to `"publicGit"`.' in site


def test_every_key_of_a_list_of_objects_is_listed(generated: Path) -> None:
    application = (generated / "resources" / "application.md").read_text()
    assert "- `buildpacks` (List of Object) " in application
    nested = application.split('<a id="nestedatt--buildpacks"></a>', 1)[1]
    assert "- `order` (Number)" in nested and "- `source` (String)" in nested
    clusters = (generated / "data-sources" / "clusters.md").read_text()
    assert "Read-Only:\n\n- `display_name` (String)\n- `id` (String)" in clusters


def test_each_page_speaks_only_of_its_own_type(generated: Path) -> None:
    """The prose is the type's own template: no note of another type sharing a README row."""
    api_key = (generated / "data-sources" / "api_key.md").read_text()
    assert "password" not in api_key and "token" in api_key
    for name in ("project", "webhook"):
        page = (generated / "data-sources" / f"{name}.md").read_text()
        assert "registry" not in page.split("## Example Usage")[0], name
    domain = (generated / "resources" / "application_domain.md").read_text()
    front = domain.split("---")[1]
    assert "description: |-\n  Manages a custom domain of a Sevalla application.\n" in front


def test_every_type_needs_its_prose(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    templates = tmp_path / "templates"
    (templates / "guides").mkdir(parents=True)
    (templates / "index.md").write_text("{{ example }}\n{{ schema }}\n")
    monkeypatch.setattr(docs, "TEMPLATES", templates)
    with pytest.raises(SystemExit, match="write its prose in"):
        docs.main(["--out", str(tmp_path / "out")])


def test_timeouts_have_their_section(generated: Path) -> None:
    database = (generated / "resources" / "database.md").read_text()
    section = database.split("## Timeouts", 1)[1].split("## Import", 1)[0]
    assert "Defaults: create 10m, update 10m, delete 10m." in section
    assert '    create = "1h"\n    update = "1h"\n    delete = "1h"' in section
    assert "## Timeouts" not in (generated / "resources" / "project.md").read_text()


def test_index_covers_install_auth_settings_migration_and_debugging(generated: Path) -> None:
    index = (generated / "index.md").read_text()
    for heading in ("## Installation", "## Authentication", "## Settings", "## Migrating from the official provider",
                    "## Debugging", "## Schema"):  # fmt: skip
        assert f"\n{heading}\n" in index, heading
    assert "<!-- BEGIN installation" in index and "<!-- END installation -->" in index
    assert "terraform state replace-provider" in index
    assert 'version = "~> 0.1"' in index
    assert "{{" not in index


def test_guides_are_published_and_linked(generated: Path) -> None:
    guides = sorted(path.name for path in (generated / "guides").glob("*.md"))
    assert guides == ["emulator.md", "internals.md", "onboarding.md", "security.md", "tuning.md"]
    index = (generated / "index.md").read_text()
    for guide in guides:
        assert f"(guides/{guide}" in index, guide
        assert (generated / "guides" / guide).read_text().startswith("---\npage_title: ")
