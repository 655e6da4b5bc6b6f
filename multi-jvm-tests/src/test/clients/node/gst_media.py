#!/usr/bin/python3
"""Real encoders and decoders for werift-client.mjs (werift has no codecs), on GStreamer 1.22.

  gst_media.py publish --video-port P --audio-port Q [--keyframe-interval S]
      Encodes a moving test picture (320x240 at 30 fps, vp8enc) and a 440 Hz sine (opusenc),
      packetizes them as RTP (VP8 payload type 96, Opus 111, 1,200-byte MTU) and sends them to
      127.0.0.1:P and :Q. A line `keyframe` on stdin makes the encoder's next frame a keyframe
      (the client forwards the PLIs werift receives); otherwise keyframes come only every
      --keyframe-interval seconds (default: 100 s, vp8enc's keyframe-max-dist=3000).

  gst_media.py receive
      Commands on stdin, one a line: `video PORT` or `audio PORT` starts a decoder reading RTP
      from 127.0.0.1:PORT (rtpvp8depay ! vp8dec, or rtpopusdepay ! opusdec) and answers `ready PORT`
      on stdout once it reads that port; `stop PORT` ends it. Every buffer a decoder outputs is
      reported on stdout as `decoded PORT`. vp8dec drops
      everything until its first keyframe, so a count here is a frame the decoder produced.
      Nothing is ever asked upstream: these decoders send no keyframe request.

Diagnostics go to stderr. End of stdin ends the process.
"""

import argparse
import os
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstVideo", "1.0")
from gi.repository import GLib, Gst, GstVideo  # noqa: E402


def log(*parts):
    print(*parts, file=sys.stderr, flush=True)


def watch_bus(pipeline, name):
    bus = pipeline.get_bus()
    bus.add_signal_watch()

    def on_message(_bus, message):
        if message.type == Gst.MessageType.ERROR:
            error, debug = message.parse_error()
            log(f"{name}: error {error.message} ({debug})")
        elif message.type == Gst.MessageType.WARNING:
            warning, debug = message.parse_warning()
            log(f"{name}: warning {warning.message} ({debug})")

    bus.connect("message", on_message)


def on_stdin(callback, loop):
    """Calls callback(words) for every line on stdin; quits the loop at its end. Reads the file
    descriptor itself: a buffered reader would hold lines back from the watch."""
    fd = sys.stdin.fileno()
    pending = bytearray()

    def readable(_fd, condition):
        data = os.read(fd, 65536) if condition & GLib.IO_IN else b""
        if not data:
            loop.quit()
            return False
        pending.extend(data)
        while b"\n" in pending:
            line, _, rest = bytes(pending).partition(b"\n")
            pending[:] = rest
            command = line.decode().strip()
            if command:
                try:
                    callback(command.split())
                except Exception as e:  # a bad command must not end the media
                    log(f"command {command!r}: {e!r}")
        return True

    GLib.unix_fd_add_full(GLib.PRIORITY_DEFAULT, fd, GLib.IO_IN | GLib.IO_HUP | GLib.IO_ERR, readable)


def publish(args, loop):
    keyframe_dist = max(1, int(args.keyframe_interval * 30))
    pipeline = Gst.parse_launch(
        "videotestsrc is-live=true pattern=ball background-color=0xff204080 motion=sweep "
        "! video/x-raw,width=320,height=240,framerate=30/1,format=I420 "
        f"! vp8enc name=encoder deadline=1 keyframe-max-dist={keyframe_dist} target-bitrate=500000 "
        "error-resilient=default cpu-used=8 "
        "! rtpvp8pay pt=96 mtu=1200 picture-id-mode=15-bit "
        f"! udpsink host=127.0.0.1 port={args.video_port} sync=false async=false "
        "audiotestsrc is-live=true wave=sine freq=440 volume=0.3 samplesperbuffer=960 "
        "! audio/x-raw,rate=48000,channels=1 ! audioconvert ! audioresample "
        "! opusenc frame-size=20 ! rtpopuspay pt=111 mtu=1200 "
        f"! udpsink host=127.0.0.1 port={args.audio_port} sync=false async=false")
    watch_bus(pipeline, "publish")
    encoder = pipeline.get_by_name("encoder")
    requests = {"n": 0}

    def command(words):
        if words[0] == "keyframe":
            requests["n"] += 1
            event = GstVideo.video_event_new_upstream_force_key_unit(Gst.CLOCK_TIME_NONE, True, requests["n"])
            encoder.get_static_pad("src").send_event(event)
        else:
            log(f"unknown command {words}")

    on_stdin(command, loop)
    pipeline.set_state(Gst.State.PLAYING)
    return [pipeline]


def receive(_args, loop):
    pipelines = {}

    def decoded(port):
        def probe(_pad, _info):
            sys.stdout.write(f"decoded {port}\n")
            sys.stdout.flush()
            return Gst.PadProbeReturn.OK
        return probe

    def command(words):
        if words[0] in ("video", "audio") and len(words) == 2:
            port = int(words[1])
            if words[0] == "video":
                caps = "application/x-rtp,media=video,clock-rate=90000,encoding-name=VP8"
                chain = "rtpvp8depay ! vp8dec name=decoder"
            else:
                caps = "application/x-rtp,media=audio,clock-rate=48000,encoding-name=OPUS"
                chain = "rtpopusdepay ! opusdec name=decoder plc=false"
            pipeline = Gst.parse_launch(
                f"udpsrc address=127.0.0.1 port={port} caps=\"{caps}\" buffer-size=1048576 "
                f"! {chain} ! fakesink sync=false async=false")
            pipeline.get_by_name("decoder").get_static_pad("src").add_probe(Gst.PadProbeType.BUFFER, decoded(port))
            watch_bus(pipeline, f"{words[0]} {port}")
            pipeline.set_state(Gst.State.PLAYING)
            pipelines[port] = pipeline
            # udpsrc has bound its socket (it does so on the way to READY): packets sent from now
            # on are read, the first keyframe's among them.
            sys.stdout.write(f"ready {port}\n")
            sys.stdout.flush()
        elif words[0] == "stop" and len(words) == 2:
            pipeline = pipelines.pop(int(words[1]), None)
            if pipeline is not None:
                pipeline.set_state(Gst.State.NULL)
        else:
            log(f"unknown command {words}")

    on_stdin(command, loop)
    return pipelines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    pub = sub.add_parser("publish")
    pub.add_argument("--video-port", type=int, required=True)
    pub.add_argument("--audio-port", type=int, required=True)
    pub.add_argument("--keyframe-interval", type=float, default=100.0)
    sub.add_parser("receive")
    args = parser.parse_args()
    Gst.init(None)
    loop = GLib.MainLoop()
    started = publish(args, loop) if args.mode == "publish" else receive(args, loop)
    try:
        loop.run()
    finally:
        for pipeline in (started.values() if isinstance(started, dict) else started):
            pipeline.set_state(Gst.State.NULL)


if __name__ == "__main__":
    main()
