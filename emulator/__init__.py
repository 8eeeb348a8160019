"""Local emulator of the Sevalla REST API v3, for tests, demos and benchmarks of the provider.

It serves the subset of the API the provider calls (see /work/shared/reference/sevalla-api-v3.md),
with the real error shapes, pagination, rate-limit tiers and timed status transitions.
"""

from emulator.settings import DEFAULT_API_KEY, EmulatorSettings

__all__ = ["DEFAULT_API_KEY", "EmulatorSettings"]
