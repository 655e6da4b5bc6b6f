#!/usr/bin/env bash
# JMH benchmarks of the per-packet path (bench module): ns and bytes allocated per incoming
# packet forwarded to 1, 10 and 100 receivers, both SRTP profiles, and what a publish offer costs
# as it grows. Writes docs/benchmarks/jmh-forwarding.json and jmh-offer-negotiation.json. Not
# part of the test suite (a few minutes on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp -q -pl bench -am package -DskipTests
java -jar bench/target/benchmarks.jar ForwardingBenchmark -prof gc \
  -rf json -rff docs/benchmarks/jmh-forwarding.json "$@"
# What one publish offer costs, a quarter of the parser's limit and all of it (linear: about 4x).
java -jar bench/target/benchmarks.jar OfferNegotiationBenchmark \
  -rf json -rff docs/benchmarks/jmh-offer-negotiation.json
