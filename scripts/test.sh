#!/usr/bin/env bash
# Runs every test of the project: unit tests, RFC vectors, fuzzing, and the end-to-end tests
# with real node JVMs and headless Chromium. Installs what the tests need when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v unshare  >/dev/null 2>&1 || need_apt+=(util-linux)
command -v ip       >/dev/null 2>&1 || need_apt+=(iproute2)
command -v nft      >/dev/null 2>&1 || need_apt+=(nftables)
command -v node     >/dev/null 2>&1 || need_apt+=(nodejs npm)
command -v mvn      >/dev/null 2>&1 || need_apt+=(maven)
# The OpenSSL AES-GCM library for SRTP (decision 0016) builds only with these.
command -v cc       >/dev/null 2>&1 || need_apt+=(gcc)
[ -f /usr/include/openssl/evp.h ]   || need_apt+=(libssl-dev)
# The werift test client encodes and decodes through GStreamer, driven from Debian's python3.
command -v gst-launch-1.0 >/dev/null 2>&1 || need_apt+=(gstreamer1.0-tools)
/usr/bin/python3 -c 'import gi; gi.require_version("Gst", "1.0"); gi.require_version("GstVideo", "1.0")' \
  >/dev/null 2>&1 || need_apt+=(python3-gi python3-gst-1.0 gir1.2-gstreamer-1.0 gir1.2-gst-plugins-base-1.0)
for plugin in vp8enc vp8dec opusenc opusdec rtpvp8pay rtpopuspay videotestsrc audiotestsrc udpsrc; do
  if ! gst-inspect-1.0 "$plugin" >/dev/null 2>&1; then
    need_apt+=(gstreamer1.0-plugins-base gstreamer1.0-plugins-good)
    break
  fi
done
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "Installing ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

browser_dir=multi-jvm-tests/src/test/browser
if [ -f "$browser_dir/package.json" ] && [ ! -d "$browser_dir/node_modules/playwright-core" ]; then
  echo "Installing the browser driver's npm packages"
  (cd "$browser_dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
fi

node_clients_dir=multi-jvm-tests/src/test/clients/node
if [ -f "$node_clients_dir/package.json" ] && [ ! -d "$node_clients_dir/node_modules/werift" ]; then
  echo "Installing the Node test clients' npm packages"
  (cd "$node_clients_dir" && npm ci --no-audit --no-fund --silent)
fi

# Here the library must build and load: its tests fail instead of skipping.
export SFU_REQUIRE_OPENSSL_GCM=1
exec mvn -B -ntp verify "$@"
