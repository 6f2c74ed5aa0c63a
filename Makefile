# cachelab — the front door. `make help` lists every target.
SHELL := /bin/bash
.DEFAULT_GOAL := help

TOPOLOGY ?= local
WORKLOAD ?= read-heavy
DRIVER ?=
TOPOLOGIES ?=
SYSTEM_DEPS ?= core observe browser
NODE_MODULES_STAMP := node_modules/.package-lock.json
CACHELAB := node --import tsx lab/cli/main.ts
DRIVER_FLAG := $(if $(DRIVER),--driver $(DRIVER),)
# NETWORK=loopback|lan|same-az|cross-az: round trip a fault proxy adds on every hop (demo: same-az).
NETWORK ?=
NETWORK_FLAG := $(if $(NETWORK),--network $(NETWORK),)

.PHONY: help deps system-deps demo test check generate unit integration up down status logs load compare capacity plan bench bench-runner bench-consistency simulate scenario scenarios clean

help: ## List every target with one line each
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}'

$(NODE_MODULES_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

deps: $(NODE_MODULES_STAMP) system-deps ## Install npm packages and the system packages the lab needs

system-deps: ## Install missing Debian packages (postgresql, redis, nginx, prometheus, chromium)
	@scripts/install-system-deps.sh $(SYSTEM_DEPS)

demo: deps ## Quick side-by-side comparison of the catalog natively (NETWORK=same-az by default); prints the report path
	$(CACHELAB) demo $(NETWORK_FLAG)

test: deps ## Lint, type-check, and run every unit and integration suite
	npm run check
	npx vitest run

check: $(NODE_MODULES_STAMP) ## Lint, format, types, the dependency rule, generated files current (no warnings)
	npm run check

generate: $(NODE_MODULES_STAMP) ## Regenerate every generated file (compose, dashboards, JSON schemas) from its source
	npm run --silent generate

unit: $(NODE_MODULES_STAMP) ## Unit tests only
	npx vitest run --project unit

integration: deps ## Integration suites only (real Postgres, Redis, nginx)
	npx vitest run --project integration

up: deps ## Bring a topology up: make up TOPOLOGY=local [DRIVER=native|compose] [NETWORK=same-az]
	$(CACHELAB) up $(TOPOLOGY) $(DRIVER_FLAG) $(NETWORK_FLAG)

down: $(NODE_MODULES_STAMP) ## Tear the running topology down and free its ports
	$(CACHELAB) down $(DRIVER_FLAG)

status: $(NODE_MODULES_STAMP) ## Show what is running
	$(CACHELAB) status

logs: $(NODE_MODULES_STAMP) ## Show the logs of the running topology
	$(CACHELAB) logs

load: deps ## Load the running topology: make load TOPOLOGY=local WORKLOAD=read-heavy
	$(CACHELAB) load --topology $(TOPOLOGY) --workload $(WORKLOAD) $(NETWORK_FLAG)

compare: deps ## Full-length comparison of the catalog (TOPOLOGIES=a,b to choose; DRIVER=native|compose)
	$(CACHELAB) compare --workload $(WORKLOAD) $(if $(TOPOLOGIES),--topologies $(TOPOLOGIES),) $(DRIVER_FLAG) $(NETWORK_FLAG)

capacity: deps ## Highest sustainable req/s per topology under an SLO (SLO=p99=50ms,errors=0.1%; TOPOLOGIES=a,b)
	$(CACHELAB) capacity $(if $(TOPOLOGIES),--topologies $(TOPOLOGIES),) $(if $(SLO),--slo $(SLO),) $(DRIVER_FLAG)

plan: $(NODE_MODULES_STAMP) ## Capacity plan for a target rate from measured costs (RPS=100000; SERVERS=3,8,16)
	$(CACHELAB) plan --rps $(or $(RPS),100000) $(if $(SERVERS),--servers $(SERVERS),) $(if $(TOPOLOGIES),--topologies $(TOPOLOGIES),)

bench: deps ## Latency ladder and throughput ceilings; prints and saves figures
	$(CACHELAB) bench

bench-runner: $(NODE_MODULES_STAMP) ## The Node runner's highest rate beside autocannon's on one bare target; prints and saves figures (WORKERS=1,2)
	node --import tsx loadtests/bench/runner-ceiling.ts $(if $(WORKERS),--workers $(WORKERS),)

bench-consistency: deps ## Consistency goals: stale reads under write-heavy load and after Redis failures (READS=, RATE=, TOPOLOGIES=)
	$(CACHELAB) bench-consistency $(if $(READS),--reads $(READS),) $(if $(RATE),--rate $(RATE),) $(if $(TOPOLOGIES),--topologies $(TOPOLOGIES),) $(DRIVER_FLAG)

simulate: $(NODE_MODULES_STAMP) ## Scale simulation of 1..64 servers (hit ratio, keys moved)
	$(CACHELAB) simulate

scenario: deps ## One scenario: make scenario SCENARIO=app-server-kill [TOPOLOGY=a,b] [DRIVER=native|compose]
	$(CACHELAB) scenario run $(SCENARIO) $(if $(filter command line environment,$(origin TOPOLOGY)),--topology $(TOPOLOGY),) $(DRIVER_FLAG)

scenarios: deps ## The whole scenario catalog against its topologies, one report ("What happens when…")
	$(CACHELAB) scenario run all $(DRIVER_FLAG)

clean: ## Remove run folders and build output
	rm -rf .lab dist
