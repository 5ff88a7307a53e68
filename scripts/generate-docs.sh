#!/usr/bin/env bash
# Regenerates the shell completions (completions/) and the man pages (man/) from the command
# definitions of goethectl and goethe.
#   scripts/generate-docs.sh           writes completions/ and man/
#   scripts/generate-docs.sh --check   fails if the committed files differ from a fresh generation
set -euo pipefail
cd "$(dirname "$0")/.."

# The manuals carry this date, so that regenerating unchanged commands changes nothing.
date=2026-11-26

swift build --product goethectl >&2
swift build --product goethe >&2
bin=$(swift build --show-bin-path)

out=.
if [[ "${1:-}" == "--check" ]]; then
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
fi
mkdir -p "$out/completions" "$out/man"

"$bin/goethectl" completion bash >"$out/completions/goethectl.bash"
"$bin/goethectl" completion zsh >"$out/completions/_goethectl"
"$bin/goethectl" completion fish >"$out/completions/goethectl.fish"

# swift-argument-parser's generate-manual, through its package plugin.
pages=.build/plugins/GenerateManual/outputs
rm -rf "$pages"
swift package generate-manual --configuration debug --multi-page --date "$date" --section 1 >&2
rm -f "$out"/man/goethectl*.1
cp "$pages"/goethectl/goethectl*.1 "$out/man/"
# EXIT STATUS with the real codes, ENVIRONMENT and EXAMPLES, which generate-manual cannot write.
scripts/add-manual-sections.py "$out/man"
rm -rf "$pages"
swift package generate-manual --configuration debug --date "$date" --section 8 >&2
cp "$pages"/goethe/goethe.8 "$out/man/goethe.8"

if [[ "${1:-}" == "--check" ]]; then
  if ! diff -ru --exclude='*.json' completions "$out/completions" || ! diff -ru man "$out/man"; then
    echo "completions/ or man/ are stale: run scripts/generate-docs.sh and commit the result" >&2
    exit 1
  fi
  echo "completions and man pages are up to date"
fi
