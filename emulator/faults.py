"""Fault injection: a flaky, slow API on demand, to prove the provider's client retries safely.

`Faults` is the setting (start-up value in the settings, replaced at run time through
`/_emulator/faults`); `FaultInjector` holds the current one and its random stream. Every faultable
request draws the same four numbers up front, in arrival order, so a seed replays the same faults
for the same sequence of requests whatever the latency does to their interleaving.
"""

from __future__ import annotations

import random
from typing import Any

import attrs
from aiohttp import web

from emulator.errors import ApiError, invalid, invalid_field
from emulator.validation import Field, integer, string, validate

AMBIGUOUS_MODES = ("error", "drop")
ERROR_STATUSES = (500, 502, 503)

# Flag of each field, shared by `python -m emulator` and `EmulatorProcess`.
CLI_FLAGS: dict[str, str] = {
    "error_5xx_percent": "--fault-5xx-percent",
    "rate_limit_percent": "--fault-429-percent",
    "rate_limit_reset_seconds": "--fault-429-reset-seconds",
    "drop_percent": "--fault-drop-percent",
    "latency_ms": "--latency-ms",
    "latency_jitter_ms": "--latency-jitter-ms",
    "ambiguous_create_percent": "--fault-ambiguous-create-percent",
    "ambiguous_mode": "--fault-ambiguous-mode",
    "seed": "--fault-seed",
}

_percent = attrs.validators.and_(
    attrs.validators.instance_of(int), attrs.validators.ge(0), attrs.validators.le(100)
)
_non_negative = attrs.validators.and_(attrs.validators.instance_of(int), attrs.validators.ge(0))


@attrs.frozen
class Faults:
    """All zero by default: no faults. The three refusals (5xx, 429, drop) share one roll, so
    their percentages are exact and may add up to at most 100."""

    error_5xx_percent: int = attrs.field(default=0, validator=_percent)
    rate_limit_percent: int = attrs.field(default=0, validator=_percent)
    # Retry-After and x-ratelimit-reset of an injected 429; 0 lets a test retry at once.
    rate_limit_reset_seconds: int = attrs.field(default=1, validator=_non_negative)
    drop_percent: int = attrs.field(default=0, validator=_percent)
    latency_ms: int = attrs.field(default=0, validator=_non_negative)
    latency_jitter_ms: int = attrs.field(default=0, validator=_non_negative)
    # Of the POSTs answered 201: the object is committed, then the client gets a 500 or nothing.
    ambiguous_create_percent: int = attrs.field(default=0, validator=_percent)
    ambiguous_mode: str = attrs.field(default="error", validator=attrs.validators.in_(AMBIGUOUS_MODES))
    seed: int | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.instance_of(int))
    )

    def __attrs_post_init__(self) -> None:
        if self.refusal_percent > 100:
            raise ValueError("error_5xx_percent + rate_limit_percent + drop_percent must be at most 100")

    @property
    def refusal_percent(self) -> int:
        return self.error_5xx_percent + self.rate_limit_percent + self.drop_percent

    def as_json(self) -> dict[str, Any]:
        return attrs.asdict(self)

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> Faults:
        """The whole setting from a PUT body (absent fields take their defaults), or a 422."""
        unknown = [key for key in body if key not in _FIELDS]
        if unknown:
            raise invalid({key: ["is not a known fault setting"] for key in unknown})
        values = validate(body, _FIELDS, partial=False)
        if sum(values[name] for name in _REFUSALS) > 100:
            raise invalid_field(
                "error_5xx_percent", "plus rate_limit_percent and drop_percent must be at most 100"
            )
        return cls(**values)


def _percent_field() -> Field:
    return integer(default=0, min_value=0, max_value=100)


_REFUSALS = ("error_5xx_percent", "rate_limit_percent", "drop_percent")
_FIELDS: dict[str, Field] = {
    "error_5xx_percent": _percent_field(),
    "rate_limit_percent": _percent_field(),
    "rate_limit_reset_seconds": integer(default=1, min_value=0),
    "drop_percent": _percent_field(),
    "latency_ms": integer(default=0, min_value=0),
    "latency_jitter_ms": integer(default=0, min_value=0),
    "ambiguous_create_percent": _percent_field(),
    "ambiguous_mode": string(default="error", choices=AMBIGUOUS_MODES),
    "seed": integer(nullable=True),
}


@attrs.frozen
class Plan:
    """What happens to one request, decided when it arrives."""

    delay_seconds: float
    refusal: str | None  # "error_5xx" | "rate_limit" | "drop" | None
    error_status: int  # of an injected 5xx
    ambiguous: bool  # if it turns out to be a create (201): commit, then fail the answer


class FaultInjector:
    """The current `Faults` and its random stream; replacing the setting restarts the stream."""

    def __init__(self, faults: Faults) -> None:
        self.faults = faults
        self._random = random.Random(faults.seed)

    def replace(self, faults: Faults) -> None:
        self.faults = faults
        self._random = random.Random(faults.seed)

    def plan(self) -> Plan:
        faults, draw = self.faults, self._random.random
        jitter, roll, status, ambiguous = draw(), draw() * 100, draw(), draw() * 100
        refusal = None
        if roll < faults.error_5xx_percent:
            refusal = "error_5xx"
        elif roll < faults.error_5xx_percent + faults.rate_limit_percent:
            refusal = "rate_limit"
        elif roll < faults.refusal_percent:
            refusal = "drop"
        return Plan(
            delay_seconds=(faults.latency_ms + jitter * faults.latency_jitter_ms) / 1000,
            refusal=refusal,
            error_status=ERROR_STATUSES[int(status * len(ERROR_STATUSES))],
            ambiguous=ambiguous < faults.ambiguous_create_percent,
        )


class DropConnection(Exception):  # noqa: N818 - an instruction, not an error
    """Raised inside the middlewares; `observe` closes the connection without writing a response."""


def injected_error(status: int) -> ApiError:
    reason = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}[status]
    code = reason.upper().replace(" ", "_")
    return ApiError(status, reason, code, "Injected fault: the emulator pretends to be failing.")


FAULTS = web.AppKey("faults", FaultInjector)
