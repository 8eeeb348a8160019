"""The `terraform-provider-sevalla` console script: the provider, or `install` for people.

Terraform runs it (with its magic cookie) only through the wrapper's `SEVALLA_PROVIDER_WARM=0`
path: then, and whenever the first argument is not `install`, it is pyvider's CLI unchanged.
`terraform-provider-sevalla install [--mirror DIR [--cli-config FILE]]` (a pip or pipx
install, or a clone's venv) writes the wrapper where Terraform finds it (`devtools.install`;
`~/.terraform.d/plugins` unless `--mirror` is given).
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    if sys.argv[1:2] == ["install"] and not os.environ.get("TF_PLUGIN_MAGIC_COOKIE"):
        from devtools import install

        rest = sys.argv[2:]
        raise SystemExit(install.main(rest if "--mirror" in rest or "--user" in rest else ["--user", *rest]))
    from pyvider.cli.__main__ import main as pyvider_main

    pyvider_main()


if __name__ == "__main__":
    main()
