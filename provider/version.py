"""The provider's version: pyproject.toml's `version`, read from the installed package metadata.

One fact, kept in one place (pyproject.toml); `make` reinstalls when pyproject.toml changes, so
the metadata follows. Read once per process (~1 ms; pyvider has imported `importlib.metadata`
by then), and in the warm server before it forks, so a warm start pays nothing for it.
"""

from __future__ import annotations

from importlib.metadata import version

DISTRIBUTION = "terraform-provider-sevalla"
VERSION = version(DISTRIBUTION)
