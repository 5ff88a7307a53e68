#!/usr/bin/env bash
# Regenerates the Swift code of the wire protocol from Sources/GoetheKit/Protocol/*.proto.
#   scripts/generate-protos.sh            writes Sources/GoetheKit/Protocol/Generated
#   scripts/generate-protos.sh --check    fails if the committed code differs from a fresh generation
set -euo pipefail
cd "$(dirname "$0")/.."

protos=Sources/GoetheKit/Protocol
committed=$protos/Generated
command -v protoc >/dev/null || { echo "protoc is missing: apt-get install -y protobuf-compiler" >&2; exit 1; }

# The generators come from the package's own dependencies, so their versions follow Package.swift.
swift build --product protoc-gen-swift >&2
swift build --product protoc-gen-grpc-swift-2 >&2
bin=$(swift build --show-bin-path)

out=$committed
if [[ "${1:-}" == "--check" ]]; then
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
fi
mkdir -p "$out"
rm -f "$out"/*.swift

protoc --proto_path="$protos" \
  --plugin=protoc-gen-swift="$bin/protoc-gen-swift" \
  --plugin=protoc-gen-grpc-swift="$bin/protoc-gen-grpc-swift-2" \
  --swift_out="$out" --swift_opt=Visibility=Public,UseAccessLevelOnImports=true \
  --grpc-swift_out="$out" --grpc-swift_opt=Visibility=Public,Server=false,Client=true,UseAccessLevelOnImports=true \
  "$protos"/goethe.proto "$protos"/health.proto "$protos"/cluster.proto

if [[ "${1:-}" == "--check" ]]; then
  if ! diff -ru "$committed" "$out"; then
    echo "the generated protocol code is stale: run scripts/generate-protos.sh and commit the result" >&2
    exit 1
  fi
  echo "generated protocol code is up to date"
fi
