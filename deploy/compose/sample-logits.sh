#!/bin/sh
# The demo job's sample input with nothing but the apache/kafka image: 10-class JSON logits keyed
# img-N, some with a masked class (-Infinity), and every 20th record bad (NaN, or not JSON) so the
# dead-letter topic has something to show. RATE records a second, COUNT in all (0: no end).
set -eu
KAFKA_BIN=${KAFKA_BIN:-/opt/kafka/bin}
BOOTSTRAP=${BOOTSTRAP:-kafka:9092}
TOPIC=${TOPIC:-demo-logits}
RATE=${RATE:-20}
COUNT=${COUNT:-0}

awk -v rate="$RATE" -v count="$COUNT" 'BEGIN {
  srand(42)
  for (i = 0; count == 0 || i < count; i++) {
    line = ""
    for (j = 0; j < 10; j++) {
      v = sprintf("%.3f", rand() * 8 - 4)
      if (i % 7 == 3 && j == 9) v = "-Infinity"
      line = line (j ? ", " : "") v
    }
    if (i % 20 == 19) line = (i % 40 == 39) ? "not json" : "NaN, 1.0"
    printf "img-%06d|{\"id\": \"img-%06d\", \"logits\": [%s]}\n", i, i, line
    fflush()
    if (rate > 0 && i % rate == rate - 1) system("sleep 1")
  }
}' | "$KAFKA_BIN/kafka-console-producer.sh" --bootstrap-server "$BOOTSTRAP" --topic "$TOPIC" \
  --property parse.key=true --property key.separator='|'
