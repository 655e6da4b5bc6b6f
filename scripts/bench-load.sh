#!/usr/bin/env bash
# Load benchmark of one node: builds the node and the load generator, starts the node on
# 127.0.0.1 itself, runs the scenarios with simulated WebRTC participants (real ICE, DTLS-SRTP,
# Opus and VP8 RTP) and writes bench/target/load/results.json (one object per run).
# Default: fan-out of one publisher to 10 and then 50 subscribers, 10 s each. Examples:
#   scripts/bench-load.sh --scenario all --duration 20s
#   scripts/bench-load.sh --fan-out 10,25,50,100 --out docs/benchmarks/load-fan-out.json
# Options: scripts/bench-load.sh --help. Loopback only; every run is bounded in time and size.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp -q -pl bench -am install -DskipTests
exec java -Xmx1g -jar bench/target/loadgen.jar "$@"
