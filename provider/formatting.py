"""Values in diagnostics as Terraform users write them in HCL.

Terraform numbers reach the provider as `Decimal`, whose repr (`Decimal('-1')`) means nothing to
someone who wrote `-1`; strings are shown quoted, as in HCL.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any


def shown(value: Any) -> str:
    """`-1`, `2.5`, `"text"`, `true`, `null`: the value in HCL notation."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        if not value.is_finite():
            return str(value)
        if abs(value.adjusted()) > 30:  # 1e400 stays 1E+400, not 400 digits (or a million)
            return str(value.normalize())
        if value == value.to_integral_value():
            return str(int(value))
        return format(value.normalize(), "f")
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
