"""Fault injection: a flaky, slow API on demand, to prove the provider's client retries safely.

`Faults` is the setting (start-up value in the settings, replaced at run time through
`/_emulator/faults`); `FaultInjector` holds the current one and its random stream. Every faultable
request draws the same four numbers up front, in arrival order, so a seed replays the same faults
for the same sequence of requests whatever the latency does to their interleaving.

`Target`s are the deterministic part: "the next N requests matching METHOD + route template (after
skipping K) are answered with status S, dropped, or held", e.g. the PATCH that follows an
application's POST. They are counted by arrival and do not disturb the random stream: every
request still draws its four numbers, so adding a target never shifts the seeded mix.
"""

from __future__ import annotations

import http
import random
from typing import Any

import attrs
from aiohttp import web

from emulator.errors import ApiError, invalid, invalid_field
from emulator.validation import Field, array, boolean, integer, obj, string, validate

AMBIGUOUS_MODES = ("error", "drop")
ERROR_STATUSES = (500, 502, 503)
TARGET_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")

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
    "targeted": "--fault-targeted",  # a JSON list of targets
}

_percent = attrs.validators.and_(
    attrs.validators.instance_of(int), attrs.validators.ge(0), attrs.validators.le(100)
)
_non_negative = attrs.validators.and_(attrs.validators.instance_of(int), attrs.validators.ge(0))


@attrs.frozen
class Target:
    """Matching requests: `method` and `route` (the route template the emulator matched, e.g.
    `/v3/applications/{id}`; see `/_emulator/stats` `by_route`). The first `skip` pass untouched,
    the next `count` get the fault, later ones pass again.

    - `status` (e.g. 503, 422, 429): answer with that error body instead of the real one.
    - `drop`: close the connection unanswered.
    - `commit`: run the real handler first (the change is stored), then fail the answer as above.
    - `hold_ms`: wait this long before answering (after the handler when committing); with no
      status and no drop the real answer follows the hold, so a test can kill a client (or the
      emulator) while the object exists and the answer is still in flight.
    Counted in the stats' `faults.targeted` when the fault is applied (after the commit, before
    the hold), so `targeted >= n` means n matching requests are failed or being held.
    """

    method: str = attrs.field(validator=attrs.validators.in_(TARGET_METHODS))
    route: str = attrs.field(validator=attrs.validators.instance_of(str))
    status: int | None = attrs.field(
        default=None,
        validator=attrs.validators.optional(
            attrs.validators.and_(attrs.validators.ge(400), attrs.validators.le(599))
        ),
    )
    drop: bool = attrs.field(default=False, validator=attrs.validators.instance_of(bool))
    commit: bool = attrs.field(default=False, validator=attrs.validators.instance_of(bool))
    hold_ms: int = attrs.field(default=0, validator=_non_negative)
    skip: int = attrs.field(default=0, validator=_non_negative)
    count: int = attrs.field(
        default=1, validator=attrs.validators.and_(attrs.validators.instance_of(int), attrs.validators.ge(1))
    )

    def __attrs_post_init__(self) -> None:
        if self.status is None and not self.drop and not self.hold_ms:
            raise ValueError("a target needs a status, drop or hold_ms")

    def matches(self, method: str, route: str) -> bool:
        return method == self.method and route == self.route


def _targets(value: Any) -> tuple[Target, ...]:
    return tuple(item if isinstance(item, Target) else Target(**item) for item in value)


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
    targeted: tuple[Target, ...] = attrs.field(default=(), converter=_targets)

    def __attrs_post_init__(self) -> None:
        if self.refusal_percent > 100:
            raise ValueError("error_5xx_percent + rate_limit_percent + drop_percent must be at most 100")

    @property
    def refusal_percent(self) -> int:
        return self.error_5xx_percent + self.rate_limit_percent + self.drop_percent

    def as_json(self) -> dict[str, Any]:
        values = attrs.asdict(self, recurse=False)
        values["targeted"] = [attrs.asdict(target) for target in self.targeted]
        return values

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
        for index, target in enumerate(values["targeted"]):
            if target.get("status") is None and not target.get("drop") and not target.get("hold_ms"):
                raise invalid_field(f"targeted[{index}]", "needs a status, drop or hold_ms")
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
    "targeted": array(
        obj(
            {
                "method": string(required=True, choices=TARGET_METHODS),
                "route": string(required=True, min_len=1),
                "status": integer(nullable=True, min_value=400, max_value=599),
                "drop": boolean(),
                "commit": boolean(),
                "hold_ms": integer(min_value=0),
                "skip": integer(min_value=0),
                "count": integer(min_value=1),
            }
        ),
        default=[],
    ),
}


@attrs.frozen
class Plan:
    """What happens to one request, decided when it arrives."""

    delay_seconds: float
    refusal: str | None  # "error_5xx" | "rate_limit" | "drop" | None
    error_status: int  # of an injected 5xx
    ambiguous: bool  # if it turns out to be a create (201): commit, then fail the answer


class FaultInjector:
    """The current `Faults`, its random stream and how many requests each target has matched;
    replacing the setting restarts both."""

    def __init__(self, faults: Faults) -> None:
        self.replace(faults)

    def replace(self, faults: Faults) -> None:
        self.faults = faults
        self._random = random.Random(faults.seed)
        self._matched = [0] * len(faults.targeted)

    def target(self, method: str, route: str) -> Target | None:
        """The first target whose window this request falls in (every matching target counts it)."""
        chosen = None
        for index, target in enumerate(self.faults.targeted):
            if not target.matches(method, route):
                continue
            seen = self._matched[index]
            self._matched[index] = seen + 1
            if chosen is None and target.skip <= seen < target.skip + target.count:
                chosen = target
        return chosen

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
    try:
        reason = http.HTTPStatus(status).phrase
    except ValueError:
        reason = "Error"
    code = reason.upper().replace(" ", "_").replace("-", "_")
    error = ApiError(status, reason, code, "Injected fault: the emulator pretends to be failing.")
    if status == 429:
        return attrs.evolve(error, headers={"Retry-After": "1"})
    return error


FAULTS = web.AppKey("faults", FaultInjector)
