#!/usr/bin/env bash
# Side-by-side benchmark: the same load scenarios against our node and against Janus (VideoRoom),
# one after the other, each inside the benchmark's own network namespaces (scripts/bench/netns.sh:
# the SFU in sfubench-sfu, the load generator in sfubench-load, one veth pair between them and
# nothing else), the same way for both. Writes docs/benchmarks/results.json, the tables in
# docs/benchmarks.md and the PNG plots in docs/benchmarks/. Needs root; installs Janus when missing.
#
#   scripts/bench-sfu.sh                       every scenario at full size (about half an hour)
#   scripts/bench-sfu.sh --fan-out 10,50 --scenario fan-out --duration 10s   a quick one
#   SFUBENCH_ONLY=ours scripts/bench-sfu.sh    one part only: ours, janus, or cascade; the new
#                                              runs replace the same runs in results.json
#   SFUBENCH_CASCADE=200 ...                   also ours as a cluster of 3 nodes, the fan-out to
#                                              that many subscribers spread over them (the default
#                                              full run does 200; empty: none)
#   SFUBENCH_WORKERS=2 SFUBENCH_ONLY=ours ...  our node with that many media workers (decision 0017);
#                                              its runs are labelled ours-2-workers, beside ours
#   SFUBENCH_PROFILE=1 SFUBENCH_ONLY=ours scripts/bench-sfu.sh --fan-out 200 --scenario fan-out
#                                              a CPU profile of our node instead of figures
#                                              (async-profiler from Maven Central, Java, native and
#                                              kernel frames; JFR's hot methods if it cannot be had):
#                                              docs/benchmarks/profile-ours.txt, results.json and
#                                              the tables stay as they are
# Arguments are the load generator's (java -jar bench/target/loadgen.jar --help); the default is
# the benchmarks issue's scenarios: fan-out to 10..400, 20 rooms of 5, a simulcast room of 20.
set -euo pipefail
cd "$(dirname "$0")/.."

NET=${SFUBENCH_NET:-10.250.0}
SFU_IP=$NET.1
ONLY=${SFUBENCH_ONLY:-}
WORKERS=${SFUBENCH_WORKERS:-1}
OUT=docs/benchmarks
work=$(mktemp -d /tmp/sfubench-run.XXXXXX)
args=("$@")
if [ ${#args[@]} -eq 0 ]; then
  args=(--scenario fan-out,many-rooms,simulcast --fan-out 10,50,100,200,400 --rooms 20 --room-size 5
        --simulcast-room 20 --duration 20s --warmup 10s)
  CASCADE=${SFUBENCH_CASCADE-200}
else
  CASCADE=${SFUBENCH_CASCADE:-}
fi
command_line="scripts/bench-sfu.sh ${*:-}"
profile_command="SFUBENCH_PROFILE=${SFUBENCH_PROFILE:-} SFUBENCH_ONLY=$ONLY $command_line"

mvn -B -ntp -q -pl cluster-node,bench -am install -DskipTests

cleanup() {
  scripts/bench/janus.sh stop >/dev/null 2>&1 || true
  scripts/bench/netns.sh down
}
trap cleanup EXIT
trap 'exit 130' INT TERM
scripts/bench/netns.sh up

# Waits until something in the load namespace can open a TCP connection to the SFU's port.
wait_for_port() {
  local port=$1
  for _ in $(seq 1 150); do
    scripts/bench/netns.sh exec load bash -c "exec 3<>/dev/tcp/$SFU_IP/$port" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "bench-sfu.sh: nothing answers on $SFU_IP:$port" >&2
  return 1
}

# A run with failures (they are in its results) does not stop the other SFU's runs; the script
# reports it and exits non-zero at the end.
runs_failed=0
loadgen() {
  scripts/bench/netns.sh exec load java -Xmx2g -jar bench/target/loadgen.jar --allow-target "$SFU_IP" "$@" \
    || { runs_failed=1; echo "bench-sfu.sh: some runs had failures (listed in their results)" >&2; }
}

parts=()
if [ -n "$ONLY" ] && [ -f "$OUT/results.json" ]; then
  parts+=("$OUT/results.json")
  command_line="$(sed -n 's/^  "command" : "\(.*\)",$/\1/p' "$OUT/results.json"); then SFUBENCH_ONLY=$ONLY${SFUBENCH_CASCADE:+ SFUBENCH_CASCADE=$SFUBENCH_CASCADE}${SFUBENCH_WORKERS:+ SFUBENCH_WORKERS=$SFUBENCH_WORKERS} $command_line"
fi
if [ -z "$ONLY" ] || [ "$ONLY" = ours ]; then
  # Room and node limits above the largest run, so they do not cut a run short.
  jvm=(-Xmx2g -Dsfu.room.max-participants=1000 -Dsfu.cluster.max-participants-per-node=1000)
  profiler=
  if [ -n "${SFUBENCH_PROFILE:-}" ]; then
    profiler=$(scripts/bench/async-profiler.sh "$work" || true)
    if [ -n "$profiler" ]; then
      # CPU samples every millisecond of every thread, as collapsed stacks per thread, written
      # when the node exits; ProfileSummary sorts them into the stages of the packet path.
      jvm+=("-agentpath:$profiler=start,event=cpu,interval=1ms,threads,collapsed,file=$work/ours.collapsed")
    else
      jvm+=("-XX:StartFlightRecording=filename=$work/ours.jfr,settings=profile")
    fi
  fi
  label=ours
  [ "$WORKERS" -gt 1 ] && label="ours-$WORKERS-workers"
  scripts/bench/netns.sh exec sfu java "${jvm[@]}" -jar cluster-node/target/sfu-node.jar \
    --http-host "$SFU_IP" --insecure-http --media-host "$SFU_IP" --media-workers "$WORKERS" --auth open --node-id bench \
    --data-dir "$work/data" >"$work/ours-node.log" 2>&1 &
  node_pid=$!
  wait_for_port 8080
  loadgen --sfu ours --label "$label" --signal-url "ws://$SFU_IP:8080/signal" --node-pid "$node_pid" \
    "${args[@]}" --out "$work/ours.json"
  kill -TERM "$node_pid"
  wait "$node_pid" || true
  parts+=("$work/ours.json")
  if [ -n "$profiler" ]; then
    java -cp bench/target/loadgen.jar org.adam.sfu.bench.report.ProfileSummary "$work/ours.collapsed" \
      "$profile_command" >"$OUT/profile-ours.txt"
    echo "bench-sfu.sh: CPU profile of our node in $OUT/profile-ours.txt"
  elif [ -n "${SFUBENCH_PROFILE:-}" ]; then
    jfr=$(ls /usr/lib/jvm/temurin-*/bin/jfr 2>/dev/null | tail -n 1 || true)
    "${jfr:-jfr}" view --width 160 hot-methods "$work/ours.jfr" >"$OUT/profile-ours.txt" \
      || "${jfr:-jfr}" summary "$work/ours.jfr" >"$OUT/profile-ours.txt"
    echo "bench-sfu.sh: hot methods of our node in $OUT/profile-ours.txt"
  fi
fi

# Our node as a cluster of three in the SFU namespace: the publisher on the first node, the
# subscribers spread over all three, so the tracks cross pipes to the other two.
if [ "$ONLY" = cascade ] && [ -z "$CASCADE" ]; then
  CASCADE=200
fi
if [ -n "$CASCADE" ] && { [ -z "$ONLY" ] || [ "$ONLY" = cascade ]; }; then
  seeds="$SFU_IP:25520"
  members=()
  pids=()
  for i in 0 1 2; do
    scripts/bench/netns.sh exec sfu java -Xmx2g -Dsfu.room.max-participants=1000 \
      -Dsfu.cluster.max-participants-per-node=1000 -jar cluster-node/target/sfu-node.jar \
      --http-host "$SFU_IP" --insecure-http --http-port $((8080 + i)) --media-host "$SFU_IP" --media-port $((40000 + 10 * i)) \
      --cluster-port $((25520 + i)) --seeds "$seeds" --auth open --node-id "bench-$i" \
      --data-dir "$work/data-$i" >"$work/cascade-node-$i.log" 2>&1 &
    pids+=($!)
    wait_for_port $((8080 + i))
    [ "$i" -gt 0 ] && members+=("ws://$SFU_IP:$((8080 + i))/signal=${pids[$i]}")
  done
  sleep 5 # the three join one cluster before the first participant comes
  more=$(IFS=,; echo "${members[*]}")
  loadgen --sfu ours --signal-url "ws://$SFU_IP:8080/signal" --node-pid "${pids[0]}" --more-nodes "$more" \
    --scenario cascade --fan-out "$CASCADE" --duration 20s --warmup 10s --out "$work/cascade.json"
  kill -TERM "${pids[@]}"
  wait "${pids[@]}" || true
  parts+=("$work/cascade.json")
fi

if [ -z "$ONLY" ] || [ "$ONLY" = janus ]; then
  SFUBENCH_JANUS_DIR="$work/janus" scripts/bench/janus.sh start
  janus_pid=$(cat "$work/janus/janus.pid")
  loadgen --sfu janus --janus-url "http://$SFU_IP:8088/janus" --node-pid "$janus_pid" \
    "${args[@]}" --out "$work/janus.json"
  SFUBENCH_JANUS_DIR="$work/janus" scripts/bench/janus.sh stop
  parts+=("$work/janus.json")
fi

if [ -n "${SFUBENCH_PROFILE:-}" ]; then
  echo "bench-sfu.sh: profile run; raw results in $work, results.json left as it was"
  exit 0
fi
report="java -cp bench/target/loadgen.jar org.adam.sfu.bench.report"
$report.ResultsMerge "$OUT/results.json" "$command_line" "${parts[@]}"
$report.BenchmarkReport "$OUT/results.json" docs/benchmarks.md
echo "bench-sfu.sh: node logs and raw results in $work"
exit "$runs_failed"
