#!/usr/bin/env bash
# Regenerates the Swift code of the wire protocol from Sources/GoetheKit/Protocol/*.proto, and the
# daemon's etcd client from the trimmed etcd protos in Sources/goethe/Cluster/Etcd/Protocol/*.proto,
# and the replication protocol in Sources/goethe/Cluster/Replication/Protocol/*.proto.
#   scripts/generate-protos.sh            writes each Protocol/Generated folder
#   scripts/generate-protos.sh --check    fails if the committed code differs from a fresh generation
set -euo pipefail
cd "$(dirname "$0")/.."

command -v protoc >/dev/null || { echo "protoc is missing: apt-get install -y protobuf-compiler" >&2; exit 1; }

# The generators come from the package's own dependencies, so their versions follow Package.swift.
swift build --product protoc-gen-swift >&2
swift build --product protoc-gen-grpc-swift-2 >&2
bin=$(swift build --show-bin-path)

scratch=""
if [[ "${1:-}" == "--check" ]]; then
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' EXIT
fi

# generate PROTO_DIR VISIBILITY: generates every PROTO_DIR/*.proto into PROTO_DIR/Generated (or,
# with --check, compares that with a fresh generation in a scratch directory).
stale=0
generate() {
  local protos=$1 visibility=$2
  local committed=$protos/Generated out=$protos/Generated
  if [[ -n "$scratch" ]]; then out=$scratch/$(echo "$protos" | tr / _); fi
  mkdir -p "$out"
  rm -f "$out"/*.swift
  protoc --proto_path="$protos" \
    --plugin=protoc-gen-swift="$bin/protoc-gen-swift" \
    --plugin=protoc-gen-grpc-swift="$bin/protoc-gen-grpc-swift-2" \
    --swift_out="$out" --swift_opt=Visibility=$visibility,UseAccessLevelOnImports=true \
    --grpc-swift_out="$out" \
    --grpc-swift_opt=Visibility=$visibility,Server=false,Client=true,UseAccessLevelOnImports=true \
    "$protos"/*.proto
  if [[ -n "$scratch" ]] && ! diff -ru "$committed" "$out"; then stale=1; fi
}

generate Sources/GoetheKit/Protocol Public
# etcd's own protos, trimmed; only the daemon uses them, so the generated client is internal.
generate Sources/goethe/Cluster/Etcd/Protocol Internal
# How the leader distributes its writes; only the daemon speaks it.
generate Sources/goethe/Cluster/Replication/Protocol Internal

if [[ -n "$scratch" ]]; then
  if [[ $stale -ne 0 ]]; then
    echo "the generated protocol code is stale: run scripts/generate-protos.sh and commit the result" >&2
    exit 1
  fi
  echo "generated protocol code is up to date"
fi
