#!/usr/bin/env bash
# The wire benchmark: Goethe over loopback beside Redis Streams and NATS JetStream, in one run.
#   scripts/wire-benchmark.sh [N]      (N events for the peers and the pipelines, default 300000)
# Prints one line per figure; docs/performance.md explains them. Builds goethe and goethectl in
# release mode (or takes them from GOETHE_BIN_DIR), the grpc-go load client of Tests/interop, and
# runs ../shared/peers/peers-bench.sh (or the one in GOETHE_PEERS_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-300000}
peers=${GOETHE_PEERS_DIR:-../shared/peers}

if [[ -z ${GOETHE_BIN_DIR:-} ]]; then
  swift build -c release --product goethe >&2
  swift build -c release --product goethectl >&2
fi
bin=${GOETHE_BIN_DIR:-$(swift build -c release --show-bin-path)}
built=$(python3 Tests/interop/build_clients.py)
interop=${built%%$'\n'*}
work=$(mktemp -d /tmp/goethe-wire.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

# nats.go conflicts with the protobuf package the interop client needs; unpack it privately.
peers_script=$peers/peers-bench.sh
if ! dpkg-query -W -f='${Status}' golang-github-nats-io-go-nats-dev 2>/dev/null | grep -q "install ok installed"; then
  (cd "$work" && apt-get download -qq golang-github-nats-io-go-nats-dev golang-github-nats-io-nkeys-dev \
    golang-github-nats-io-nuid-dev golang-github-klauspost-compress-dev golang-golang-x-crypto-dev 2>/dev/null)
  for deb in "$work"/*.deb; do dpkg -x "$deb" "$work/nats"; done
  (cd "$peers/jsbench" && GO111MODULE=off GOPATH="$work/nats/usr/share/gocode:/usr/share/gocode" \
    GOCACHE="$work/gocache" go build -o "$work/jsbench" .)
  sed -e "s|(cd \"\$here/jsbench\" && GO111MODULE=off GOPATH=/usr/share/gocode go build -o \"\$jsbin\" . )|cp $work/jsbench \"\$jsbin\"|" \
    -e "s/ golang-github-nats-io-go-nats-dev; do/; do/" "$peers_script" >"$work/peers-bench.sh"
  peers_script=$work/peers-bench.sh
fi
bash "$peers_script" "$N"

# Starts a fresh daemon (a new data directory) on a free port with the sync mode $1, after stopping
# the one before, and sets `server` to its address. Each workload gets its own, so that none is
# measured while LevelDB compacts what the one before it wrote.
daemon=
run=0
start_goethe() {
  if [[ -n $daemon ]]; then kill "$daemon"; wait "$daemon" 2>/dev/null || true; rm -rf "$work/data"; fi
  run=$((run + 1))
  local log=$work/goethe-$run.log
  "$bin/goethe" --listen 127.0.0.1:0 --data-dir "$work/data" --sync "$1" >/dev/null 2>"$log" &
  daemon=$!
  pids+=($daemon)
  until grep -q "goethe listening" "$log"; do sleep 0.1; done
  server=$(grep -o 'listen=[0-9.:]*' "$log" | cut -d= -f2)
}

"$interop" -addr 127.0.0.1:0 reference-health-server >/dev/null 2>"$work/health.log" &
pids+=($!)
until grep -q listening "$work/health.log"; do sleep 0.1; done
reference=$(awk '{print $2}' "$work/health.log")
echo "grpc-go health server, health Check c=8: $("$interop" -addr "$reference" unary-load -count 100000 -- -clients 8 -method health | python3 -c 'import json,sys; print(int(json.load(sys.stdin)["calls_per_second"]))') calls/s"

ctl() { "$bin/goethectl" --server "$server" "$@"; }
rate() { python3 -c 'import json,sys; r=json.load(sys.stdin); l=r["latency"]; print(int(r["events_per_sec"]), "ev/s" + ("" if l is None else ", p50 %.2f ms, p99 %.2f ms" % (l["p50_ns"]/1e6, l["p99_ns"]/1e6)))'; }
calls() { python3 -c 'import json,sys; print(int(json.load(sys.stdin)["calls_per_second"]))'; }
events() { python3 -c 'import json,sys; print(int(json.load(sys.stdin)["events_per_second"]))'; }
for sync in never always; do
  start_goethe "$sync"
  echo "goethe sync=$sync grpc-go v1 Produce c=8: $("$interop" -addr "$server" unary-load -topic unary -count 100000 -- -clients 8 -method produce | calls) calls/s"
  start_goethe "$sync"
  echo "goethe sync=$sync grpc-go health Check c=8: $("$interop" -addr "$server" unary-load -count 100000 -- -clients 8 -method health | calls) calls/s"
  start_goethe "$sync"
  echo "goethe sync=$sync bench produce c=8: $(ctl bench produce -c 8 -n 50000 -o json | rate)"
  start_goethe "$sync"
  echo "goethe sync=$sync bench append c=4 batch=100: $(ctl bench append -c 4 -n $((N * 4)) -o json | rate)"
  start_goethe "$sync"
  echo "goethe sync=$sync bench append c=4 batch=100 inflight=4: $(ctl bench append -c 4 --inflight 4 -n $((N * 4)) -o json | rate)"
  start_goethe "$sync"
  echo "goethe sync=$sync grpc-go Append c=4 batch=100: $("$interop" -addr "$server" unary-load -topic batches -count $((N * 4)) -- -clients 4 -method append -batch 100 | events) ev/s"
  start_goethe "$sync"
  echo "goethe sync=$sync bench stream c=4: $(ctl bench stream -c 4 -n $((N * 4)) -o json | rate)"
  start_goethe "$sync"
  echo "goethe sync=$sync bench tail: $(ctl bench tail -n 20000 -o json | rate)"
done
start_goethe never
echo "goethe bench replay c=1: $(ctl bench replay -n $((N * 4)) -o json | rate)"
start_goethe never
echo "goethe bench seek c=1: $(ctl bench seek -n 2000 -o json | rate)"
start_goethe never
seq 1 "$N" | sed 's/^/event-payload-of-about-forty-bytes-/' >"$work/lines"
t0=$(date +%s.%N); ctl produce pipe <"$work/lines" >/dev/null; t1=$(date +%s.%N)
echo "goethectl produce from stdin, $N lines: $(python3 -c "print(int($N/($t1-$t0)))") ev/s"
t0=$(date +%s.%N); n=$(ctl replay pipe --from beginning -o raw | grep -c '^event'); t1=$(date +%s.%N)
echo "goethectl replay -o raw: $(python3 -c "print(int($n/($t1-$t0)))") ev/s ($n events)"
