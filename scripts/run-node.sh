#!/usr/bin/env bash
# Builds the node and starts it on the embedded single-node default: everything on 127.0.0.1,
# web client at http://127.0.0.1:8080/. Extra arguments go to the node (see README).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -ntp -DskipTests package
exec java -jar cluster-node/target/sfu-node.jar "$@"
