# The two Quick start commands, and a few helpers. See README.md.
MVN ?= mvn -B

.PHONY: demo test build clean dist

## The seed's demo: Vault + nginx + MLflow, then the client in both auth modes (Docker if an engine
## answers, else the local variant with the testkit servers and Debian's nginx).
demo:
	$(MAKE) --no-print-directory -C demo demo

## Run the whole test suite (unit and end-to-end, over real sockets, with a real nginx).
test:
	scripts/install-prerequisites.sh
	$(MVN) verify

## Run every benchmark (JMH, cold start, proxy vs nginx, streaming, start-up, fleet model) and write
## docs/PERFORMANCE.md; about 25 min. BENCH_QUICK=1 make bench is a short sanity run.
## The reliability suite in its full form (rotation under load with 20,000 calls, outage, upstream faults,
## hostile input, leak checks); prints and records its counts in reliability/target/reliability/.
.PHONY: reliability
reliability:
	$(MVN) -q -DskipTests install -pl reliability -am
	$(MVN) -pl reliability verify -Dreliability.scale=full

.PHONY: bench
bench:
	MVN="$(MVN)" bench/scripts/run-all.sh

build:
	$(MVN) -q -DskipTests package

## The release: dist/mlflow-secrets-auth-<version>.tar.gz and a Debian package (docs/INSTALL.md). Online, the
## licence list comes from CycloneDX; offline (MVN="mvn -B -o") it is a plain list of the bundled libraries.
dist:
	$(MVN) -q -DskipTests -pl release -am package
	rm -rf dist && mkdir -p dist
	cp release/target/dist/*.tar.gz dist/
	if ls release/target/dist/*.deb >/dev/null 2>&1; then cp release/target/dist/*.deb dist/; fi
	@ls -l dist

## Rewrite the tables of docs/CONFIGURATION.md (and docs/identity/*.md) from the code's registry of settings (ConfigReferenceTest checks them).
.PHONY: config-docs
config-docs:
	$(MVN) -q -DskipTests -pl cli -am package && java -cp "$$(ls cli/target/mlflow-secrets-auth-cli-*-all.jar | head -n 1)" io.github.mlflowsecretsauth.cli.ConfigReference docs/CONFIGURATION.md docs/identity/*.md

clean:
	$(MVN) -q clean
