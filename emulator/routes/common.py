"""Field definitions shared by several kinds, so each rule is written once."""

from __future__ import annotations

from emulator.validation import Field, string

GIT_TYPES = ("github", "bitbucket", "gitlab")
ENV_KEY_PATTERN = r"[A-Za-z_][A-Za-z0-9_]*"


def display_name(*, required: bool) -> Field:
    return string(required=required, min_len=2, max_len=64)


PROJECT_ID = string(nullable=True)
GIT_TYPE = string(nullable=True, choices=GIT_TYPES)
ENV_KEY = string(required=True, min_len=1, max_len=255, pattern=ENV_KEY_PATTERN)
ENV_VALUE = string(required=True, max_len=32768)
