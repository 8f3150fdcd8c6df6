#!/bin/bash
# How the runs in this directory were made: EndToEnd on the classpath `mvn -Pjmh exec:exec` uses,
# with GC logs and a JFR recording for every JVM (the benchmark's and the broker's, which inherits
# JDK_JAVA_OPTIONS) and per-second vmstat, top and /proc/meminfo Dirty/Writeback samples, so that
# latency episodes in samples-*.csv can be lined up with GC pauses, slow file writes and disk writeback.
# Usage (from the project root): docs/bench/latency-steady/run-with-diagnostics.sh OUT_DIR [EndToEnd flags...]
# BENCH_JVM_OPTS adds flags to the benchmark JVM only (Flink, producer, reader), e.g. "-XX:MaxGCPauseMillis=20";
# JDK_JAVA_OPTIONS would reach the broker too. JAVA picks the benchmark JVM's java (default: java on
# the PATH); the broker runs on the same one unless EndToEnd's --broker-java says otherwise. Run it under the shared lock: flock /tmp/mvn.lock docs/bench/...
# e.g. ... target/lat-final --cases float32le:1000 --jobs softmax --input-mb 60 --repeat 1 --rate 4622,5200,9244 \
#          --latency-seconds 60 --catch-up-max 90s --intervals , --work-dir /dev/shm/bench
set -eu
out=$1; shift
diag=$out/diag
mkdir -p "$diag/jfr"
mvn -B -q -o -Pjmh test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$out/cp.txt"
opens=$(sed -n 's:.*<flink.test.opens>\(.*\)</flink.test.opens>.*:\1:p' pom.xml)
vmstat -t 1 > "$diag/vmstat.txt" & v=$!
top -b -d 1 -w 180 | grep --line-buffered -A8 '^top -' > "$diag/top.txt" & t=$!
( while true; do echo "$(date +%s.%N) $(grep -E '^(Dirty|Writeback):' /proc/meminfo | tr -s ' ' | tr '\n' ' ')"; sleep 1; done ) > "$diag/dirty.txt" & d=$!
trap 'kill $v $t $d' EXIT
JDK_JAVA_OPTIONS="-Xlog:gc*,safepoint:file=$PWD/$diag/gc-%p.log:time,uptime,level,tags -XX:StartFlightRecording=filename=$PWD/$diag/jfr/,dumponexit=true" \
  "${JAVA:-java}" ${BENCH_JVM_OPTS:-} --add-modules=jdk.incubator.vector $opens -cp "target/classes:target/test-classes:$(cat "$out/cp.txt")" \
  io.github.flinksoftmax.bench.EndToEnd "$@" --out "$out" > "$out/stdout.txt" 2>&1
