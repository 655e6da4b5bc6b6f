#!/usr/bin/env bash
# Regenerates the publish-offer corpus (../offers/<stack>-<case>.sdp) from the stacks on this
# machine. Run as root (for the network namespace): each stack runs in a namespace whose only
# interface is lo, so it reaches nothing and its SDP names no address of the machine.
#   apt-get install -y python3-gst-1.0 gir1.2-gst-plugins-bad-1.0 gstreamer1.0-plugins-bad \
#     gstreamer1.0-plugins-good gstreamer1.0-plugins-base gstreamer1.0-nice python3-aiortc chromium firefox-esr
#   (cd multi-jvm-tests/src/test/browser && npm ci)
# Usage: capture-all.sh [webrtcbin|aiortc|chromium|firefox ...]   (default: all four)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(cd "$here/../offers" && pwd)
isolated() { unshare --net -- bash -c 'ip link set lo up && exec "$@"' isolated "$@"; }

stacks=("$@")
[ ${#stacks[@]} -gt 0 ] || stacks=(webrtcbin aiortc chromium firefox)
for stack in "${stacks[@]}"; do
  case "$stack" in
    webrtcbin)
      for c in balanced max-compat max-bundle audio-only video-only datachannel recvonly no-ssrc; do
        isolated /usr/bin/python3 "$here/webrtcbin.py" "$c" --offer "$out/webrtcbin-$c.sdp" 2>/dev/null
      done
      # the same offer once gathering is complete: candidates in the SDP (non-trickle)
      isolated /usr/bin/python3 "$here/webrtcbin.py" max-bundle --offer /dev/null \
        --gathered "$out/webrtcbin-max-bundle-gathered.sdp" 2>/dev/null ;;
    aiortc)
      for c in audio-video audio-only video-only datachannel; do
        isolated /usr/bin/python3 "$here/aiortc_offer.py" "$c" --offer "$out/aiortc-$c.sdp"
      done ;;
    chromium)
      for c in balanced max-compat max-bundle simulcast audio-only datachannel; do
        isolated node "$here/browser.mjs" "$c" --offer "$out/chromium-$c.sdp"
      done
      isolated node "$here/browser.mjs" max-bundle --offer /dev/null --gathered "$out/chromium-max-bundle-gathered.sdp" ;;
    firefox)
      for c in balanced max-compat max-bundle simulcast audio-only datachannel; do
        isolated node "$here/browser.mjs" "$c" --firefox --offer "$out/firefox-$c.sdp"
      done ;;
    *) echo "unknown stack $stack" >&2; exit 2 ;;
  esac
done
ls -1 "$out"
