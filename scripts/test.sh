#!/usr/bin/env bash
# Runs every test of the project: unit tests, RFC vectors, fuzzing, and the end-to-end tests
# with real node JVMs and WebRTC stacks we did not write (Chromium, Firefox ESR, aiortc, GStreamer
# webrtcbin, libwebrtc and werift in Node). Installs what the tests need when it
# is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v firefox-esr >/dev/null 2>&1 || need_apt+=(firefox-esr)
command -v unshare  >/dev/null 2>&1 || need_apt+=(util-linux)
command -v ip       >/dev/null 2>&1 || need_apt+=(iproute2)
command -v nft      >/dev/null 2>&1 || need_apt+=(nftables)
command -v node     >/dev/null 2>&1 || need_apt+=(nodejs npm)
command -v mvn      >/dev/null 2>&1 || need_apt+=(maven)
# coturn: the STUN/TURN server the TURN client, --public-ip auto and NAT lab (docs/decisions/0024)
# tests start themselves.
command -v turnserver >/dev/null 2>&1 || need_apt+=(coturn)
# The OpenSSL AES-GCM library for SRTP (decision 0016) builds only with these.
command -v cc       >/dev/null 2>&1 || need_apt+=(gcc)
[ -f /usr/include/openssl/evp.h ]   || need_apt+=(libssl-dev)
# The call clients of the end-to-end tests (multi-jvm-tests/src/test/clients: aiortc, GStreamer
# webrtcbin, and werift's GStreamer codecs) run on Debian's Python and its packages, not on
# whatever python3 comes first on PATH.
/usr/bin/python3 -c 'import gi; gi.require_version("GstWebRTC", "1.0"); gi.require_version("GstVideo", "1.0")' \
  >/dev/null 2>&1 || need_apt+=(python3-gst-1.0 gir1.2-gst-plugins-bad-1.0 gir1.2-gst-plugins-base-1.0)
/usr/bin/python3 -c 'import websockets' >/dev/null 2>&1 || need_apt+=(python3-websockets)
/usr/bin/python3 -c "import aiortc" >/dev/null 2>&1 || need_apt+=(python3-aiortc)
command -v gst-inspect-1.0 >/dev/null 2>&1 || need_apt+=(gstreamer1.0-tools)
for plugin in webrtcbin:gstreamer1.0-plugins-bad nicesrc:gstreamer1.0-nice vp8enc:gstreamer1.0-plugins-good \
    x264enc:gstreamer1.0-plugins-ugly avdec_h264:gstreamer1.0-libav opusenc:gstreamer1.0-plugins-base \
    vp8dec:gstreamer1.0-plugins-good opusdec:gstreamer1.0-plugins-base videotestsrc:gstreamer1.0-plugins-base; do
  if ! gst-inspect-1.0 "${plugin%%:*}" >/dev/null 2>&1; then need_apt+=("${plugin#*:}"); fi
done
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "Installing ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  if [[ " ${need_apt[*]} " == *" coturn "* ]] && [ ! -e /etc/systemd/system/coturn.service ]; then
    # Debian's coturn enables and starts coturn.service on a systemd machine (TURNSERVER_ENABLED
    # in /etc/default/coturn is read by the SysV script only): masked first, it never runs.
    mkdir -p /etc/systemd/system
    ln -s /dev/null /etc/systemd/system/coturn.service
  fi
  apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
# Debian's coturn package enables its service; the tests run their own servers, never that one
# (a machine where coturn was installed before the mask above).
if [ -e /etc/systemd/system/multi-user.target.wants/coturn.service ]; then
  systemctl disable --now coturn >/dev/null 2>&1 || rm -f /etc/systemd/system/multi-user.target.wants/coturn.service
fi

browser_dir=multi-jvm-tests/src/test/browser
if [ -f "$browser_dir/package.json" ] && { [ ! -d "$browser_dir/node_modules/playwright-core" ] \
    || [ ! -d "$browser_dir/node_modules/puppeteer-core" ]; }; then
  echo "Installing the browser drivers' npm packages"
  (cd "$browser_dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1 \
    npm ci --no-audit --no-fund --silent)
fi

node_clients_dir=multi-jvm-tests/src/test/clients/node
if [ -f "$node_clients_dir/package.json" ] && [ ! -d "$node_clients_dir/node_modules/werift" ]; then
  echo "Installing the Node test clients' npm packages"
  (cd "$node_clients_dir" && npm ci --no-audit --no-fund --silent)
fi

# Here the library must build and load: its tests fail instead of skipping.
export SFU_REQUIRE_OPENSSL_GCM=1
rm -f multi-jvm-tests/target/interop-results.jsonl
status=0
mvn -B -ntp verify "$@" || status=$?
# A whole run rewrites the interop matrix (docs/interop.md) from what its tests recorded.
if [ $# -eq 0 ] && [ -s multi-jvm-tests/target/interop-results.jsonl ]; then
  python3 scripts/interop-report.py || status=1
fi
exit $status
