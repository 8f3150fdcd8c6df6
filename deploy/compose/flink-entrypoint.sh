#!/bin/sh
# The flink image's entrypoint edits conf/config.yaml in place (addresses, FLINK_PROPERTIES). The
# repository's conf/ is mounted read-only at /opt/flink/conf-repository and copied here first, so
# the entrypoint edits the container's own copy and the repository is never rewritten.
set -eu
cp /opt/flink/conf-repository/* /opt/flink/conf/
exec /docker-entrypoint.sh "$@"
