#!/bin/sh
# Creates every job's topics with Kafka's own tool, before the jobs are submitted: the input, the
# output and the dead-letter topic each jobs/*.yaml names (the dead-letter topic defaults to
# <input.topic>.dead-letter). Runs in the apache/kafka image; KAFKA_BIN and BOOTSTRAP point elsewhere.
set -eu
KAFKA_BIN=${KAFKA_BIN:-/opt/kafka/bin}
BOOTSTRAP=${BOOTSTRAP:-kafka:9092}
JOBS=${JOBS:-/jobs}
PARTITIONS=${PARTITIONS:-2}

value() { # the value of a top-level key in a job file, without quotes or comments
  sed -n "s/^$1:[[:space:]]*//p" "$2" | sed 's/[[:space:]]*#.*$//; s/^["'\'']//; s/["'\'']$//' | head -n 1
}

for job in "$JOBS"/*.yaml; do
  in=$(value input.topic "$job")
  out=$(value output.topic "$job")
  dlq=$(value dead-letter.topic "$job")
  for topic in "$in" "$out" "${dlq:-$in.dead-letter}"; do
    "$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BOOTSTRAP" --create --if-not-exists \
      --topic "$topic" --partitions "$PARTITIONS" --replication-factor 1
  done
done
