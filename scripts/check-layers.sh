#!/usr/bin/env bash
# Checks the seams between the daemon's layers that the compiler cannot: only Storage/ knows the
# store's implementation. The rest of the daemon uses it through the GoetheStore protocol; only
# the daemon's assembly, `goethe repair` and the storage benchmark open an EventStore.
set -euo pipefail
cd "$(dirname "$0")/.."

allowed='^Sources/goethe/(Storage/|Daemon/DaemonAssembly\.swift|Daemon/RepairCommand\.swift|Bench/StorageBenchmark\.swift)'
# Code lines only: comments may speak of LevelDB.
implementation='\b(EventStore|LevelDB)\b(\(|\.[a-zA-Z])|:[[:space:]]*EventStore\b|\b(TopicState|TopicNotifier|TopicEntry|LevelDBIterator|WriteBatch)\b'
offending=$(grep -rnE --include='*.swift' "$implementation" Sources/goethe | grep -Ev '^[^:]+:[0-9]+:[[:space:]]*//' \
  | cut -d: -f1 | sort -u | grep -Ev "$allowed" || true)
if [[ -n "$offending" ]]; then
  echo "check-layers: these files reach into the store's implementation; use GoetheStore instead:" >&2
  echo "$offending" >&2
  exit 1
fi
