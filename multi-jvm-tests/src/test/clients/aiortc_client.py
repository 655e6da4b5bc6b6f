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

import argparse
import asyncio
import fractions
import json
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
import websockets


def log(*parts):
    print(*parts, file=sys.stderr, flush=True)


def emit(event, **fields):
    fields = {"event": event, **fields}
    if "t" not in fields:
        fields["t"] = time.monotonic()
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


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

def msids_by_mid(sdp):
    """{mid: (participantId, trackId)} from the a=msid lines of an SDP."""
    result = {}
    mid = None
    msid = None

    def flush():
        if mid is not None and msid is not None:
            result[mid] = msid

    for line in sdp.splitlines():
        if line.startswith("m="):
            flush()
            mid, msid = None, None
        elif line.startswith("a=mid:"):
            mid = line[len("a=mid:"):].strip()
        elif line.startswith("a=msid:"):
            parts = line[len("a=msid:"):].split()
            if len(parts) >= 2:
                msid = (parts[0], parts[1])
    flush()
    return result


class Client:
    def __init__(self, args):
        self.args = args
        self.ws = None
        self.participant_id = None
        self.joined_at = None
        self.publish_pc = None
        self.subscribe_pc = None
        self.msids = {}            # mid -> (participantId, trackId), from the latest subscribe offer
        self.track_owners = {}     # trackId -> participantId, from track-published / joined.tracks
        self.counts = {}           # participantId -> {"video": n, "audio": n}
        self.first = set()         # (participantId, kind, trackId) already reported
        self.tasks = set()
        self.done = asyncio.Event()
        self.pong = asyncio.Event()
        self.config = RTCConfiguration(iceServers=[])

    def spawn(self, coro):
        task = asyncio.ensure_future(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    async def send(self, frame):
        await self.ws.send(json.dumps(frame))

    async def run(self):
        async with websockets.connect(self.args.url, max_size=None, ping_interval=None,
                                      open_timeout=10) as ws:
            self.ws = ws
            self.spawn(self.read_stdin())
            self.spawn(self.report_counts())
            reader = self.spawn(self.read_signal())
            await self.done.wait()
            await self.leave()
            reader.cancel()

    async def read_signal(self):
        try:
            async for text in self.ws:
                frame = json.loads(text)
                try:
                    await self.on_frame(frame)
                except Exception as e:  # one bad frame must not end the client
                    emit("error", message=f"{type(e).__name__} handling {frame.get('type')}: {e}")
                    log(f"error handling {frame.get('type')}: {e!r}")
            emit("error", message="signal socket closed by the node")
        except websockets.ConnectionClosed as e:
            emit("error", message=f"signal socket closed: {e}")
        self.done.set()

    async def on_frame(self, frame):
        kind = frame.get("type")
        if kind == "hello":
            emit("hello", node=frame.get("node"))
            await self.send({
                "type": "join", "id": "join-1",
                "neighbourhood": self.args.neighbourhood, "room": self.args.room,
                "did": "did:key:z6Mk" + self.args.name, "name": self.args.name,
                "autoSubscribe": True,
            })
        elif kind == "joined":
            self.joined_at = time.monotonic()
            self.participant_id = frame["participantId"]
            for track in frame.get("tracks", []):
                self.track_owners[track["trackId"]] = track["participantId"]
            emit("joined", participantId=self.participant_id, node=frame.get("node"),
                 topology=frame.get("topology"), t=self.joined_at)
            if self.args.publish:
                await self.publish()
        elif kind == "answer" and frame.get("pc") == "publish":
            if self.args.verbose:
                log("publish answer:\n" + frame["sdp"])
            await self.publish_pc.setRemoteDescription(RTCSessionDescription(sdp=frame["sdp"], type="answer"))
            emit("published")
        elif kind == "offer" and frame.get("pc") == "subscribe":
            await self.answer_subscribe(frame["sdp"])
        elif kind == "track-published":
            track = frame["track"]
            self.track_owners[track["trackId"]] = track["participantId"]
            emit("signal", type=kind, track=track)
        elif kind == "pong":
            self.pong.set()
        elif kind == "error":
            emit("error", message=f"node error {frame.get('code')}: {frame.get('message')}", code=frame.get("code"))
        elif kind in ("participant-joined", "participant-left", "track-unpublished"):
            emit("signal", type=kind, frame=frame)

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

    async def report_counts(self):
        while True:
            await asyncio.sleep(0.5)
            emit("frames", counts=self.counts, plisSuppressed=PLIS_SUPPRESSED)

    async def read_stdin(self):
        loop = asyncio.get_running_loop()
        reader = asyncio.StreamReader()
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
        while True:
            line = await reader.readline()
            if not line:
                break
            command = line.decode().strip()
            if command == "leave":
                break
            if command:
                emit("error", message=f"unknown command {command!r}")
        self.done.set()

    async def leave(self):
        # The node handles a socket's requests in order: its pong says the leave went through, so
        # closing the peer connections afterwards is not mistaken for a lost connection.
        try:
            await self.send({"type": "leave"})
            await self.send({"type": "ping"})
            await asyncio.wait_for(self.pong.wait(), 3)
        except Exception:
            pass
        for pc in (self.publish_pc, self.subscribe_pc):
            if pc is not None:
                await pc.close()
        emit("frames", counts=self.counts, plisSuppressed=PLIS_SUPPRESSED)
        emit("left")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="ws://127.0.0.1:PORT/signal")
    parser.add_argument("--room", required=True)
    parser.add_argument("--name", required=True)
    parser.add_argument("--neighbourhood", default="neighbourhood://test")
    parser.add_argument("--no-pli", action="store_true", help="never send PLI (nor FIR); NACKs stay")
    parser.add_argument("--publish", default="audio,video", help="audio,video | audio | video | none")
    parser.add_argument("--codec", default="vp8", choices=["vp8", "h264"])
    parser.add_argument("--keyframe-interval", type=float, default=0, metavar="SECONDS",
                        help="publish a video keyframe this often (default: only when a receiver asks)")
    parser.add_argument("--verbose", action="store_true", help="SDP to stderr")
    args = parser.parse_args()
    args.publish = [] if args.publish == "none" else [k.strip() for k in args.publish.split(",") if k.strip()]
    if args.no_pli:
        disable_keyframe_requests()
    client = Client(args)
    try:
        asyncio.run(client.run())
    except KeyboardInterrupt:
        pass
    except Exception as e:
        emit("error", message=f"{type(e).__name__}: {e}")
        log(repr(e))
        sys.exit(1)


if __name__ == "__main__":
    main()
