#!/usr/bin/python3
"""An SFU call client on GStreamer's webrtcbin (Debian's GStreamer 1.22), driven through /signal.

Joins a room, publishes a synthetic video track (videotestsrc's moving ball) and a synthetic audio
track (a sine) on the publish webrtcbin, answers the node's subscribe offers on a second
webrtcbin, and counts the frames it DECODES per received track (a probe after each decoder), each
track mapped to its publisher by the subscribe offer's a=msid (`<participantId> <trackId>`) of
the track's mid.

Events, one JSON object per line on stdout (`t` is time.monotonic() of this process), the same as
aiortc_client.py's:
  {"event":"hello","node":...}
  {"event":"joined","participantId":...,"node":...,"t":...}
  {"event":"published","t":...}                          (the node answered the publish offer)
  {"event":"connection","pc":"publish"|"subscribe","state":...,"t":...}
  {"event":"track","from":...,"kind":...,"trackId":...,"mid":...,"t":...}
  {"event":"first-frame","from":...,"kind":"video"|"audio","trackId":...,"t":...,"sinceJoined":...}
  {"event":"frames","counts":{"<participantId>":{"video":n,"audio":n}},"t":...}   (every 0.5 s)
  {"event":"signal","type":...}                          (other node frames, e.g. participant-left)
  {"event":"error","message":...}
  {"event":"left","t":...}
Commands on stdin, one a line: `leave` (leave the call and exit). End of stdin does the same.

The video encoder makes a keyframe at the start and then only when a receiver asks (PLI or FIR,
which webrtcbin's RTP session turns into a force-key-unit event to the encoder), as browsers do.

--no-pli makes this receiver never send a PLI or FIR, as a recorder would: the depayloaders do not
ask for keyframes and every force-key-unit request travelling upstream from the decoding branch
is dropped before it reaches webrtcbin's RTP session, the only place that turns it into RTCP.
NACKs are still sent. Diagnostics go to stderr.

--bundle-policy sets the publish webrtcbin's policy. max-compat (the default) offers every m-line
with a port in one BUNDLE group. With max-bundle, GStreamer 1.22 marks every m-line but the first
`a=bundle-only` with port 0 (RFC 8843 7.2), bundled all the same. webrtcbin 1.22
treats balanced like none: no BUNDLE group and an ICE ufrag per m-line, which the node refuses
(bundle is required).

Everything stays on 127.0.0.1: libnice is told the loopback address as its only local address
and no STUN server is used.
"""

import concurrent.futures
import ctypes
import json
import sys
import threading
import time

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstWebRTC", "1.0")
gi.require_version("GstSdp", "1.0")
from gi.repository import GLib, Gst, GstSdp, GstWebRTC  # noqa: E402

from call_client import CallClient, arguments, emit, log, msids_by_mid, publish_kinds, run  # noqa: E402


# --- GStreamer 1.22 adjustments -----------------------------------------------------------------

_gobject = ctypes.CDLL("libgobject-2.0.so.0")
_gobject.g_object_ref.restype = ctypes.c_void_p
_gobject.g_object_ref.argtypes = [ctypes.c_void_p]
ctypes.pythonapi.PyCapsule_GetPointer.restype = ctypes.c_void_p
ctypes.pythonapi.PyCapsule_GetPointer.argtypes = [ctypes.py_object, ctypes.c_char_p]


def loopback_only(webrtc):
    """libnice leaves loopback addresses out of its host candidates unless it is given local
    addresses explicitly; given any, it gathers on those only.

    webrtcbin 1.22's `ice-agent` getter hands out its own reference (g_value_take_object instead of
    g_value_set_object), so the wrapper Python makes would free the agent under webrtcbin when it
    is collected: take one more reference first, which webrtcbin's eventual unref balances."""
    agent = webrtc.get_property("ice-agent")
    _gobject.g_object_ref(ctypes.pythonapi.PyCapsule_GetPointer(agent.__gpointer__, None))
    agent.emit("add-local-ip-address", "127.0.0.1")


def promise_reply(webrtc, signal, *args, field=None):
    """Emits one of webrtcbin's promise-taking action signals and waits for its reply; with `field`
    (offer or answer) returns that description (a copy) and its SDP text."""
    promise = Gst.Promise.new()
    webrtc.emit(signal, *args, promise)
    result = promise.wait()
    if result != Gst.PromiseResult.REPLIED:
        raise RuntimeError(f"{signal}: promise {result.value_nick}")
    reply = promise.get_reply()
    if reply is not None and reply.has_field("error"):
        raise RuntimeError(f"{signal}: {reply.get_value('error').message}")
    if field is None:
        return None
    # The description in the reply belongs to the promise's structure: keep only its text, and
    # build a new description from it for the next step.
    text = reply.get_value(field).sdp.as_text()
    return session_description(field, text), text


def session_description(kind, text):
    ok, sdp = GstSdp.SDPMessage.new_from_text(text)
    if ok != GstSdp.SDPResult.OK:
        raise RuntimeError(f"unparsable {kind} SDP")
    return GstWebRTC.WebRTCSessionDescription.new(
        GstWebRTC.WebRTCSDPType.OFFER if kind == "offer" else GstWebRTC.WebRTCSDPType.ANSWER, sdp)


# --- synthetic media ----------------------------------------------------------------------------

VIDEO_CODECS = {
    # payload type, encoder and payloader, caps of the RTP stream given to webrtcbin
    "vp8": (96, "vp8enc deadline=1 cpu-used=8 keyframe-max-dist=3000 target-bitrate=600000 ! "
                "rtpvp8pay picture-id-mode=15-bit",
            "encoding-name=VP8"),
    "vp9": (98, "vp9enc deadline=1 cpu-used=8 keyframe-max-dist=3000 target-bitrate=600000 ! "
                "rtpvp9pay picture-id-mode=15-bit",
            "encoding-name=VP9"),
    "h264": (102, "x264enc tune=zerolatency speed-preset=ultrafast key-int-max=3000 bitrate=600 ! "
                  "video/x-h264,profile=constrained-baseline ! "
                  "rtph264pay config-interval=-1 aggregate-mode=zero-latency",
             "encoding-name=H264,packetization-mode=(string)1,profile-level-id=(string)42e01f,"
             "level-asymmetry-allowed=(string)1"),
}

FEEDBACK = "rtcp-fb-nack=(boolean)true,rtcp-fb-nack-pli=(boolean)true,rtcp-fb-ccm-fir=(boolean)true"


# --- the client ---------------------------------------------------------------------------------

class Client(CallClient):
    def __init__(self, args):
        super().__init__(args)
        self.publish_pipe = None
        self.publish_webrtc = None
        self.subscribe_pipe = None
        self.subscribe_webrtc = None
        self.lock = threading.Lock()
        self.keyframe_requests_dropped = 0
        self.executor = concurrent.futures.ThreadPoolExecutor(max_workers=1)

    def from_gst(self, function, *args):
        """Runs `function(*args)` on the asyncio loop; for callbacks on GStreamer's threads."""
        self.loop.call_soon_threadsafe(function, *args)

    async def gst(self, function, *args):
        """Runs a blocking webrtcbin operation off the asyncio loop, one at a time."""
        return await self.loop.run_in_executor(self.executor, function, *args)

    async def on_publish_answer(self, sdp):
        answer = session_description("answer", sdp)
        await self.gst(promise_reply, self.publish_webrtc, "set-remote-description", answer)

    async def close_media(self):
        for pipe in (self.publish_pipe, self.subscribe_pipe):
            if pipe is not None:
                await self.gst(pipe.set_state, Gst.State.NULL)

    # --- GStreamer plumbing ---

    def new_pipeline(self, pc, description):
        parsed = Gst.parse_launch(description)
        if isinstance(parsed, Gst.Pipeline):
            pipe = parsed
        else:  # a description of one element parses to that element alone
            pipe = Gst.Pipeline.new(pc)
            pipe.add(parsed)
        webrtc = pipe.get_by_name("webrtc")
        loopback_only(webrtc)
        webrtc.connect("notify::connection-state", self.on_state, pc)
        webrtc.connect("on-ice-candidate", self.on_candidate, pc)
        bus = pipe.get_bus()
        bus.add_signal_watch()
        bus.connect("message::error", self.on_bus_error, pc)
        bus.connect("message::warning", self.on_bus_warning, pc)
        return pipe, webrtc

    def on_state(self, webrtc, _spec, pc):
        state = webrtc.get_property("connection-state").value_nick
        emit("connection", pc=pc, state=state)

    def on_candidate(self, _webrtc, mline, candidate, pc):
        # The node is ICE-lite and learns the address from the connectivity checks; candidates are
        # sent anyway, as the protocol describes, under the first m-line (BUNDLE).
        self.from_gst(self.spawn, self.send({"type": "candidate", "pc": pc, "candidate": candidate,
                                             "sdpMid": "0", "sdpMLineIndex": 0}))

    def on_bus_error(self, _bus, message, pc):
        error, debug = message.parse_error()
        emit("error", message=f"{pc} pipeline: {error.message} ({message.src.get_name()})")
        log(f"{pc} pipeline error: {error.message}: {debug}")

    def on_bus_warning(self, _bus, message, pc):
        warning, debug = message.parse_warning()
        log(f"{pc} pipeline warning: {warning.message}: {debug}")

    async def publish(self):
        kinds = self.args.publish
        branches = []
        if "audio" in kinds:
            branches.append(
                "audiotestsrc is-live=true wave=sine freq=440 volume=0.3 ! audioconvert ! audioresample ! "
                "audio/x-raw,rate=48000,channels=1 ! opusenc frame-size=20 ! rtpopuspay pt=111 ! "
                "application/x-rtp,media=audio,encoding-name=OPUS,clock-rate=48000,payload=111,"
                "encoding-params=(string)2 ! webrtc.")
        if "video" in kinds:
            pt, encode, caps = VIDEO_CODECS[self.args.codec]
            branches.append(
                "videotestsrc is-live=true pattern=ball ! video/x-raw,width=320,height=240,framerate=30/1 ! "
                f"videoconvert ! queue max-size-buffers=2 leaky=downstream ! {encode} pt={pt} ! "
                f"application/x-rtp,media=video,clock-rate=90000,payload={pt},{caps},{FEEDBACK} ! webrtc.")
        description = f"webrtcbin name=webrtc bundle-policy={self.args.bundle_policy} " + " ".join(branches)
        self.publish_pipe, self.publish_webrtc = self.new_pipeline("publish", description)
        sdp = await self.gst(self.make_publish_offer)
        if self.args.verbose:
            log("publish offer:\n" + sdp)
        await self.send({"type": "offer", "pc": "publish", "sdp": sdp})

    def make_publish_offer(self):
        webrtc = self.publish_webrtc
        self.publish_pipe.set_state(Gst.State.PLAYING)
        # webrtcbin 1.22 writes the offer from the caps its sink pads have when asked; before the
        # payloaders have sent theirs it falls back to the capsfilters' and leaves out the SSRC,
        # the Opus channel count (RFC 7587 requires opus/48000/2) and the fmtp. Wait for them.
        deadline = time.monotonic() + 10
        while any(pad.get_current_caps() is None for pad in webrtc.sinkpads):
            if time.monotonic() > deadline:
                raise RuntimeError("the encoders produced nothing within 10 s")
            time.sleep(0.02)
        # (get-transceivers returns a GArray, which Python cannot read: go through the sink pads.)
        for pad in webrtc.sinkpads:
            transceiver = pad.get_property("transceiver")
            if transceiver is not None:
                transceiver.set_property("direction", GstWebRTC.WebRTCRTPTransceiverDirection.SENDONLY)
        offer, text = promise_reply(webrtc, "create-offer", None, field="offer")
        promise_reply(webrtc, "set-local-description", offer)
        return text

    async def answer_subscribe(self, sdp):
        if self.args.verbose:
            log("subscribe offer:\n" + sdp)
        with self.lock:
            self.msids.update(msids_by_mid(sdp))
        if self.subscribe_webrtc is None:
            self.subscribe_pipe, self.subscribe_webrtc = self.new_pipeline(
                "subscribe", "webrtcbin name=webrtc bundle-policy=max-bundle")
            self.subscribe_webrtc.connect("pad-added", self.on_pad_added)
            self.subscribe_pipe.set_state(Gst.State.PLAYING)
        answer = await self.gst(self.make_subscribe_answer, session_description("offer", sdp))
        if self.args.verbose:
            log("subscribe answer:\n" + answer)
        await self.send({"type": "answer", "pc": "subscribe", "sdp": answer})

    def make_subscribe_answer(self, offer):
        webrtc = self.subscribe_webrtc
        promise_reply(webrtc, "set-remote-description", offer)
        answer, text = promise_reply(webrtc, "create-answer", None, field="answer")
        promise_reply(webrtc, "set-local-description", answer)
        return text

    # --- receiving ---

    def on_pad_added(self, webrtc, pad):
        if pad.get_direction() != Gst.PadDirection.SRC:
            return
        transceiver = pad.get_property("transceiver")
        mid = transceiver.get_property("mid") if transceiver is not None else None
        caps = pad.get_current_caps() or pad.query_caps(None)
        s = caps.get_structure(0)
        media = s.get_string("media")
        encoding = (s.get_string("encoding-name") or "").upper()
        with self.lock:
            owner, track_id = self.msids.get(mid, ("unknown", None))
        kind = "audio" if media == "audio" else "video"
        emit("track", **{"from": owner, "kind": kind, "trackId": track_id, "mid": mid,
                         "codec": encoding, "pad": pad.get_name()})
        request = "false" if self.args.no_pli else "true"
        decoders = {
            "OPUS": "rtpopusdepay ! opusdec name=decoder",
            "VP8": f"rtpvp8depay request-keyframe={request} wait-for-keyframe=true ! vp8dec name=decoder",
            "VP9": f"rtpvp9depay request-keyframe={request} wait-for-keyframe=true ! vp9dec name=decoder",
            "H264": f"rtph264depay request-keyframe={request} wait-for-keyframe=true ! h264parse ! "
                    "avdec_h264 name=decoder",
        }
        if encoding not in decoders:
            emit("error", message=f"no decoder for {encoding} on mid {mid}")
            return
        branch = Gst.parse_bin_from_description(
            f"queue ! {decoders[encoding]} ! fakesink sync=false async=false", True)
        self.subscribe_pipe.add(branch)
        decoder = branch.get_by_name("decoder")
        decoder.get_static_pad("src").add_probe(Gst.PadProbeType.BUFFER, self.on_decoded, (owner, kind, track_id))
        if self.args.no_pli:
            pad.add_probe(Gst.PadProbeType.EVENT_UPSTREAM, self.drop_keyframe_requests, None)
        branch.sync_state_with_parent()
        if pad.link(branch.get_static_pad("sink")) != Gst.PadLinkReturn.OK:
            emit("error", message=f"could not link {pad.get_name()} ({encoding})")

    def drop_keyframe_requests(self, _pad, info, _data):
        event = info.get_event()
        structure = event.get_structure()
        if structure is not None and structure.get_name() == "GstForceKeyUnit":
            with self.lock:
                self.keyframe_requests_dropped += 1
            log("keyframe request not sent (--no-pli)")
            return Gst.PadProbeReturn.DROP
        return Gst.PadProbeReturn.OK

    def on_decoded(self, _pad, _info, key):
        owner, kind, track_id = key
        now = time.monotonic()
        first = False
        with self.lock:
            counts = self.counts.setdefault(owner, {"video": 0, "audio": 0})
            counts[kind] = counts.get(kind, 0) + 1
            if key not in self.first:
                self.first.add(key)
                first = True
        if first:
            emit("first-frame", **{"from": owner, "kind": kind, "trackId": track_id, "t": now,
                                   "sinceJoined": round(now - self.joined_at, 4)})
        return Gst.PadProbeReturn.OK

    def snapshot(self):
        with self.lock:
            return json.loads(json.dumps(self.counts)), self.keyframe_requests_dropped


def main():
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument("--codec", default="vp8", choices=sorted(VIDEO_CODECS))
    parser.add_argument("--bundle-policy", default="max-compat", choices=["balanced", "max-compat", "max-bundle"],
                        help="the publish webrtcbin's bundle policy")
    args = parser.parse_args()
    args.publish = publish_kinds(args.publish)
    Gst.init(None)
    # Bus watches and GLib signal sources run on a GLib main loop of their own.
    glib_loop = GLib.MainLoop()
    threading.Thread(target=glib_loop.run, name="glib", daemon=True).start()
    code = run(Client(args))
    glib_loop.quit()
    sys.exit(code)


if __name__ == "__main__":
    main()
