"""Provider logs in Terraform's log format.

Terraform (go-plugin) reads a plugin's stderr: a line that is an hclog JSON object is
logged at its own level (so `TF_LOG=INFO` shows our INFO lines), anything else at DEBUG.
Our loggers live under "sevalla"; the level follows TF_LOG_PROVIDER, else TF_LOG (nothing
below WARN when neither is set, since Terraform would drop it anyway).

Never log a secret: request logs carry the method, path, status and request id, and the
header dump replaces Authorization with "[REDACTED]".
"""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import UTC, datetime
from typing import Any

_LEVELS = {
    "TRACE": logging.DEBUG,
    "JSON": logging.DEBUG,
    "DEBUG": logging.DEBUG,
    "INFO": logging.INFO,
    "WARN": logging.WARNING,
    "ERROR": logging.ERROR,
    "OFF": logging.CRITICAL + 1,
}
_HCLOG_LEVEL = {
    logging.DEBUG: "debug",
    logging.INFO: "info",
    logging.WARNING: "warn",
    logging.ERROR: "error",
    logging.CRITICAL: "error",
}


class HclogJsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "@level": _HCLOG_LEVEL.get(record.levelno, "info"),
            "@message": record.getMessage(),
            "@module": record.name,
            "@timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="microseconds"),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            entry.update({key: value for key, value in fields.items() if not key.startswith("@")})
        return json.dumps(entry, default=str)


def level_from_env(env: dict[str, str] | None = None) -> int:
    env = dict(os.environ) if env is None else env
    name = (env.get("TF_LOG_PROVIDER") or env.get("TF_LOG") or "WARN").strip().upper()
    return _LEVELS.get(name, logging.WARNING)


def configure_logging() -> None:
    """Once per process: our loggers write hclog JSON lines to stderr."""
    root = logging.getLogger("sevalla")
    if getattr(root, "_sevalla_configured", False):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(HclogJsonFormatter())
    root.addHandler(handler)
    root.setLevel(level_from_env())
    root.propagate = False
    root._sevalla_configured = True  # type: ignore[attr-defined]
