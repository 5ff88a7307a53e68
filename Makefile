# The two commands a new machine needs: `make run` and `make test`.
.PHONY: deps build run test bench protos check-generated docs

deps:
	@scripts/install-deps.sh

build: deps
	swift build

## Starts the daemon on its embedded defaults (127.0.0.1:1337, ./goethe-data).
run: build
	swift run goethe

## The whole test suite, then the check that generated code and documents are current.
test: deps
	swift build --build-tests
	swift test
	scripts/generate-protos.sh --check

## The storage benchmark (release build); figures are in docs/benchmarks.md.
bench: deps
	swift run -c release goethe bench

## Regenerates the Swift code of the wire protocol.
protos: deps
	scripts/generate-protos.sh
