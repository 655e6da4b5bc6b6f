#!/usr/bin/env bash
# Checks the Janus side of the benchmark end to end: the benchmark namespaces, Janus started in
# the SFU namespace, and JanusVideoRoomClientTest run from the load namespace (publish a
# captured Chromium offer, bring its peer connection up, subscribe to the feed). Everything is
# removed afterwards. Needs root. Extra arguments go to Maven, e.g. -Dbench.janus.slow=true adds
# the 70 s check that keepalives hold an idle session beyond Janus's 60 s timeout.
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -ntp -q -pl bench -am install -DskipTests
scripts/bench/netns.sh run bash -c '
  set -euo pipefail
  scripts/bench/janus.sh start
  trap "scripts/bench/janus.sh stop" EXIT
  scripts/bench/netns.sh exec load mvn -B -ntp -o -q -pl bench surefire:test \
    -Dtest=JanusVideoRoomClientTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dbench.janus=true "$@" -Dbench.janus.api=http://$SFUBENCH_SFU_IP:8088/janus -Dbench.janus.client-ip=$SFUBENCH_LOAD_IP
' bash "$@"
