#!/usr/bin/env bash
# Prints the path of async-profiler's agent library for this machine, fetching the project's own
# release artifact from Maven Central into DIR (the first argument) when it is not there yet.
# Prints nothing and exits non-zero when it cannot be had (no network, another architecture).
#   scripts/bench/async-profiler.sh /tmp/somewhere
set -euo pipefail
dir=${1:?usage: async-profiler.sh DIR}
version=${SFUBENCH_ASYNC_PROFILER_VERSION:-4.2}
case "$(uname -m)" in
  x86_64) platform=linux-x64 ;;
  aarch64) platform=linux-arm64 ;;
  *) exit 1 ;;
esac
library="$dir/$platform/libasyncProfiler.so"
if [ ! -f "$library" ]; then
  artifact="tools.profiler:async-profiler:$version:jar:$platform"
  mvn -B -ntp -q dependency:copy -Dartifact="$artifact" -DoutputDirectory="$dir" >&2
  (cd "$dir" && unzip -o -q "async-profiler-$version-$platform.jar" "$platform/libasyncProfiler.so")
fi
echo "$library"
