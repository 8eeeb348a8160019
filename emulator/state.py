"""Typed keys of the per-app state shared by middlewares and handlers."""

from __future__ import annotations

from aiohttp import web

from emulator.clock import Clock
from emulator.ratelimit import RateLimiter
from emulator.settings import EmulatorSettings, Timing
from emulator.stats import Stats
from emulator.store import Store

SETTINGS = web.AppKey("settings", EmulatorSettings)
STORE = web.AppKey("store", Store)
STATS = web.AppKey("stats", Stats)
LIMITER = web.AppKey("limiter", RateLimiter)
CLOCK = web.AppKey[Clock]("clock")
TIMING = web.AppKey("timing", Timing)
KIND_NAMES = web.AppKey[tuple[str, ...]]("kind_names")
