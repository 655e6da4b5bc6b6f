#!/usr/bin/env bash
# Round trip of publish offers with the stacks that make them: each stack (GStreamer webrtcbin,
# aiortc, Chromium, Firefox ESR) makes a fresh offer, the node's PublishNegotiator answers it (through the
# test class PublishAnswerMain), and the same stack applies the answer with setRemoteDescription.
# Prints one line per case, then `N passed, N failed`. A case the node is meant to refuse
# (webrtcbin's balanced policy offers no BUNDLE group) counts as passed when it is refused, as
# failed when it is answered.
#
# Needs root: each stack runs in a network namespace with only lo up. Installs the Debian
# packages and the browser driver's npm package it needs when they are missing, and compiles the
# webrtc module's test classes; with SDP_ROUNDTRIP_PREPARED=1 it does neither (the test command
# has done both when SdpCorpusRoundTripTest runs it).
# Usage: scripts/sdp-roundtrip.sh [webrtcbin|aiortc|chromium|firefox ...]   (default: all four)
set -uo pipefail
cd "$(dirname "$0")/.."
capture=webrtc/src/test/resources/sdp/capture

if [ "${SDP_ROUNDTRIP_PREPARED:-0}" != 1 ]; then
need_apt=()
/usr/bin/python3 -c "import gi; gi.require_version('GstWebRTC', '1.0')" 2>/dev/null \
  || need_apt+=(python3-gst-1.0 gir1.2-gst-plugins-bad-1.0 gstreamer1.0-plugins-bad gstreamer1.0-plugins-good
                gstreamer1.0-plugins-base gstreamer1.0-nice)
/usr/bin/python3 -c "import aiortc" 2>/dev/null || need_apt+=(python3-aiortc)
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v firefox-esr >/dev/null 2>&1 || need_apt+=(firefox-esr)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs npm)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "Installing ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "${need_apt[@]}" >/dev/null || exit 1
fi
browser_dir=multi-jvm-tests/src/test/browser
if [ ! -d "$browser_dir/node_modules/playwright-core" ] || [ ! -d "$browser_dir/node_modules/puppeteer-core" ]; then
  (cd "$browser_dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --silent) || exit 1
fi
mvn -B -q -o -pl webrtc test-compile >/dev/null || mvn -B -q -pl webrtc test-compile >/dev/null || exit 1
fi
answer="java -cp $PWD/webrtc/target/classes:$PWD/webrtc/target/test-classes org.adam.sfu.webrtc.sdp.PublishAnswerMain"
isolated() { unshare --net -- bash -c 'ip link set lo up && exec "$@"' isolated "$@"; }

# webrtcbin's balanced policy offers no BUNDLE group; its no-ssrc offer is answered (the node
# learns the SSRCs from the first packets, by payload type).
declare -A refused=([webrtcbin-balanced]=1)
passed=0
failed=0
check() { # name, then the stack's command
  local name=$1 line
  shift
  line=$("$@" 2>/dev/null | grep -E '^(PASS|FAIL|REFUSED) ' | tail -1)
  [ -n "$line" ] || line="FAIL $name: the stack printed no result"
  if [[ -n "${refused[$name]:-}" ]]; then
    case "$line" in REFUSED*) passed=$((passed + 1)); line="$line (expected)" ;; *) failed=$((failed + 1)); line="$line (a refusal was expected)" ;; esac
  else
    case "$line" in PASS*) passed=$((passed + 1)) ;; *) failed=$((failed + 1)) ;; esac
  fi
  echo "$line"
}

stacks=("$@")
[ ${#stacks[@]} -gt 0 ] || stacks=(webrtcbin aiortc chromium firefox)
for stack in "${stacks[@]}"; do
  case "$stack" in
    webrtcbin)
      for c in balanced max-compat max-bundle audio-only video-only datachannel recvonly no-ssrc; do
        check "webrtcbin-$c" isolated /usr/bin/python3 "$capture/webrtcbin.py" "$c" --answer-cmd "$answer"
      done ;;
    aiortc)
      for c in audio-video audio-only video-only datachannel; do
        check "aiortc-$c" isolated /usr/bin/python3 "$capture/aiortc_offer.py" "$c" --answer-cmd "$answer"
      done ;;
    chromium)
      for c in balanced max-compat max-bundle simulcast audio-only datachannel; do
        check "chromium-$c" isolated node "$capture/browser.mjs" "$c" --answer-cmd "$answer"
      done ;;
    firefox)
      for c in balanced max-compat max-bundle simulcast audio-only datachannel; do
        check "firefox-$c" isolated node "$capture/browser.mjs" "$c" --firefox --answer-cmd "$answer"
      done ;;
    *) echo "unknown stack $stack" >&2; exit 2 ;;
  esac
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
