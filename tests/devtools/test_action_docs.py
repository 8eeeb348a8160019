"""docs/actions/ (devtools.action_docs): one page per action, with its example and what it needs."""

from __future__ import annotations

from pathlib import Path

from devtools import docs
from resources.actions import ACTIONS

ROOT = Path(__file__).resolve().parents[2]


def test_every_action_has_an_example_and_a_page(tmp_path: Path) -> None:
    names = {action._registered_name for action in ACTIONS}  # type: ignore[attr-defined]
    examples = {path.name for path in (ROOT / "examples" / "actions").iterdir() if path.is_dir()}
    assert examples == names
    assert docs.main(["--out", str(tmp_path)]) == 0
    pages = {path.stem for path in (tmp_path / "actions").glob("*.md")}
    assert pages == {name.removeprefix("sevalla_") for name in names}


def test_a_page_says_what_it_needs_how_to_run_it_and_its_schema(tmp_path: Path) -> None:
    docs.main(["--out", str(tmp_path)])
    page = (tmp_path / "actions" / "application_deploy.md").read_text()
    assert page.startswith('---\npage_title: "sevalla_application_deploy Action - sevalla"')
    assert "**Terraform 1.14 or later**" in page
    assert "`terraform apply -invoke=action.sevalla_application_deploy.<label>`" in page
    assert 'action "sevalla_application_deploy" "example"' in page  # the example
    assert "- `application_id` (String) Application to deploy." in page
    assert "(default 30m)" in page
    restart = (tmp_path / "actions" / "database_restart.md").read_text()
    assert "- `database_id` (String) Database to restart." in restart and "(default 10m)" in restart
