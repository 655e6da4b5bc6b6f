#!/usr/bin/env bash
# Runs every test of the project: unit tests, RFC vectors, fuzzing, and the end-to-end tests
# with real node JVMs, headless Chromium and aiortc clients. Installs what the tests need when it
# is missing.
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
# The aiortc call client of the end-to-end tests (multi-jvm-tests/src/test/clients) runs on
# Debian's Python and its packages, not on whatever python3 comes first on PATH.
/usr/bin/python3 -c 'import aiortc' >/dev/null 2>&1     || need_apt+=(python3-aiortc)
/usr/bin/python3 -c 'import websockets' >/dev/null 2>&1 || need_apt+=(python3-websockets)
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

# Here the library must build and load: its tests fail instead of skipping.
export SFU_REQUIRE_OPENSSL_GCM=1
exec mvn -B -ntp verify "$@"
