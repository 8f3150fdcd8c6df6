#!/bin/bash
# The at-least-once latency run with the two cores split: the benchmark JVM (Flink, the paced
# producer, the reader) and Maven on core 1, the started broker moved to core 0 once it is up.
# Usage: docs/bench/latency-pinned/run-pinned.sh OUT_DIR   (from anywhere; one Maven build at a time)
set -euo pipefail
out=$(realpath -m "${1:?output directory}")
cd "$(dirname "$0")/../../.."
mkdir -p "$out"
taskset -c 1 mvn -B -o -Pjmh test-compile exec:exec -Djmh.main=io.github.flinksoftmax.bench.EndToEnd \
  -Djmh.args="--cases float32le:1000 --jobs softmax --input-mb 60 --repeat 1 --rate 4622 --latency-seconds 60 --catch-up-max 90s --intervals , --work-dir /dev/shm/pin --out $out" \
  > "$out/bench.log" 2>&1 &
bench=$!
for _ in $(seq 1 300); do
  pid=$(pgrep -f BrokerMain | head -1 || true)
  if [ -n "$pid" ]; then
    taskset -a -cp 0 "$pid" > "$out/taskset.txt"
    break
  fi
  sleep 1
done
wait "$bench"
