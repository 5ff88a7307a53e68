# The two commands a new machine needs: `make run` and `make test`.
.PHONY: deps build run test test-cluster interop bench bench-memory bench-wire bench-cluster protos docs format lint

deps:
	@scripts/install-deps.sh
	@scripts/install-interop-deps.sh

build: deps
	swift build

## Starts the daemon on its embedded defaults (127.0.0.1:1337, ./goethe-data).
run: build
	swift run goethe

## The whole test suite: Swift tests (the suites that run several daemons and etcd apart, after
## the rest, so that their load does not crowd the others' deadlines on a small machine), the
## goethectl and session tests against the real binaries,
## the Kubernetes manifests (offline), the Kubernetes API fake against the official Python client,
## the grpc-go and Python grpcio clients against the release daemon, then the checks that generated
## code, completions and man pages are current.
test: deps
	swift build --build-tests
	swift test --skip-build --skip '$(cluster_suites)'
	swift test --skip-build --filter '$(cluster_suites)'
	GOETHE_BIN_DIR="$$(swift build --show-bin-path)" python3 -m unittest discover -s Tests/cli -t Tests/cli
	python3 -m unittest discover -s Tests/deploy -t Tests/deploy
	python3 -m unittest discover -s Tests/kubernetes -t Tests/kubernetes
	swift build -c release --product goethe
	GOETHE_BIN_DIR="$$(swift build -c release --show-bin-path)" python3 -m unittest discover -s Tests/interop -t Tests/interop
	scripts/generate-protos.sh --check
	scripts/generate-docs.sh --check
	scripts/check-layers.sh
	@swift format lint --strict --parallel $(formatted)

## Longer cluster runs than make test's: the coordinator suites against etcd and the Kubernetes
## API fake and the three-node tests, ten rounds in a row, then the Jepsen-style replication run
## with twenty seeds (GOETHE_JEPSEN_SEED=N replays one).
test-cluster: deps
	swift build --build-tests
	for round in 1 2 3 4 5 6 7 8 9 10; do \
	  swift test --skip-build --filter '$(coordination_suites)' || exit 1; \
	done
	for seed in $$(seq 1 20); do \
	  GOETHE_JEPSEN_SEED=$$seed swift test --skip-build --filter ReplicationTests || { echo "failed: GOETHE_JEPSEN_SEED=$$seed" >&2; exit 1; }; \
	done

## Only the interop tests: grpc-go and Python grpcio clients against the daemon as it ships
## (release build), whose 10,000-call runs have a time limit.
interop: deps
	swift build -c release --product goethe
	GOETHE_BIN_DIR="$$(swift build -c release --show-bin-path)" python3 -m unittest discover -s Tests/interop -t Tests/interop

## The storage benchmark (release build); figures are in docs/benchmarks.md.
bench: deps
	swift run -c release goethe bench

## The daemon's memory while subscribers have stopped reading (release build).
bench-memory: deps
	swift build -c release --product goethe
	swift build -c release --product goethectl
	scripts/subscriber-memory-benchmark.py --bin-dir "$$(swift build -c release --show-bin-path)"

## A three-node cluster beside one node, and failover time (release build); figures are in
## docs/cluster.md.
bench-cluster: deps
	swift build -c release --product goethe
	swift build -c release --product goethectl
	scripts/cluster-benchmark.py --bin-dir "$$(swift build -c release --show-bin-path)"

## Goethe over the wire beside Redis Streams and NATS JetStream, in one run (release build);
## figures are in docs/performance.md.
bench-wire: deps
	scripts/wire-benchmark.sh

## Regenerates the Swift code of the wire protocol.
protos: deps
	scripts/generate-protos.sh

## Regenerates the shell completions and man pages from the command definitions.
docs: deps
	scripts/generate-docs.sh

# The Swift suites that start etcd, the Kubernetes API fake or several daemons.
coordination_suites = EndToEndTests\.ClusterTests|goetheTests\.(CoordinatorContractTests|EtcdCoordinatorTests|KubernetesCoordinatorTests)
cluster_suites = $(coordination_suites)|EndToEndTests\.(ReplicationTests|ClientFailoverTests|ClusterRetentionTests)

# The Swift sources swift-format keeps (the generated protocol code is left as generated).
formatted = $(shell find Sources Tests -name '*.swift' -not -path '*/Generated/*')

## Formats the sources with the committed .swift-format configuration.
format:
	@swift format --in-place --parallel $(formatted)

## Fails if a source file is not formatted as `make format` would format it.
lint:
	@swift format lint --strict --parallel $(formatted)
