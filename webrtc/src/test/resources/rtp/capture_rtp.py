#!/usr/bin/python3
"""Captures real RTP video packets for the keyframe detection tests (KeyframeDetectionTest).

Run with the system Python 3 (Debian packages python3-gst-1.0, gstreamer1.0-plugins-good/bad/
ugly, gstreamer1.0-libav, python3-aiortc, python3-numpy):

    /usr/bin/python3 capture_rtp.py [output directory, default: this file's directory]

Each capture is written as <name>.hex: '#' comment lines saying what produced it, then one RTP
packet per line, a label, a space and the hex of the whole packet. Labels:

    K  first packet of a keyframe (a receiver can start decoding there)
    k  a later packet of the same keyframe
    -  a packet of a delta frame

The ground truth comes from the encoders, never from parsing the RTP payloads: for GStreamer a
frame is a keyframe when the encoder's output buffer lacks GST_BUFFER_FLAG_DELTA_UNIT (probe on
the encoder's src pad, matched to the RTP packets by timestamp); for aiortc's VP8 encoder, the
frames we asked to be keyframes (force_keyframe, and the first frame); for aiortc's H.264
packetizer, the keyframe flag of the libx264 packet it was given.
"""

import fractions
import os
import struct
import subprocess
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtp", "1.0")
from gi.repository import Gst, GstRtp  # noqa: E402

CLOCK_RATE = 90000
WIDTH, HEIGHT, FPS = 320, 240, 30
PT = 96


def package_version(name):
    try:
        out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", name],
                             capture_output=True, text=True, check=True)
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def rtp_fields(packet):
    return (packet[1] & 0x80) != 0, struct.unpack_from("!I", packet, 4)[0]


def write_capture(outdir, name, comments, packets):
    """packets: list of (label, bytes)."""
    path = os.path.join(outdir, name + ".hex")
    with open(path, "w") as f:
        for line in comments:
            f.write(("# " + line).rstrip() + "\n")
        for label, packet in packets:
            f.write(label + " " + packet.hex() + "\n")
    keys = sum(1 for label, _ in packets if label == "K")
    print(f"{path}: {len(packets)} packets, {keys} keyframe starts")


def label_frames(frames):
    """frames: list of (is_keyframe, [packet bytes]) -> list of (label, bytes)."""
    out = []
    for key, packets in frames:
        for i, packet in enumerate(packets):
            out.append((("K" if i == 0 else "k") if key else "-", packet))
    return out


# --- GStreamer ------------------------------------------------------------------------------

def run_gstreamer(encoder, encoded_caps, payloader, frames, raw_format="I420", extension=None):
    """Runs videotestsrc ! encoder ! payloader ! appsink; returns ([(key, [packets])], pipeline
    text). Frames are matched to packets by RTP timestamp, and checked against the marker bits."""
    ts_offset = 0x10000000
    description = (
        f"videotestsrc num-buffers={frames} pattern=smpte horizontal-speed=3 "
        f"! video/x-raw,format={raw_format},width={WIDTH},height={HEIGHT},framerate={FPS}/1 "
        f"! {encoder} name=enc ! {encoded_caps} "
        f"! {payloader} name=pay pt={PT} ssrc=0x1a2b3c4d timestamp-offset={ts_offset} "
        f"seqnum-offset=1000 "
        f"! appsink name=sink sync=false")
    pipeline = Gst.parse_launch(description)
    if extension is not None:
        ext = GstRtp.RTPHeaderExtension.create_from_uri(extension[1])
        if ext is None:
            raise RuntimeError("no RTP header extension for " + extension[1])
        ext.set_id(extension[0])
        pipeline.get_by_name("pay").emit("add-extension", ext)

    keyframes = {}  # RTP timestamp -> keyframe (from the encoder's buffer flags)

    def on_encoded(pad, info):
        buf = info.get_buffer()
        # The payloader's RTP timestamp follows the running time (x264enc, for one, shifts its
        # PTS by a segment start).
        segment = pad.get_sticky_event(Gst.EventType.SEGMENT, 0).parse_segment()
        running_time = segment.to_running_time(Gst.Format.TIME, buf.pts)
        rtp_ts = (ts_offset + Gst.util_uint64_scale_int(running_time, CLOCK_RATE, Gst.SECOND)) \
            & 0xFFFFFFFF
        key = not buf.has_flags(Gst.BufferFlags.DELTA_UNIT)
        if rtp_ts in keyframes and keyframes[rtp_ts] != key:
            raise RuntimeError("two encoded buffers with one timestamp disagree")
        keyframes[rtp_ts] = keyframes.get(rtp_ts, False) or key
        return Gst.PadProbeReturn.OK

    pipeline.get_by_name("enc").get_static_pad("src").add_probe(
        Gst.PadProbeType.BUFFER, on_encoded)
    sink = pipeline.get_by_name("sink")
    pipeline.set_state(Gst.State.PLAYING)
    packets = []
    while True:
        sample = sink.emit("pull-sample")
        if sample is None:
            break
        buf = sample.get_buffer()
        ok, info = buf.map(Gst.MapFlags.READ)
        packets.append(bytes(info.data))
        buf.unmap(info)
    bus = pipeline.get_bus()
    msg = bus.pop_filtered(Gst.MessageType.ERROR)
    pipeline.set_state(Gst.State.NULL)
    if msg is not None:
        raise RuntimeError(msg.parse_error()[0].message)

    grouped = []
    previous_marker = True
    for packet in packets:
        marker, ts = rtp_fields(packet)
        if previous_marker or ts != grouped[-1][0]:
            if not previous_marker:
                raise RuntimeError("timestamp changed without a marker bit")
            grouped.append((ts, []))
        grouped[-1][1].append(packet)
        previous_marker = marker
    if not previous_marker:
        raise RuntimeError("last frame without a marker bit")
    frames_out = []
    for ts, frame_packets in grouped:
        if ts not in keyframes:
            raise RuntimeError(f"no encoded buffer for RTP timestamp {ts}")
        frames_out.append((keyframes[ts], frame_packets))
    return frames_out, description


def element_version(name):
    factory = Gst.ElementFactory.find(name)
    plugin = factory.get_plugin()
    return f"{name} ({plugin.get_source()} {plugin.get_version()})"


def gstreamer_captures(outdir):
    gst = Gst.version_string()
    libvpx = "libvpx " + package_version("libvpx7")
    x264 = "libx264 " + package_version("libx264-164")
    twcc = (3, "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01")

    def capture(name, what, library, encoder, caps, payloader, frames, elements,
                raw_format="I420", extension=None, notes=()):
        frames_out, pipeline = run_gstreamer(encoder, caps, payloader, frames, raw_format,
                                             extension)
        comments = [
            f"{what}, captured by capture_rtp.py from a GStreamer pipeline.",
            f"{gst}; " + ", ".join(element_version(e) for e in elements) + f"; {library}.",
            "Pipeline: " + pipeline,
        ]
        if extension is not None:
            comments.append(f"RTP header extension id {extension[0]}: {extension[1]} "
                            "(one-byte header extension).")
        comments.extend(notes)
        comments.append("Ground truth: encoder output buffers without DELTA_UNIT are keyframes; "
                        "K = first packet of a keyframe, k = its later packets, - = delta frame.")
        write_capture(outdir, name, comments, label_frames(frames_out))

    capture("gstreamer-vp8-pictureid15", "VP8 (RFC 7741), 15-bit picture id", libvpx,
            "vp8enc deadline=1 keyframe-max-dist=8 target-bitrate=80000",
            "video/x-vp8", "rtpvp8pay mtu=500 picture-id-mode=15-bit picture-id-offset=1000",
            24, ["vp8enc", "rtpvp8pay"], extension=twcc)
    capture("gstreamer-vp8-pictureid7", "VP8 (RFC 7741), 7-bit picture id", libvpx,
            "vp8enc deadline=1 keyframe-max-dist=8 target-bitrate=80000",
            "video/x-vp8", "rtpvp8pay mtu=500 picture-id-mode=7-bit picture-id-offset=100",
            24, ["vp8enc", "rtpvp8pay"])
    capture("gstreamer-vp9-profile0", "VP9 (RFC 9628) profile 0, 8-bit 4:2:0", libvpx,
            "vp9enc deadline=1 lag-in-frames=0 keyframe-max-dist=8 target-bitrate=80000",
            "video/x-vp9,profile=(string)0",
            "rtpvp9pay mtu=500 picture-id-mode=15-bit",
            24, ["vp9enc", "rtpvp9pay"])
    capture("gstreamer-vp9-profile2", "VP9 (RFC 9628) profile 2, 10-bit 4:2:0 (I420_10LE)",
            libvpx,
            "vp9enc deadline=1 lag-in-frames=0 keyframe-max-dist=8 target-bitrate=80000",
            "video/x-vp9,profile=(string)2",
            "rtpvp9pay mtu=500 picture-id-mode=7-bit",
            24, ["vp9enc", "rtpvp9pay"], raw_format="I420_10LE",
            notes=["rtpvp9pay writes 1277x958 as the scalability structure's resolution of "
                   "these 320x240 frames (the frame headers",
                   "say 320x240); the structure is otherwise well-formed, and the keyframe "
                   "detection does not read the resolution."])
    for profile in ("constrained-baseline", "high"):
        for mode in ("none", "zero-latency"):
            packetization = ("single NAL units and FU-A" if mode == "none"
                             else "STAP-A (zero-latency aggregation) and FU-A")
            capture(f"gstreamer-h264-{profile}-{'stap' if mode != 'none' else 'single'}",
                    f"H.264 (RFC 6184, packetization-mode 1) {profile}, {packetization}",
                    x264,
                    "x264enc tune=zerolatency speed-preset=veryfast key-int-max=8 bitrate=120",
                    f"video/x-h264,profile={profile},stream-format=byte-stream",
                    f"rtph264pay mtu=400 config-interval=-1 aggregate-mode={mode}",
                    24, ["x264enc", "rtph264pay"],
                    notes=["x264enc's zero-latency tuning uses sliced threads: a picture may be "
                           "several slices."])
    av1_captures(outdir, gst)


# --- AV1: GStreamer's av1enc (libaom), packetized here --------------------------------------

def leb128(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def read_leb128(data, pos):
    value = 0
    for i in range(8):
        byte = data[pos + i]
        value |= (byte & 0x7F) << (7 * i)
        if not byte & 0x80:
            return value, pos + i + 1
    raise ValueError("leb128 too long")


OBU_SEQUENCE_HEADER = 1
OBU_TEMPORAL_DELIMITER = 2
OBU_TILE_LIST = 8
OBU_PADDING = 15


def split_obus(temporal_unit):
    """OBUs of a low-overhead bitstream temporal unit, each rewritten without its obu_size field
    (obu_has_size_field=0), as the RTP payload format recommends; returns [(type, bytes)]."""
    obus = []
    pos = 0
    while pos < len(temporal_unit):
        header = temporal_unit[pos]
        obu_type = (header >> 3) & 0x0F
        has_extension = (header >> 2) & 1
        has_size = (header >> 1) & 1
        header_bytes = bytes([header & ~0x02]) + (
            temporal_unit[pos + 1:pos + 2] if has_extension else b"")
        pos += 1 + has_extension
        if has_size:
            size, pos = read_leb128(temporal_unit, pos)
        else:
            size = len(temporal_unit) - pos
        obus.append((obu_type, header_bytes + temporal_unit[pos:pos + size]))
        pos += size
    return obus


def packetize_av1(temporal_unit, max_payload):
    """RTP payloads for one temporal unit, following the AV1 RTP payload format (section 4):
    temporal delimiters, tile lists and padding dropped, OBUs without size fields, aggregation
    header Z|Y|W|N, W = element count when up to three (last element without a length), else 0
    (every element with a length); N=1 on the first packet of a temporal unit that carries a
    sequence header (the start of a coded video sequence)."""
    obus = [(t, o) for t, o in split_obus(temporal_unit)
            if t not in (OBU_TEMPORAL_DELIMITER, OBU_TILE_LIST, OBU_PADDING)]
    new_sequence = any(t == OBU_SEQUENCE_HEADER for t, _ in obus)
    pieces = [o for _, o in obus]
    payloads = []        # (Z, Y, elements) per packet
    elements = []        # elements of the packet being filled
    used = 1             # its size so far: the aggregation header
    continues = False    # its Z: the first element continues an OBU from the previous packet
    index, offset = 0, 0
    while index < len(pieces):
        remaining = len(pieces[index]) - offset
        room = max_payload - used
        if room < 3:  # no room for a length and a useful fragment: next packet
            payloads.append((continues, False, elements))
            elements, used, continues = [], 1, False
            continue
        if len(leb128(remaining)) + remaining <= room:
            elements.append(pieces[index][offset:])
            used += len(leb128(remaining)) + remaining
            index, offset = index + 1, 0
        else:  # fragment: fill this packet, the rest continues in the next one (Y, then Z)
            take = room - len(leb128(room))
            elements.append(pieces[index][offset:offset + take])
            offset += take
            payloads.append((continues, True, elements))
            elements, used, continues = [], 1, True
    if elements:
        payloads.append((continues, False, elements))
    out = []
    for i, (z, y, els) in enumerate(payloads):
        w = len(els) if len(els) <= 3 else 0
        header = (0x80 if z else 0) | (0x40 if y else 0) | (w << 4) | (
            0x08 if new_sequence and i == 0 else 0)
        body = bytearray([header])
        for j, element in enumerate(els):
            if w == 0 or j < len(els) - 1:
                body += leb128(len(element))
            body += element
        if len(body) > max_payload:
            raise RuntimeError("AV1 packet over size")
        out.append(bytes(body))
    return out


def av1_captures(outdir, gst):
    frames = 24
    encoder = ("av1enc usage-profile=realtime cpu-used=8 threads=2 keyframe-max-dist=8 "
               "target-bitrate=150 end-usage=cbr min-quantizer=10 max-quantizer=56")
    description = (
        f"videotestsrc num-buffers={frames} pattern=smpte horizontal-speed=3 "
        f"! video/x-raw,format=I420,width={WIDTH},height={HEIGHT},framerate={FPS}/1 "
        f"! {encoder} ! video/x-av1,stream-format=obu-stream,alignment=tu "
        f"! appsink name=sink sync=false")
    pipeline = Gst.parse_launch(description)
    sink = pipeline.get_by_name("sink")
    pipeline.set_state(Gst.State.PLAYING)
    units = []
    while True:
        sample = sink.emit("pull-sample")
        if sample is None:
            break
        buf = sample.get_buffer()
        ok, info = buf.map(Gst.MapFlags.READ)
        units.append((buf.pts, not buf.has_flags(Gst.BufferFlags.DELTA_UNIT),
                      bytes(info.data)))
        buf.unmap(info)
    pipeline.set_state(Gst.State.NULL)

    ssrc, seq, ts_offset, mtu = 0x5eed0a01, 3000, 0x20000000, 1200
    frames_out = []
    for pts, key, unit in units:
        ts = (ts_offset + Gst.util_uint64_scale_int(pts, CLOCK_RATE, Gst.SECOND)) & 0xFFFFFFFF
        payloads = packetize_av1(unit, mtu - 12)
        packets = []
        for i, payload in enumerate(payloads):
            marker = 0x80 if i == len(payloads) - 1 else 0
            packets.append(struct.pack("!BBHII", 0x80, marker | PT, seq & 0xFFFF, ts, ssrc)
                           + payload)
            seq += 1
        frames_out.append((key, packets))
    comments = [
        "AV1 (AV1 RTP payload format, aomediacodec.github.io/av1-rtp-spec), captured by "
        "capture_rtp.py.",
        f"Encoded by a GStreamer pipeline: {gst}; {element_version('av1enc')}; "
        f"libaom {package_version('libaom3')}.",
        "Pipeline: " + description,
        "GStreamer 1.22 (Debian 12) has no AV1 RTP payloader (rtpav1pay is in gst-plugins-rs), "
        "so the encoded temporal units",
        "are packetized by capture_rtp.py following the payload format: temporal delimiters "
        "dropped, OBUs without size fields,",
        f"aggregation header Z|Y|W|N, N=1 on the first packet of a temporal unit carrying a "
        f"sequence header; RTP packets of at most {mtu} bytes.",
        "Ground truth: encoder output buffers without DELTA_UNIT are keyframes; "
        "K = first packet of a keyframe, k = its later packets, - = delta frame.",
    ]
    write_capture(outdir, "gstreamer-av1", comments, label_frames(frames_out))


# --- aiortc ---------------------------------------------------------------------------------

def test_frames(count):
    import av
    import numpy as np

    y, x = np.mgrid[0:HEIGHT, 0:WIDTH]
    for i in range(count):
        image = np.empty((HEIGHT, WIDTH, 3), dtype=np.uint8)
        # Smooth gradients drifting sideways, and a square moving over them.
        image[..., 0] = (x * 200 // WIDTH + 2 * i) % 256
        image[..., 1] = y * 200 // HEIGHT
        image[..., 2] = 80
        image[100:140, 10 + 8 * i:50 + 8 * i] = (240, 240, 40)
        frame = av.VideoFrame.from_ndarray(image, format="rgb24").reformat(format="yuv420p")
        frame.pts = i * (CLOCK_RATE // FPS)
        frame.time_base = fractions.Fraction(1, CLOCK_RATE)
        yield i, frame


def rtp_wrap(payloads, seq, ts, ssrc):
    packets = []
    for i, payload in enumerate(payloads):
        marker = 0x80 if i == len(payloads) - 1 else 0
        packets.append(struct.pack("!BBHII", 0x80, marker | PT, (seq + i) & 0xFFFF,
                                   ts & 0xFFFFFFFF, ssrc) + payload)
    return packets


def aiortc_captures(outdir):
    import av
    import aiortc
    from aiortc.codecs import h264, vpx

    version = f"aiortc {aiortc.__version__}, PyAV {av.__version__}"
    frames, forced = 24, {0, 8, 16}

    encoder = vpx.Vp8Encoder()
    encoder.target_bitrate = vpx.MIN_BITRATE
    seq, frames_out = 5000, []
    for i, frame in test_frames(frames):
        payloads, ts = encoder.encode(frame, force_keyframe=i in forced)
        frames_out.append((i in forced, rtp_wrap(payloads, seq, ts, 0x0a10c001)))
        seq += len(payloads)
    write_capture(outdir, "aiortc-vp8", [
        "VP8 (RFC 7741), captured by capture_rtp.py from aiortc's VP8 encoder and packetizer "
        "(aiortc.codecs.vpx.Vp8Encoder.encode).",
        f"{version}; libvpx {package_version('libvpx7')}; 320x240 synthetic frames, "
        f"{frames} frames at 30 fps, {encoder.target_bitrate // 1000} kbit/s "
        "(aiortc's lowest).",
        "aiortc returns RTP payloads per frame; capture_rtp.py adds the RTP header (PT 96, "
        "marker on the last packet of a frame).",
        f"Ground truth: the frames encoded with force_keyframe=True ({sorted(forced)}) are "
        "keyframes, the others not;",
        "K = first packet of a keyframe, k = its later packets, - = delta frame.",
    ], label_frames(frames_out))

    # aiortc 1.4's H264Encoder.encode ignores force_keyframe, so the frames are encoded by a
    # libx264 context set up by aiortc's own create_encoder_context, keyframes forced through
    # the picture type, and the encoded packets given to aiortc's packetizer (H264Encoder.pack).
    context, _ = h264.create_encoder_context("libx264", WIDTH, HEIGHT, bitrate=150000)
    packer = h264.H264Encoder()
    seq, frames_out = 7000, []
    for i, frame in test_frames(frames):
        frame.pict_type = (av.video.frame.PictureType.I if i in forced
                           else av.video.frame.PictureType.NONE)
        for packet in context.encode(frame):
            packet.time_base = fractions.Fraction(1, CLOCK_RATE)
            payloads, ts = packer.pack(packet)
            frames_out.append((packet.is_keyframe, rtp_wrap(payloads, seq, ts, 0x0a10c002)))
            seq += len(payloads)
    for packet in context.encode(None):
        packet.time_base = fractions.Fraction(1, CLOCK_RATE)
        payloads, ts = packer.pack(packet)
        frames_out.append((packet.is_keyframe, rtp_wrap(payloads, seq, ts, 0x0a10c002)))
        seq += len(payloads)
    write_capture(outdir, "aiortc-h264", [
        "H.264 (RFC 6184, packetization-mode 1), captured by capture_rtp.py with aiortc's "
        "H.264 packetizer (aiortc.codecs.h264.H264Encoder.pack:",
        "STAP-A for small NAL units, FU-A over 1300 bytes) over libx264 set up by aiortc's "
        "create_encoder_context (baseline, zerolatency).",
        f"{version}; libx264 {package_version('libx264-164')}; 320x240 synthetic frames, "
        f"{frames} frames at 30 fps, 150 kbit/s.",
        "aiortc 1.4's H264Encoder.encode ignores force_keyframe, so keyframes are forced "
        f"through the frame's picture type (frames {sorted(forced)}).",
        "aiortc returns RTP payloads per frame; capture_rtp.py adds the RTP header (PT 96, "
        "marker on the last packet of a frame).",
        "Ground truth: libx264's packet keyframe flag (AV_PKT_FLAG_KEY); "
        "K = first packet of a keyframe, k = its later packets, - = delta frame.",
    ], label_frames(frames_out))


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    Gst.init(None)
    gstreamer_captures(outdir)
    aiortc_captures(outdir)


if __name__ == "__main__":
    main()
