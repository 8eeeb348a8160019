"""docs/ is generated (devtools.docs): it must match the schemas, examples and README."""

from __future__ import annotations

from pathlib import Path

from devtools import docs


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


def test_pages_carry_schema_flags_nested_attributes_example_and_import(tmp_path: Path) -> None:
    docs.main(["--out", str(tmp_path)])
    index = (tmp_path / "index.md").read_text()
    assert "- `api_key` (String, Sensitive)" in index
    process = (tmp_path / "resources" / "application_process.md").read_text()
    assert "- `type` (String, Forces replacement)" in process
    assert "(see [below for nested schema](#nestedatt--scaling_strategy))" in process
    assert '<a id="nestedatt--scaling_strategy"></a>' in process
    assert '<a id="nestedatt--liveness_probe--http_get"></a>' in process
    assert 'resource "sevalla_application_process" "worker"' in process
    assert "terraform import sevalla_application_process.worker <application_id>/<process_id>" in process
    deployment = (tmp_path / "resources" / "application_deployment.md").read_text()
    assert "## Import" not in deployment
    clusters = (tmp_path / "data-sources" / "clusters.md").read_text()
    assert clusters.startswith('---\npage_title: "sevalla_clusters Data Source - sevalla"')
