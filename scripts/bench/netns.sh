#!/usr/bin/env bash
# The benchmark's private network: two namespaces joined by one veth pair and nothing else.
#
#   sfubench-sfu   (the SFU under test, ours or Janus)   sfub-sfu  10.250.0.1/24
#   sfubench-load  (the load generator)                  sfub-load 10.250.0.2/24
#
# No interface of either namespace is attached to the host, there is no default route and no
# forwarding, so benchmark traffic can reach only the other namespace (or its own lo).
#
#   netns.sh up                 remove leftovers of an earlier run, then create the namespaces
#   netns.sh down               kill what still runs inside them and remove them (idempotent)
#   netns.sh exec sfu|load CMD  run CMD inside one namespace
#   netns.sh run CMD            up, run CMD on the host side (it uses `exec` for its parts),
#                               down on exit whatever happens
#
# Override the addresses with SFUBENCH_NET (the /24 prefix, default 10.250.0); they must not be
# used by any real network of the machine (checked at `up`). Needs root.
set -euo pipefail

NS_SFU=sfubench-sfu
NS_LOAD=sfubench-load
IF_SFU=sfub-sfu
IF_LOAD=sfub-load
NET=${SFUBENCH_NET:-10.250.0}
SFU_IP=$NET.1
LOAD_IP=$NET.2

die() { echo "netns.sh: $*" >&2; exit 1; }

namespace_of() {
  case "$1" in
    sfu) echo "$NS_SFU" ;;
    load) echo "$NS_LOAD" ;;
    *) die "unknown namespace '$1' (sfu or load)" ;;
  esac
}

# True while a process exists and is not a zombie.
alive() { [ -r "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }

# Kills the processes still inside one of our namespaces (only they hold it open), by pid, and
# waits until they are gone (a namespace may already be released while its process still exits).
kill_inside() {
  local ns=$1 pids pid left
  ip netns list | grep -qw "^$ns" || return 0
  pids=$(ip netns pids "$ns" 2>/dev/null || true)
  [ -z "$pids" ] && return 0
  # shellcheck disable=SC2086
  kill -TERM $pids 2>/dev/null || true
  for _ in $(seq 1 100); do
    left=""
    for pid in $pids; do alive "$pid" && left="$left $pid"; done
    [ -z "$left" ] && return 0
    sleep 0.1
  done
  # shellcheck disable=SC2086
  kill -KILL $left 2>/dev/null || true
}

down() {
  local ns
  for ns in "$NS_SFU" "$NS_LOAD"; do
    kill_inside "$ns"
    if ip netns list | grep -qw "^$ns"; then
      ip netns delete "$ns"
    fi
  done
  # A veth end left on the host by an interrupted `up` (deleting a namespace removes its pair).
  ip link show "$IF_SFU" >/dev/null 2>&1 && ip link delete "$IF_SFU"
  ip link show "$IF_LOAD" >/dev/null 2>&1 && ip link delete "$IF_LOAD"
  return 0
}

check_range_unused() {
  # Our /24 must be unknown to the host: no address, no route into it.
  if ip -4 addr show | grep -q "inet $NET\."; then
    die "$NET.0/24 is already assigned on this machine; choose another SFUBENCH_NET"
  fi
  if ip -4 route show | grep -qE "^$NET\.|via $NET\."; then
    die "the host routes $NET.0/24 already; choose another SFUBENCH_NET"
  fi
}

setup_namespace() {
  local ns=$1 ifname=$2 addr=$3
  ip -n "$ns" link set lo up
  ip -n "$ns" addr add "$addr/24" dev "$ifname"
  ip -n "$ns" link set "$ifname" up
  # IPv4 only, so neither side gathers link-local IPv6 candidates; no forwarding.
  ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=0
}

wait_for_carrier() {
  local ns=$1 ifname=$2
  for _ in $(seq 1 50); do
    ip -n "$ns" -o link show dev "$ifname" | grep -q 'NO-CARRIER' || return 0
    sleep 0.1
  done
  die "$ifname in $ns has no carrier"
}

up() {
  [ "$(id -u)" -eq 0 ] || die "needs root"
  down
  check_range_unused
  trap down EXIT # a half-built network is removed; cleared when complete
  ip netns add "$NS_SFU"
  ip netns add "$NS_LOAD"
  # Created inside the SFU namespace with its peer placed straight into the load namespace:
  # neither end ever appears among the host's interfaces.
  ip -n "$NS_SFU" link add "$IF_SFU" type veth peer name "$IF_LOAD" netns "$NS_LOAD"
  setup_namespace "$NS_SFU" "$IF_SFU" "$SFU_IP"
  setup_namespace "$NS_LOAD" "$IF_LOAD" "$LOAD_IP"
  wait_for_carrier "$NS_SFU" "$IF_SFU"
  wait_for_carrier "$NS_LOAD" "$IF_LOAD"
  trap - EXIT
  echo "netns.sh: $NS_SFU ($IF_SFU $SFU_IP) <-> $NS_LOAD ($IF_LOAD $LOAD_IP)"
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
  up) up ;;
  down) down ;;
  exec)
    [ $# -ge 2 ] || die "usage: netns.sh exec sfu|load CMD..."
    ns=$(namespace_of "$1"); shift
    exec ip netns exec "$ns" "$@"
    ;;
  run)
    [ $# -ge 1 ] || die "usage: netns.sh run CMD..."
    up
    trap down EXIT
    trap 'exit 130' INT TERM
    export SFUBENCH_NS_SFU=$NS_SFU SFUBENCH_NS_LOAD=$NS_LOAD SFUBENCH_IF_SFU=$IF_SFU \
      SFUBENCH_IF_LOAD=$IF_LOAD SFUBENCH_SFU_IP=$SFU_IP SFUBENCH_LOAD_IP=$LOAD_IP
    "$@"
    ;;
  *) die "usage: netns.sh up|down|exec sfu|load CMD...|run CMD..." ;;
esac
