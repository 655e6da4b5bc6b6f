#!/usr/bin/env bash
# Long coverage-guided runs of the fuzz targets (Jazzer), one JVM per target.
#
#   scripts/fuzz.sh [TARGET[,TARGET...]|all] [RUNS]
#
# TARGET is one of the names below (default: all); RUNS is how many inputs each target gets
# (default 10000000, or FUZZ_RUNS); FUZZ_SECONDS bounds each target's time instead or as well
# (default 0: no bound). Each target's corpus grows in <module>/.cifuzz-corpus/ from run to run;
# a crashing input lands in the target's test resources (<TestClass>Inputs/<method>/crash-*),
# where `mvn verify` replays it. The figures go to docs/fuzzing/figures.md.
set -euo pipefail
cd "$(dirname "$0")/.."

# target name (the surefire execution is fuzz-<name>) -> module
declare -A MODULE=(
  [stun]=webrtc [demux]=webrtc [dtls]=webrtc [rtp]=webrtc [rtcp]=webrtc [sdp]=webrtc
  [protocol]=signalling-bridge [did-key]=signalling-bridge
  [graphql-inputs]=cluster-node
)
ORDER=(stun demux dtls rtp rtcp sdp protocol did-key graphql-inputs)

target=${1:-all}
runs=${2:-${FUZZ_RUNS:-10000000}}
seconds=${FUZZ_SECONDS:-0}
if [ "$target" = all ]; then
  targets=("${ORDER[@]}")
else
  IFS=, read -ra targets <<<"$target"
  for t in "${targets[@]}"; do
    if [ -z "${MODULE[$t]:-}" ]; then
      echo "unknown target '$t'; one of: ${ORDER[*]} or all" >&2
      exit 2
    fi
  done
fi

echo "Building (tests compiled, not run)"
mvn -B -ntp -q install -DskipTests

figures=docs/fuzzing/figures.md
logs=target/fuzz-logs
mkdir -p "$logs"
rows=()
status=0
for t in "${targets[@]}"; do
  module=${MODULE[$t]}
  log="$logs/$t.log"
  crashes_before=$(find "$module/src/test/resources" -name 'crash-*' 2>/dev/null | wc -l)
  echo "Fuzzing $t ($module): runs=$runs seconds=$seconds"
  started=$(date +%s)
  if mvn -B -ntp -pl "$module" "surefire:test@fuzz-$t" -Dfuzz.runs="$runs" -Dfuzz.seconds="$seconds" >"$log" 2>&1; then
    outcome=passed
  else
    outcome=FAILED
    status=1
  fi
  wall=$(( $(date +%s) - started ))
  crashes_after=$(find "$module/src/test/resources" -name 'crash-*' 2>/dev/null | wc -l)
  # libFuzzer's closing lines: "#N DONE cov: C ft: F corp: ... exec/s: E ..." and "Done N runs in S second(s)".
  done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1 || true)
  inputs=$(grep -oE '^Done [0-9]+ runs' "$log" | tail -1 | grep -oE '[0-9]+' || echo "?")
  fuzz_seconds=$(grep -oE 'runs in [0-9]+ second' "$log" | tail -1 | grep -oE '[0-9]+' || echo "?")
  execs=$(echo "$done_line" | grep -oE 'exec/s: [0-9]+' | grep -oE '[0-9]+' || echo "?")
  cov=$(echo "$done_line" | grep -oE 'cov: [0-9]+' | grep -oE '[0-9]+' || echo "?")
  corpus=$(echo "$done_line" | grep -oE 'corp: [0-9]+' | grep -oE '[0-9]+' || echo "?")
  new_crashes=$(( crashes_after - crashes_before ))
  echo "  $t: $outcome, $inputs inputs in ${fuzz_seconds}s, $execs exec/s, coverage $cov, corpus $corpus, new crashing inputs $new_crashes (log $log)"
  rows+=("| $t | $module | $inputs | $fuzz_seconds | $execs | $cov | $corpus | $new_crashes | $outcome | $wall |")
done

if [ ! -f "$figures" ]; then
  cat >"$figures" <<'HEADER'
# Fuzzing figures

Written by `scripts/fuzz.sh`, newest run last. Inputs, seconds and exec/s are libFuzzer's own
(its closing `DONE` line); coverage is its count of covered edges, corpus the inputs it kept;
crashes are new crashing inputs kept in the target's test resources; wall is the whole run with
the JVM and Jazzer start.
HEADER
fi
{
  printf '\n## %s: `scripts/fuzz.sh %s %s`, FUZZ_SECONDS=%s, %s cores\n\n' \
    "$(date -u +%Y-%m-%dT%H:%MZ)" "$target" "$runs" "$seconds" "$(nproc)"
  echo '| target | module | inputs | seconds | exec/s | coverage | corpus | crashes | result | wall s |'
  echo '|---|---|---|---|---|---|---|---|---|---|'
  printf '%s\n' "${rows[@]}"
} >>"$figures"
exit $status
