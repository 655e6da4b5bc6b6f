// Notices quickly that a peer connection's network path is gone (the device changed networks):
// media that was arriving stops. ICE itself says `disconnected` only after 2.5 s or more, and a
// browser that does not gather again on a network change never finds the new path by itself.

/** How often the connection's received bytes are read. */
const CHECK_EVERY_MS = 150;
/** Nothing received for this long, on a connection that was receiving steadily: the path is gone. */
const SILENCE_MS = 600;
/** Checks in a row with bytes arriving before a connection counts as receiving steadily. */
const STEADY_CHECKS = 6;
/** Calls per silence, one every SILENCE_MS (the first may come while the caller is busy); then ICE's own states take over. */
const CALLS_PER_SILENCE = 5;

/**
 * Calls {@code onSilent} when {@code pc}, having received media steadily, receives nothing for
 * {@link SILENCE_MS}, and again every SILENCE_MS of the same silence, at most CALLS_PER_SILENCE
 * times. Stops when the connection closes. Returns {@code receivedWithin(ms)}: whether the
 * connection received anything in the last {@code ms} (as of its last check).
 */
export function watchPath(pc, onSilent) {
  let lastBytes = -1;
  let lastChange = performance.now();
  let steady = 0;
  let calls = 0;
  let lastCall = 0;
  let reading = false;
  const timer = setInterval(async () => {
    if (pc.connectionState === 'closed') {
      clearInterval(timer);
      return;
    }
    if (reading) return;
    reading = true;
    try {
      let bytes = 0;
      (await pc.getStats()).forEach((s) => { if (s.type === 'transport') bytes += s.bytesReceived || 0; });
      const now = performance.now();
      if (bytes !== lastBytes) {
        lastBytes = bytes;
        lastChange = now;
        steady = Math.min(steady + 1, STEADY_CHECKS);
        calls = 0;
      } else if (steady >= STEADY_CHECKS && now - lastChange >= SILENCE_MS && now - lastCall >= SILENCE_MS) {
        lastCall = now;
        calls += 1;
        if (calls >= CALLS_PER_SILENCE) steady = 0; // a long silence: it must receive steadily again
        onSilent();
      }
    } finally {
      reading = false;
    }
  }, CHECK_EVERY_MS);
  return (ms) => lastBytes > 0 && performance.now() - lastChange < ms;
}
