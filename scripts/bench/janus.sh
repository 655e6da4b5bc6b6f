#!/usr/bin/env bash
# Janus (Debian package `janus`, VideoRoom plugin) as the comparison SFU of the benchmark, run
# inside the benchmark's SFU namespace (see netns.sh, which must be up first).
#
#   janus.sh start    install Janus when missing, write our own minimal configuration into a fresh
#                     directory, start Janus in sfubench-sfu and wait until its HTTP API answers
#   janus.sh stop     stop the Janus started by `start` (by its pid; idempotent)
#   janus.sh status   whether it runs, and its API address
#
# Only the VideoRoom plugin and the plain HTTP transport are loaded (the plugin and transport
# folders hold just those two libraries); the HTTP API listens on the SFU namespace's address
# only; the admin API is off; ICE gathers on the veth interface only, with no STUN or TURN.
# Janus ignores loopback interfaces before applying ice_enforce_list, so it would announce the
# host's addresses if it ran outside the namespace.
#
# Environment: SFUBENCH_JANUS_DIR (configuration, log, pid; default /tmp/sfubench-janus),
# SFUBENCH_JANUS_ROOM (the configured room, default 1000), SFUBENCH_JANUS_DEBUG (log level 0-7,
# default 4), SFUBENCH_JANUS_EVENT_LOOPS (media loops, default one per core), SFUBENCH_NET (as in
# netns.sh).
set -euo pipefail

NS_SFU=sfubench-sfu
NS_LOAD=sfubench-load
IF_SFU=sfub-sfu
NET=${SFUBENCH_NET:-10.250.0}
SFU_IP=$NET.1
API_PORT=8088
DIR=${SFUBENCH_JANUS_DIR:-/tmp/sfubench-janus}
ROOM=${SFUBENCH_JANUS_ROOM:-1000}
DEBUG_LEVEL=${SFUBENCH_JANUS_DEBUG:-4}
# Janus media loops (event_loops); default one per core.
EVENT_LOOPS=${SFUBENCH_JANUS_EVENT_LOOPS:-$(nproc)}
LIBDIR=/usr/lib/x86_64-linux-gnu/janus

die() { echo "janus.sh: $*" >&2; exit 1; }

install_if_missing() {
  command -v janus >/dev/null 2>&1 && [ -e "$LIBDIR/plugins/libjanus_videoroom.so" ] && return 0
  echo "janus.sh: installing the janus package"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y --no-install-recommends janus; then
    apt-get update
    apt-get install -y --no-install-recommends janus
  fi
  # The package enables a system service with the stock configuration; we never want that one.
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    systemctl disable --now janus.service >/dev/null 2>&1 || true
  fi
}

write_config() {
  rm -rf "$DIR"
  mkdir -p "$DIR/conf" "$DIR/plugins" "$DIR/transports" "$DIR/events" "$DIR/loggers"
  ln -s "$LIBDIR/plugins/libjanus_videoroom.so" "$DIR/plugins/"
  ln -s "$LIBDIR/transports/libjanus_http.so" "$DIR/transports/"

  cat >"$DIR/conf/janus.jcfg" <<JCFG
# Janus core for the side-by-side benchmark (written by scripts/bench/janus.sh).
general: {
	configs_folder = "$DIR/conf"
	plugins_folder = "$DIR/plugins"
	transports_folder = "$DIR/transports"
	events_folder = "$DIR/events"
	loggers_folder = "$DIR/loggers"
	log_to_stdout = false
	log_to_file = "$DIR/janus.log"
	debug_level = $DEBUG_LEVEL
	debug_timestamps = true
	debug_colors = false
	server_name = "sfubench-janus"
	interface = "$SFU_IP"
	session_timeout = 60
	# A fixed pool of media loops, one per core, instead of Janus's default thread per handle
	# (hundreds of threads at the larger fan-outs): how Janus is meant to be run at scale.
	event_loops = $EVENT_LOOPS
}

certificates: {
}

media: {
	ipv6 = false
	rtp_port_range = "20000-29999"
	dtls_mtu = 1200
	no_media_timer = 2
}

nat: {
	nice_debug = false
	full_trickle = false
	ice_lite = false
	ice_tcp = false
	ignore_mdns = true
	ice_enforce_list = "$IF_SFU"
}

plugins: {
}

transports: {
}

loggers: {
}

events: {
	broadcast = false
}
JCFG

  cat >"$DIR/conf/janus.transport.http.jcfg" <<JCFG
# Plain HTTP Janus API on the SFU namespace's address only; no HTTPS, no admin API.
general: {
	events = false
	json = "plain"
	base_path = "/janus"
	http = true
	port = $API_PORT
	ip = "$SFU_IP"
	https = false
}

admin: {
	admin_http = false
	admin_https = false
}

cors: {
}
JCFG

  cat >"$DIR/conf/janus.plugin.videoroom.jcfg" <<JCFG
# VideoRoom for the benchmark: rooms may also be created through the API (no admin key).
general: {
	events = false
}

room-$ROOM: {
	description = "sfubench"
	is_private = false
	publishers = 500
	bitrate = 2500000
	bitrate_cap = false
	fir_freq = 10
	audiocodec = "opus"
	videocodec = "vp8"
	record = false
	notify_joining = false
}
JCFG
}

pid_of_janus() {
  [ -f "$DIR/janus.pid" ] || return 1
  local pid
  pid=$(cat "$DIR/janus.pid")
  kill -0 "$pid" 2>/dev/null && [ "$(cat /proc/"$pid"/comm 2>/dev/null)" = janus ] && echo "$pid"
}

# GET /janus/info from the load namespace, with bash's own TCP client (no curl needed).
api_answers() {
  ip netns exec "$NS_LOAD" timeout 3 bash -c \
    "exec 3<>/dev/tcp/$SFU_IP/$API_PORT && printf 'GET /janus/info HTTP/1.0\r\nHost: $SFU_IP\r\n\r\n' >&3 && cat <&3" \
    2>/dev/null | grep -q '"server_info"'
}

start() {
  [ "$(id -u)" -eq 0 ] || die "needs root"
  ip netns list | grep -qw "^$NS_SFU" || die "namespace $NS_SFU missing: run scripts/bench/netns.sh up first"
  ip netns list | grep -qw "^$NS_LOAD" || die "namespace $NS_LOAD missing: run scripts/bench/netns.sh up first"
  pid_of_janus >/dev/null && die "Janus already runs (pid $(cat "$DIR/janus.pid"))"
  install_if_missing
  write_config
  ip netns exec "$NS_SFU" janus --config="$DIR/conf/janus.jcfg" --configs-folder="$DIR/conf" \
    --disable-stdout >"$DIR/janus.stdout" 2>&1 </dev/null &
  echo $! >"$DIR/janus.pid"
  for _ in $(seq 1 100); do
    if api_answers; then
      echo "janus.sh: Janus $(janus --version 2>/dev/null | sed -n 's/^Janus version: [0-9]* (\(.*\))/\1/p') (pid $(cat "$DIR/janus.pid")) answers at http://$SFU_IP:$API_PORT/janus in $NS_SFU; log $DIR/janus.log"
      return 0
    fi
    pid_of_janus >/dev/null || { tail -n 30 "$DIR/janus.log" "$DIR/janus.stdout" >&2 2>/dev/null; die "Janus exited"; }
    sleep 0.2
  done
  tail -n 30 "$DIR/janus.log" >&2 2>/dev/null || true
  stop
  die "Janus did not answer on http://$SFU_IP:$API_PORT/janus within 20 s"
}

stop() {
  local pid
  pid=$(pid_of_janus) || { rm -f "$DIR/janus.pid"; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$DIR/janus.pid"
  echo "janus.sh: stopped Janus (pid $pid)"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status)
    if pid=$(pid_of_janus); then echo "running (pid $pid) at http://$SFU_IP:$API_PORT/janus"; else echo "not running"; exit 1; fi
    ;;
  *) die "usage: janus.sh start|stop|status" ;;
esac
