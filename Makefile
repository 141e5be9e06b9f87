# Exemplar: the two commands a newcomer needs are `make run` and `make test`.
# Every target installs what it needs first and skips what is already there. The build needs
# cargo, the wasm32 target, wasm-bindgen-cli and npm packages only (scripts/build-site.sh);
# cargo-leptos is needed by nothing but the optional `make watch`.
#
# The cargo target directory lives outside the clone (reused across clones and CI runs on
# the same machine); `make build` copies the binary to target/release/exemplar.

SHELL := /bin/bash
export CARGO_TARGET_DIR ?= $(HOME)/.cache/exemplar/target
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

WASM_BINDGEN_VERSION := 0.2.130
# make watch only (0.3.11 needs a newer rustc than these machines have)
CARGO_LEPTOS_VERSION := 0.3.10
DEMO_TODAY := 2015-04-20

# The one selection of packages and features every test run uses: the PostgreSQL pass then
# reuses the SQLite pass's build (`cargo test -p exemplar` alone resolves features differently
# and compiles app and the server again).
TEST_PACKAGES := --locked -p app --features ssr -p exemplar

.PHONY: run build test bench setup tools npm assets browser smtp unit test-postgres e2e hostile open-data package package-test fuzz deny clean fmt lint watch

## run: build and serve on http://127.0.0.1:3000 with the demo data set (SQLite under data/);
## without EXEMPLAR_SMTP_URL, mail is written as .eml files under data/mail/
run: build
	@test -n "$$EXEMPLAR_SMTP_URL" || echo "make run: no EXEMPLAR_SMTP_URL, so mail is written as .eml files under data/mail/ (open them with a mail program)"
	./target/release/exemplar serve --demo

## build: the release binary at target/release/exemplar and the site under target/site
## (server with cargo, wasm with cargo + wasm-bindgen + wasm-opt: scripts/build-site.sh)
build: setup
	./scripts/build-site.sh

## watch: optional developer loop with cargo-leptos (installs it: about 11 minutes); never
## on the path of `make run` or `make test`
watch: setup
	@cargo leptos --version 2>/dev/null | grep -q "$(CARGO_LEPTOS_VERSION)" || cargo install cargo-leptos --locked --version $(CARGO_LEPTOS_VERSION)
	@# cargo-leptos builds one bundle of every island under its plain name: a manifest left by
	@# `make build` would point pages at that build's bundles instead.
	rm -f target/site/manifest.json
	cargo leptos watch

## test: unit, integration (real SQLite files, then PostgreSQL), end-to-end (headless
## Chromium), schemathesis against the API, the data package with frictionless, the Debian package
## installed, started and purged, and cargo deny. The fuzz targets' kept inputs are
## replayed by a unit test (app/tests/fuzz_regressions.rs); fuzzing itself is `make fuzz`.
test: build unit e2e hostile open-data package-test deny

unit: setup smtp
	cargo fmt --all --check
	cargo test $(TEST_PACKAGES)
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
		EXEMPLAR_TEST_POSTGRES=$$url cargo test $(TEST_PACKAGES) --test it; \
	fi

e2e: build browser
	npx playwright test --config end2end/playwright.config.ts

## hostile: schemathesis against the API for a minute (`make fuzz` is longer)
hostile: build
	SCHEMATHESIS_SECONDS=60 ./scripts/schemathesis.sh

## open-data: the open data's Frictionless Data Package validated with `frictionless`
open-data: build
	./scripts/open-data-check.sh

## package: the Debian package at target/package/exemplar_VERSION_ARCH.deb (cargo deb)
package: build
	./scripts/package.sh

## package-test: the package installed, started as its systemd unit says, and purged (root)
package-test: build
	./scripts/package-test.sh

## fuzz: every fuzz target for FUZZ_SECONDS (default 300) each (cargo-fuzz on nightly, or
## RUSTC_BOOTSTRAP), then schemathesis for 5 minutes
fuzz: build
	FUZZ_SECONDS=$${FUZZ_SECONDS:-300} ./scripts/fuzz.sh
	SCHEMATHESIS_SECONDS=$${SCHEMATHESIS_SECONDS:-300} ./scripts/schemathesis.sh

## deny: licences, duplicate and yanked crates, sources (deny.toml); advisories too when the
## advisory database can be fetched
deny:
	./scripts/deny.sh

## bench: benchmarks (their numbers are the ones quoted in the issues' notes)
bench: build
	./scripts/bench.sh

setup: tools npm assets

tools:
	@./scripts/prune-target.sh
	@rustup target list --installed | grep -q wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@wasm-bindgen --version 2>/dev/null | grep -q "$(WASM_BINDGEN_VERSION)" || cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)

## browser: Debian's chromium for the end-to-end tests (make test only; `make run` needs none)
browser:
	@test -x /usr/bin/chromium || { echo "Installing Debian's chromium (for the end-to-end tests)"; \
		(apt-get update && apt-get install -y chromium) || sudo sh -c 'apt-get update && apt-get install -y chromium'; }

## smtp: Debian's python3-aiosmtpd, the real SMTP server the mail tests start (make test only)
smtp:
	@/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || { echo "Installing Debian's python3-aiosmtpd (an SMTP server for the mail tests)"; \
		(apt-get update && apt-get install -y python3-aiosmtpd) || sudo sh -c 'apt-get update && apt-get install -y python3-aiosmtpd'; }

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
