#!/bin/sh
# Submits every job in jobs/ to the session cluster with `flink run`, pointed at the compose
# network's broker. Runs in the flink image; FLINK_BIN, JAR, JOBS and BOOTSTRAP point elsewhere.
set -eu
FLINK_BIN=${FLINK_BIN:-/opt/flink/bin}
JAR=${JAR:-/opt/flink/usrlib/flink-softmax.jar}
JOBS=${JOBS:-/jobs}
BOOTSTRAP=${BOOTSTRAP:-kafka:9092}
JOBMANAGER=${JOBMANAGER:-jobmanager:8081}

for job in "$JOBS"/*.yaml; do
  "$FLINK_BIN/flink" run -d -m "$JOBMANAGER" "$JAR" --job "$job" --set "kafka.bootstrap.servers=$BOOTSTRAP"
done
