#!/usr/bin/python3
"""An SFU call client on aiortc (Debian's python3-aiortc 1.4), driven through /signal.

Joins a room, publishes a synthetic video track (a moving picture) and a synthetic audio track
(a sine) on the publish peer connection, answers the node's subscribe offers, and counts the
frames it DECODES per received track, each track mapped to its publisher by the subscribe
offer's a=msid (`<participantId> <trackId>`).

Events, one JSON object per line on stdout (`t` is time.monotonic() of this process):
  {"event":"hello","node":...}
  {"event":"joined","participantId":...,"node":...,"t":...}
  {"event":"published","t":...}                          (the node answered the publish offer)
  {"event":"connection","pc":"publish"|"subscribe","state":...,"t":...}
  {"event":"track","from":...,"kind":...,"trackId":...,"mid":...,"t":...}
  {"event":"first-frame","from":...,"kind":"video"|"audio","trackId":...,"t":...,"sinceJoined":...}
  {"event":"frames","counts":{"<participantId>":{"video":n,"audio":n}},"plisSuppressed":n,"t":...}
                                                         (every 0.5 s, and once more on leaving)
  {"event":"keyframe-request","kind":...,"t":...}        (the node asked this publisher for one)
  {"event":"signal","type":...}                          (other node frames, e.g. participant-left)
  {"event":"error","message":...}
  {"event":"left","t":...}
Commands on stdin, one a line: `leave` (leave the call and exit). End of stdin does the same.

--keyframe-interval S makes the video publisher send a keyframe every S seconds besides the ones
receivers ask for (by default aiortc sends one first, then only on request or after 3,000 frames).

--no-pli makes this receiver never send a PLI (aiortc sends no FIR at all), as a recorder would;
NACKs are still sent. Diagnostics go to stderr.

Everything stays on 127.0.0.1: ICE gathers the loopback address only and no STUN server is used.
"""

import asyncio
import fractions
import math
import sys
import time

import aioice.ice
import numpy
from av import AudioFrame, VideoFrame

import aiortc.codecs
from aiortc import (
    RTCConfiguration,
    RTCPeerConnection,
    RTCRtpSender,
    RTCSessionDescription,
)
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack, VideoStreamTrack
from aiortc.rtcrtpreceiver import RTCRtpReceiver

from call_client import CallClient, arguments, emit, log, msids_by_mid, publish_kinds, run


# --- aiortc 1.4 / aioice 0.8 adjustments -------------------------------------------------------

# aioice leaves 127.0.0.1 out of the host candidates; the node and this client only ever talk over
# loopback, so loopback is the one address gathered.
def _loopback_only(use_ipv4, use_ipv6):
    return ["127.0.0.1"] if use_ipv4 else []


aioice.ice.get_host_addresses = _loopback_only

# aiortc's own offer gives RTP header-extension id 2 to ssrc-audio-level on audio and to
# abs-send-time on video: in one BUNDLE that id has two meanings. Give abs-send-time its own id, so
# the offer and the packets aiortc sends agree with each other and with the rest of the bundle.
for _ext in aiortc.codecs.HEADER_EXTENSIONS["video"]:
    if _ext.uri.endswith("abs-send-time"):
        _ext.id = 3

PLIS_SUPPRESSED = 0
_request_keyframe = RTCRtpSender._send_keyframe


def _keyframe_requested(self):
    # aiortc's sender calls this on a PLI from the node (it ignores FIR).
    emit("keyframe-request", kind=self.kind)
    _request_keyframe(self)


RTCRtpSender._send_keyframe = _keyframe_requested


def disable_keyframe_requests():
    """The receiver never asks for a keyframe. aiortc 1.4 sends PLI from one place only (on jitter
    buffer loss or a sequence jump) and never sends FIR; NACKs are left alone."""

    async def no_pli(self, media_ssrc):
        global PLIS_SUPPRESSED
        PLIS_SUPPRESSED += 1
        log(f"PLI for ssrc {media_ssrc} not sent (--no-pli)")

    RTCRtpReceiver._send_rtcp_pli = no_pli


# --- synthetic media ----------------------------------------------------------------------------

class MovingPicture(VideoStreamTrack):
    """320x240 at 30 fps: a bright bar sweeping across a slowly shifting gradient, the colour
    drifting, and the frame number drawn as 16 black/white blocks along the top."""

    def __init__(self, width=320, height=240):
        super().__init__()
        self.width = width
        self.height = height
        self.count = 0
        self.base = numpy.tile(numpy.linspace(40, 200, width, dtype=numpy.float32), (height, 1))

    async def recv(self):
        pts, time_base = await self.next_timestamp()
        n = self.count
        self.count += 1
        w, h = self.width, self.height
        y = numpy.roll(self.base, n * 2, axis=1).astype(numpy.uint8)
        bar = (n * 4) % w
        y[:, bar:bar + 16] = 235
        block = w // 16
        for bit in range(16):
            y[0:16, bit * block:(bit + 1) * block] = 235 if (n >> bit) & 1 else 16
        u = numpy.full((h // 2, w // 2), 128 + int(60 * math.sin(n / 45.0)), dtype=numpy.uint8)
        v = numpy.full((h // 2, w // 2), 128 + int(60 * math.cos(n / 60.0)), dtype=numpy.uint8)
        frame = VideoFrame.from_ndarray(numpy.concatenate([y, u.reshape(h // 4, w), v.reshape(h // 4, w)]),
                                        format="yuv420p")
        frame.pts = pts
        frame.time_base = time_base
        return frame


class Sine(MediaStreamTrack):
    """A 440 Hz sine, 48 kHz mono, in 20 ms frames."""

    kind = "audio"
    RATE = 48000
    SAMPLES = 960

    def __init__(self):
        super().__init__()
        self.start = None
        self.timestamp = 0
        t = numpy.arange(self.RATE, dtype=numpy.float64) / self.RATE
        self.second = (numpy.sin(2 * math.pi * 440 * t) * 8000).astype(numpy.int16)

    async def recv(self):
        if self.readyState != "live":
            raise MediaStreamError
        if self.start is None:
            self.start = time.time()
        else:
            self.timestamp += self.SAMPLES
            await asyncio.sleep(self.start + self.timestamp / self.RATE - time.time())
        offset = self.timestamp % self.RATE
        samples = numpy.take(self.second, range(offset, offset + self.SAMPLES), mode="wrap")
        frame = AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = self.RATE
        frame.pts = self.timestamp
        frame.time_base = fractions.Fraction(1, self.RATE)
        return frame


# --- the client ---------------------------------------------------------------------------------

class Client(CallClient):
    def __init__(self, args):
        super().__init__(args)
        self.publish_pc = None
        self.subscribe_pc = None
        self.config = RTCConfiguration(iceServers=[])

    async def on_publish_answer(self, sdp):
        await self.publish_pc.setRemoteDescription(RTCSessionDescription(sdp=sdp, type="answer"))

    async def close_media(self):
        for pc in (self.publish_pc, self.subscribe_pc):
            if pc is not None:
                await pc.close()

    def snapshot(self):
        return self.counts, PLIS_SUPPRESSED

    def watch_state(self, pc, name):
        @pc.on("connectionstatechange")
        def changed():
            emit("connection", pc=name, state=pc.connectionState)

    async def publish(self):
        pc = RTCPeerConnection(self.config)
        self.publish_pc = pc
        self.watch_state(pc, "publish")
        kinds = self.args.publish
        if "audio" in kinds:
            pc.addTransceiver(Sine(), direction="sendonly")
        if "video" in kinds:
            transceiver = pc.addTransceiver(MovingPicture(), direction="sendonly")
            wanted = "video/" + self.args.codec.upper()
            codecs = RTCRtpSender.getCapabilities("video").codecs
            chosen = [c for c in codecs if c.mimeType.upper() == wanted.upper()]
            if not chosen:
                raise SystemExit(f"aiortc offers no {wanted}")
            transceiver.setCodecPreferences(chosen)
            if self.args.keyframe_interval > 0:
                self.spawn(self.send_keyframes(transceiver.sender, self.args.keyframe_interval))
        # aiortc gathers before setLocalDescription returns: the SDP carries its candidates.
        await pc.setLocalDescription(await pc.createOffer())
        sdp = pc.localDescription.sdp
        if self.args.verbose:
            log("publish offer:\n" + sdp)
        await self.send({"type": "offer", "pc": "publish", "sdp": sdp})

    async def send_keyframes(self, sender, interval):
        # aiortc's encoder makes a keyframe on its first frame and then only when asked (or after
        # 3,000 frames); this asks it as a receiver's PLI would.
        while True:
            await asyncio.sleep(interval)
            _request_keyframe(sender)

    async def answer_subscribe(self, sdp):
        if self.args.verbose:
            log("subscribe offer:\n" + sdp)
        self.msids.update(msids_by_mid(sdp))
        if self.subscribe_pc is None:
            pc = RTCPeerConnection(self.config)
            self.subscribe_pc = pc
            self.watch_state(pc, "subscribe")

            @pc.on("track")
            def on_track(track):
                self.spawn(self.consume(pc, track))

        pc = self.subscribe_pc
        await pc.setRemoteDescription(RTCSessionDescription(sdp=sdp, type="offer"))
        await pc.setLocalDescription(await pc.createAnswer())
        answer = pc.localDescription.sdp
        if self.args.verbose:
            log("subscribe answer:\n" + answer)
        await self.send({"type": "answer", "pc": "subscribe", "sdp": answer})

    def owner_of(self, pc, track):
        mid = None
        for transceiver in pc.getTransceivers():
            if transceiver.receiver.track is track:
                mid = transceiver.mid
        if mid in self.msids:
            return mid, self.msids[mid][0]
        return mid, self.track_owners.get(track.id, "unknown")

    async def consume(self, pc, track):
        # Let setRemoteDescription finish assigning mids before looking the track up.
        await asyncio.sleep(0)
        mid, owner = self.owner_of(pc, track)
        emit("track", **{"from": owner, "kind": track.kind, "trackId": track.id, "mid": mid})
        counts = self.counts.setdefault(owner, {"video": 0, "audio": 0})
        try:
            while True:
                await track.recv()
                counts[track.kind] = counts.get(track.kind, 0) + 1
                key = (owner, track.kind, track.id)
                if key not in self.first:
                    self.first.add(key)
                    now = time.monotonic()
                    # counts first, so whoever reads first-frame finds the counts that go with it
                    emit("frames", counts=self.counts, plisSuppressed=PLIS_SUPPRESSED)
                    emit("first-frame", **{"from": owner, "kind": track.kind, "trackId": track.id, "t": now,
                                           "sinceJoined": round(now - self.joined_at, 4)})
        except MediaStreamError:
            log(f"track {track.id} ({track.kind} from {owner}) ended")


def main():
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument("--codec", default="vp8", choices=["vp8", "h264"])
    parser.add_argument("--keyframe-interval", type=float, default=0, metavar="SECONDS",
                        help="publish a video keyframe this often (default: only when a receiver asks)")
    args = parser.parse_args()
    args.publish = publish_kinds(args.publish)
    if args.no_pli:
        disable_keyframe_requests()
    sys.exit(run(Client(args)))


if __name__ == "__main__":
    main()
