# The two Quick start commands, and a few helpers. See README.md.
MVN ?= mvn -B

.PHONY: demo test build clean

## Start the testkit Vault with a sample secret and run `doctor` against it.
demo: build
	demo/run-local.sh

## Run the whole test suite (unit and end-to-end, over real sockets, with a real nginx).
test:
	scripts/ensure-test-tools.sh
	$(MVN) verify

build:
	$(MVN) -q -DskipTests package

clean:
	$(MVN) -q clean
