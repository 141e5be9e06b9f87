# Exemplar: the two commands a newcomer needs are `make run` and `make test`.
# Every target installs what it needs first and skips what is already there.
#
# The cargo target directory lives outside the clone (reused across clones and CI runs on
# the same machine); `make build` copies the binary to target/release/exemplar.

SHELL := /bin/bash
export CARGO_TARGET_DIR ?= $(HOME)/.cache/exemplar/target
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

CARGO_LEPTOS_VERSION := 0.3.10
WASM_BINDGEN_VERSION := 0.2.130
DEMO_TODAY := 2015-04-20

CARGO_DENY_VERSION := 0.20.2

.PHONY: run build test bench setup tools npm assets unit test-postgres e2e hostile fuzz deny clean fmt lint

## run: build and serve on http://127.0.0.1:3000 with the demo data set (SQLite under data/)
run: build
	./target/release/exemplar serve --demo

## build: the release binary at target/release/exemplar and the site under target/site
build: setup
	cargo leptos build --release
	mkdir -p target/release
	cp "$(CARGO_TARGET_DIR)/release/exemplar" target/release/exemplar.new
	mv -f target/release/exemplar.new target/release/exemplar

## test: unit, integration (real SQLite files, then PostgreSQL), end-to-end (headless
## Chromium), a short fuzz of every parser, schemathesis against the API, and cargo deny
test: build unit e2e hostile deny

unit: setup
	cargo fmt --all --check
	cargo test --locked -p app --features ssr -p exemplar
	$(MAKE) --no-print-directory test-postgres

## test-postgres: the integration suite again on a throwaway PostgreSQL cluster
test-postgres:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		echo "test-postgres: SKIPPED: PostgreSQL is not installed (apt-get install postgresql); the suite ran on SQLite only"; \
	else \
		dir=$$(mktemp -d /tmp/exemplar-pg.XXXXXX); \
		trap './scripts/pg-test.sh stop '"$$dir" EXIT; \
		url=$$(./scripts/pg-test.sh start "$$dir") && \
		echo "test-postgres: integration tests on $$url" && \
		EXEMPLAR_TEST_POSTGRES=$$url cargo test --locked -p exemplar --test it; \
	fi

e2e: build
	npx playwright test --config end2end/playwright.config.ts

## hostile: every fuzz target briefly and schemathesis for a minute (`make fuzz` is longer)
hostile: build
	FUZZ_SECONDS=10 ./scripts/fuzz.sh
	SCHEMATHESIS_SECONDS=60 ./scripts/schemathesis.sh

## fuzz: every fuzz target for FUZZ_SECONDS (default 300) each, then schemathesis for 5 minutes
fuzz: build
	FUZZ_SECONDS=$${FUZZ_SECONDS:-300} ./scripts/fuzz.sh
	SCHEMATHESIS_SECONDS=$${SCHEMATHESIS_SECONDS:-300} ./scripts/schemathesis.sh

## deny: licences, duplicate and yanked crates, sources (deny.toml); advisories too when the
## advisory database can be fetched
deny:
	@cargo deny --version 2>/dev/null | grep -q "$(CARGO_DENY_VERSION)" || cargo install cargo-deny --locked --version $(CARGO_DENY_VERSION)
	cargo deny --locked check licenses bans sources
	@if timeout 60 cargo deny fetch db >/dev/null 2>&1; then cargo deny --locked check advisories; \
	else echo "deny: advisories NOT checked: the advisory database could not be fetched here"; fi

## bench: benchmarks (their numbers are the ones quoted in the issues' notes)
bench: build
	./scripts/bench.sh

setup: tools npm assets

tools:
	@rustup target list --installed | grep -q wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@cargo leptos --version 2>/dev/null | grep -q "$(CARGO_LEPTOS_VERSION)" || cargo install cargo-leptos --locked --version $(CARGO_LEPTOS_VERSION)
	@wasm-bindgen --version 2>/dev/null | grep -q "$(WASM_BINDGEN_VERSION)" || cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)
	@test -x /usr/bin/chromium || { echo "Installing Debian's chromium (for the end-to-end tests)"; \
		(apt-get update && apt-get install -y chromium) || sudo sh -c 'apt-get update && apt-get install -y chromium'; }

npm: node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

assets: npm
	./scripts/vendor-nhsuk.sh

fmt:
	cargo fmt --all

lint:
	cargo fmt --all --check
	cargo clippy --locked -p app --features ssr -p exemplar --tests -- -D warnings

clean:
	rm -rf target data
