package org.adam.sfu.webrtc.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link VideoCodec#isKeyframeStart} against RTP packets captured from real encoders and
 * packetizers (resources under {@code rtp/}, written by {@code capture_rtp.py}; the labels come
 * from the encoders, not from parsing the payloads), against hand-built packets for what the
 * captures lack, and against truncated and random input.
 */
class KeyframeDetectionTest {

    /** Every capture under src/test/resources/rtp, with the codec it holds. */
    static Stream<Arguments> captures() {
        return Stream.of(
                Arguments.of("gstreamer-vp8-pictureid15", VideoCodec.VP8),
                Arguments.of("gstreamer-vp8-pictureid7", VideoCodec.VP8),
                Arguments.of("aiortc-vp8", VideoCodec.VP8),
                Arguments.of("gstreamer-vp9-profile0", VideoCodec.VP9),
                Arguments.of("gstreamer-vp9-profile2", VideoCodec.VP9),
                Arguments.of("gstreamer-h264-constrained-baseline-single", VideoCodec.H264),
                Arguments.of("gstreamer-h264-constrained-baseline-stap", VideoCodec.H264),
                Arguments.of("gstreamer-h264-high-single", VideoCodec.H264),
                Arguments.of("gstreamer-h264-high-stap", VideoCodec.H264),
                Arguments.of("aiortc-h264", VideoCodec.H264),
                Arguments.of("gstreamer-av1", VideoCodec.AV1));
    }

    /** One captured packet: its label (K, k or -), the packet, and the line it came from. */
    record Captured(char label, byte[] packet, int line) {
    }

    static List<Captured> read(String name) {
        List<Captured> packets = new ArrayList<>();
        try (InputStream in = KeyframeDetectionTest.class.getResourceAsStream("/rtp/" + name + ".hex")) {
            assertThat(in).as("resource rtp/%s.hex", name).isNotNull();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            String text;
            int line = 0;
            while ((text = reader.readLine()) != null) {
                line++;
                if (text.isBlank() || text.startsWith("#")) {
                    continue;
                }
                char label = text.charAt(0);
                assertThat(label).as("%s line %d", name, line).isIn('K', 'k', '-');
                assertThat(text.charAt(1)).as("%s line %d", name, line).isEqualTo(' ');
                packets.add(new Captured(label, HexFormat.of().parseHex(text, 2, text.length()), line));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return packets;
    }

    static List<byte[]> allCapturedPackets() {
        return captures()
                .flatMap(a -> read((String) a.get()[0]).stream())
                .map(Captured::packet)
                .toList();
    }

    /** Detects, and checks the call left the buffer's indices where they were. */
    private static boolean detect(VideoCodec codec, ByteBuf packet) {
        int reader = packet.readerIndex();
        int writer = packet.writerIndex();
        boolean start = codec.isKeyframeStart(packet);
        if (packet.readerIndex() != reader || packet.writerIndex() != writer) {
            throw new AssertionError(codec + " moved the indices from " + reader + "/" + writer + " to "
                    + packet.readerIndex() + "/" + packet.writerIndex());
        }
        return start;
    }

    /** Runs every codec's detection on {@code packet}, which must not throw. */
    private static void readsWithoutThrowing(ByteBuf packet) {
        for (VideoCodec codec : VideoCodec.values()) {
            try {
                detect(codec, packet);
            } catch (RuntimeException e) {
                throw new AssertionError(codec + " threw on " + ByteBufUtil.hexDump(packet), e);
            }
        }
    }

    private static boolean detect(VideoCodec codec, byte[] packet) {
        return detect(codec, Unpooled.wrappedBuffer(packet));
    }

    /**
     * The labels in the captures: K is the first packet of a keyframe, k a later packet of it, -
     * a packet of a delta frame. No delta-frame packet is a keyframe start. For VP8, VP9 and AV1
     * the payload descriptor marks the first packet of a frame, so exactly the K packets are.
     * An H.264 access unit may open with NAL units the detector cannot tie to a keyframe (an
     * access unit delimiter, SEI), and carries its IDR slices after the SPS and PPS: in each
     * keyframe the first accepted packet is the first one, or follows only AUD and SEI packets
     * (decoding can start there), and later packets that begin an IDR slice or repeat the SPS may
     * be accepted too (by then a receiver has switched).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void capturedPacketsMatchTheEncodersKeyframes(String name, VideoCodec codec) {
        List<Captured> packets = read(name);
        int keyframes = 0;
        int deltas = 0;
        int i = 0;
        while (i < packets.size()) {
            Captured first = packets.get(i);
            if (first.label() == '-') {
                assertThat(detect(codec, first.packet()))
                        .as("%s line %d: delta-frame packet", name, first.line()).isFalse();
                deltas++;
                i++;
                continue;
            }
            assertThat(first.label()).as("%s line %d: a keyframe opens with K", name, first.line())
                    .isEqualTo('K');
            int end = i + 1;
            while (end < packets.size() && packets.get(end).label() == 'k') {
                end++;
            }
            List<Captured> keyframe = packets.subList(i, end);
            if (codec == VideoCodec.H264) {
                checkH264Keyframe(name, keyframe);
            } else {
                assertThat(detect(codec, first.packet()))
                        .as("%s line %d: first packet of a keyframe", name, first.line()).isTrue();
                for (Captured later : keyframe.subList(1, keyframe.size())) {
                    assertThat(detect(codec, later.packet()))
                            .as("%s line %d: later packet of a keyframe", name, later.line()).isFalse();
                }
            }
            keyframes++;
            i = end;
        }
        assertThat(keyframes).as("%s: keyframes", name).isPositive();
        assertThat(deltas).as("%s: delta-frame packets", name).isPositive();
    }

    private static void checkH264Keyframe(String name, List<Captured> keyframe) {
        int accepted = -1;
        for (int j = 0; j < keyframe.size(); j++) {
            if (detect(VideoCodec.H264, keyframe.get(j).packet())) {
                accepted = j;
                break;
            }
        }
        assertThat(accepted).as("%s line %d: keyframe without an accepted packet", name,
                keyframe.get(0).line()).isNotNegative();
        for (Captured skipped : keyframe.subList(0, accepted)) {
            assertThat(h264UnitType(skipped.packet()))
                    .as("%s line %d: only AUD or SEI may precede the switching packet", name, skipped.line())
                    .isIn(6, 9);
        }
    }

    /** Type of the NAL unit a single-NAL-unit or FU-A H.264 packet carries, -1 for others. */
    private static int h264UnitType(byte[] packet) {
        ByteBuf buf = Unpooled.wrappedBuffer(packet);
        int p = RtpPacket.headerLength(buf);
        int type = packet[p] & 0x1F;
        if (type == 28) {
            return packet[p + 1] & 0x1F;
        }
        return type < 24 ? type : -1;
    }

    @Test
    void sameAnswerAtAnOffsetInsideALargerBuffer() {
        for (byte[] packet : allCapturedPackets()) {
            ByteBuf framed = Unpooled.buffer(packet.length + 40);
            framed.writeBytes(new byte[17]);
            framed.writeBytes(packet);
            framed.writeBytes(new byte[] {0x65, 0x18, (byte) 0x88, 0x7c, 0x10, 0x08, 0x67});
            framed.readerIndex(17).writerIndex(17 + packet.length);
            for (VideoCodec codec : VideoCodec.values()) {
                assertThat(detect(codec, framed.duplicate())).isEqualTo(detect(codec, packet));
            }
        }
    }

    @Test
    void everyPrefixOfEveryCapturedPacketIsReadWithoutThrowing() {
        for (byte[] packet : allCapturedPackets()) {
            for (int length = 0; length <= packet.length; length++) {
                readsWithoutThrowing(Unpooled.wrappedBuffer(packet, 0, length));
            }
        }
    }

    @Test
    void randomAndCorruptedPacketsAreReadWithoutThrowing() {
        Random random = new Random(20261206);
        for (int n = 0; n < 200_000; n++) {
            byte[] packet = new byte[random.nextInt(48)];
            random.nextBytes(packet);
            if (packet.length > 0 && random.nextBoolean()) {
                packet[0] = (byte) (0x80 | (packet[0] & 0x3F)); // version 2, random P, X, CC
            }
            readsWithoutThrowing(Unpooled.wrappedBuffer(packet));
        }
        for (byte[] captured : allCapturedPackets()) {
            for (int n = 0; n < 20; n++) {
                byte[] packet = captured.clone();
                for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                    int at = random.nextInt(Math.min(packet.length, 40));
                    packet[at] = (byte) random.nextInt(256);
                }
                packet[0] = (byte) (0x80 | (packet[0] & 0x3F));
                readsWithoutThrowing(Unpooled.wrappedBuffer(packet));
            }
        }
    }

    // --- hand-built packets --------------------------------------------------------------------

    /** An RTP packet (no CSRC, no extension, no padding) with the given payload bytes. */
    private static byte[] rtp(int... payload) {
        byte[] packet = new byte[12 + payload.length];
        packet[0] = (byte) 0x80;
        packet[1] = 96;
        packet[11] = 7;
        for (int i = 0; i < payload.length; i++) {
            packet[12 + i] = (byte) payload[i];
        }
        return packet;
    }

    /** The same with two CSRCs, a one-byte header extension and {@code padding} padding bytes. */
    private static byte[] rtpWithCsrcExtensionAndPadding(int padding, int... payload) {
        ByteBuf p = Unpooled.buffer();
        p.writeByte(0x80 | 0x20 | 0x10 | 2).writeByte(96).writeShort(1).writeInt(0).writeInt(7);
        p.writeInt(11).writeInt(12);
        p.writeShort(0xBEDE).writeShort(1).writeInt(0x31000100);
        for (int b : payload) {
            p.writeByte(b);
        }
        for (int i = 1; i < padding; i++) {
            p.writeByte(0);
        }
        p.writeByte(padding);
        byte[] bytes = new byte[p.readableBytes()];
        p.readBytes(bytes);
        return bytes;
    }

    @Test
    void vp9FlexibleModeKeyframeAndInterFrame() {
        // I|L|F|B|E, 15-bit picture id, layer byte TID 0 SID 0 (no TL0PICIDX in flexible mode),
        // then a VP9 keyframe header (frame marker, profile 0, key, sync code).
        assertThat(detect(VideoCodec.VP9, rtp(0xBC, 0x81, 0x23, 0x00, 0x82, 0x49, 0x83, 0x42))).isTrue();
        // I|P|L|F|B|E with one P_DIFF byte: inter-picture predicted.
        assertThat(detect(VideoCodec.VP9, rtp(0xFC, 0x81, 0x24, 0x20, 0x02, 0x86, 0x00))).isFalse();
        // Flexible, keyframe, but the layer byte is missing.
        assertThat(detect(VideoCodec.VP9, rtp(0xBC, 0x81, 0x23))).isFalse();
    }

    @Test
    void vp9LayerIndicesAndFrameStart() {
        // Non-flexible I|L|B: 7-bit picture id, layer byte, TL0PICIDX. SID 0: start.
        assertThat(detect(VideoCodec.VP9, rtp(0xA8, 0x05, 0x00, 0x07, 0x82, 0x49))).isTrue();
        // SID 1 (with inter-layer dependency D): an upper spatial layer, not a start.
        assertThat(detect(VideoCodec.VP9, rtp(0xA8, 0x05, 0x03, 0x07, 0x82, 0x49))).isFalse();
        // SID 1 without D still not the base layer.
        assertThat(detect(VideoCodec.VP9, rtp(0xA8, 0x05, 0x02, 0x07, 0x82, 0x49))).isFalse();
        // Only B: no picture id, no layers.
        assertThat(detect(VideoCodec.VP9, rtp(0x08, 0x82, 0x49))).isTrue();
        // B=0: a later packet of the frame.
        assertThat(detect(VideoCodec.VP9, rtp(0x80, 0x05, 0x12, 0x34))).isFalse();
        // Descriptor only, no frame data.
        assertThat(detect(VideoCodec.VP9, rtp(0xA8, 0x05, 0x00, 0x07))).isFalse();
    }

    @Test
    void vp9ScalabilityStructureIsSkipped() {
        // I|B|V, 7-bit picture id; SS: three spatial layers (N_S=2) with Y and G, 6 x 4 bytes of
        // resolution, N_G=2: TID 0 R=1 + one P_DIFF, TID 1 R=2 + two P_DIFF; then the frame.
        int[] ss = {0x8A, 0x05, 0x58,
            0x00, 0x50, 0x00, 0x3C, 0x00, 0xA0, 0x00, 0x78, 0x01, 0x40, 0x00, 0xF0,
            0x02, 0x04, 0x01, 0x28, 0x01, 0x02, 0x82, 0x49, 0x83, 0x42};
        assertThat(detect(VideoCodec.VP9, rtp(ss))).isTrue();
        // Cut inside the structure, or right after it: not a well-formed start.
        for (int cut = 3; cut <= ss.length - 4; cut++) {
            assertThat(detect(VideoCodec.VP9, rtp(Arrays.copyOf(ss, cut))))
                    .as("cut at %d", cut).isFalse();
        }
        // N_G larger than the bytes that follow.
        assertThat(detect(VideoCodec.VP9, rtp(0x8A, 0x05, 0x08, 0x09, 0x04, 0x01))).isFalse();
    }

    @Test
    void h264SingleNalUnits() {
        assertThat(detect(VideoCodec.H264, rtp(0x65, 0x88, 0x84))).as("IDR slice").isTrue();
        assertThat(detect(VideoCodec.H264, rtp(0x67, 0x42, 0xC0, 0x1F))).as("SPS").isTrue();
        assertThat(detect(VideoCodec.H264, rtp(0x68, 0xCE, 0x3C, 0x80))).as("PPS").isFalse();
        assertThat(detect(VideoCodec.H264, rtp(0x41, 0x9A, 0x26))).as("non-IDR slice").isFalse();
        assertThat(detect(VideoCodec.H264, rtp(0x09, 0x10))).as("AUD").isFalse();
        assertThat(detect(VideoCodec.H264, rtp(0x06, 0x05, 0xFF))).as("SEI").isFalse();
        assertThat(detect(VideoCodec.H264, rtp())).as("empty payload").isFalse();
    }

    @Test
    void h264StapA() {
        // STAP-A: AUD (2 bytes), then an IDR slice (3 bytes).
        assertThat(detect(VideoCodec.H264, rtp(0x78, 0x00, 0x02, 0x09, 0x10, 0x00, 0x03, 0x65, 0x88, 0x84)))
                .isTrue();
        // SPS, PPS, IDR slice.
        assertThat(detect(VideoCodec.H264, rtp(0x78, 0x00, 0x04, 0x67, 0x42, 0xC0, 0x1F,
                0x00, 0x04, 0x68, 0xCE, 0x3C, 0x80, 0x00, 0x02, 0x65, 0x88))).isTrue();
        // AUD and a non-IDR slice.
        assertThat(detect(VideoCodec.H264, rtp(0x78, 0x00, 0x02, 0x09, 0x30, 0x00, 0x03, 0x41, 0x9A, 0x26)))
                .isFalse();
        // The IDR's size runs past the payload.
        assertThat(detect(VideoCodec.H264, rtp(0x78, 0x00, 0x02, 0x09, 0x10, 0x00, 0x09, 0x65, 0x88)))
                .isFalse();
        // An oversized first unit hides the IDR that follows: malformed, so false.
        assertThat(detect(VideoCodec.H264, rtp(0x78, 0x00, 0x40, 0x09, 0x10, 0x00, 0x02, 0x65, 0x88)))
                .isFalse();
        // A zero size, and a STAP-A header with nothing after it.
        assertThat(detect(VideoCodec.H264, rtp(0x78, 0x00, 0x00, 0x65, 0x88))).isFalse();
        assertThat(detect(VideoCodec.H264, rtp(0x78))).isFalse();
        assertThat(detect(VideoCodec.H264, rtp(0x78, 0x00, 0x01))).isFalse();
    }

    @Test
    void h264FuA() {
        assertThat(detect(VideoCodec.H264, rtp(0x7C, 0x85, 0x88, 0x84))).as("IDR, S=1").isTrue();
        assertThat(detect(VideoCodec.H264, rtp(0x7C, 0x05, 0x12, 0x34))).as("IDR continuation, S=0").isFalse();
        assertThat(detect(VideoCodec.H264, rtp(0x7C, 0x45, 0x12, 0x34))).as("IDR end, E=1").isFalse();
        assertThat(detect(VideoCodec.H264, rtp(0x7C, 0x87, 0x42, 0xC0))).as("SPS, S=1").isTrue();
        assertThat(detect(VideoCodec.H264, rtp(0x5C, 0x81, 0x9A, 0x26))).as("non-IDR slice, S=1").isFalse();
        assertThat(detect(VideoCodec.H264, rtp(0x1C, 0x86, 0x05, 0xFF))).as("SEI, S=1").isFalse();
        assertThat(detect(VideoCodec.H264, rtp(0x7C))).as("FU indicator only").isFalse();
    }

    @Test
    void av1AggregationHeader() {
        // N=1, W=1, then a sequence header OBU: start of a coded video sequence.
        assertThat(detect(VideoCodec.AV1, rtp(0x18, 0x08, 0x00, 0x00))).isTrue();
        // N=1 with Y=1 and W=0 (length-prefixed elements).
        assertThat(detect(VideoCodec.AV1, rtp(0x48, 0x02, 0x08, 0x00, 0x30))).isTrue();
        // Z=1: the first element continues an OBU from an earlier packet.
        assertThat(detect(VideoCodec.AV1, rtp(0x98, 0x12, 0x34))).isFalse();
        // N=0: inside a coded video sequence.
        assertThat(detect(VideoCodec.AV1, rtp(0x10, 0x30, 0x00))).isFalse();
        // Aggregation header only, or nothing.
        assertThat(detect(VideoCodec.AV1, rtp(0x18))).isFalse();
        assertThat(detect(VideoCodec.AV1, rtp())).isFalse();
    }

    @Test
    void headerExtensionCsrcsAndPaddingAreHonoured() {
        assertThat(detect(VideoCodec.AV1, rtpWithCsrcExtensionAndPadding(3, 0x18, 0x08, 0x00))).isTrue();
        // After removing the padding only the aggregation header is left.
        assertThat(detect(VideoCodec.AV1, rtpWithCsrcExtensionAndPadding(4, 0x18))).isFalse();
        assertThat(detect(VideoCodec.H264, rtpWithCsrcExtensionAndPadding(2, 0x7C, 0x85, 0x88))).isTrue();
        assertThat(detect(VideoCodec.H264, rtpWithCsrcExtensionAndPadding(1))).isFalse();
        assertThat(detect(VideoCodec.VP9, rtpWithCsrcExtensionAndPadding(5, 0xA8, 0x05, 0x00, 0x07, 0x82)))
                .isTrue();
        // Padding that claims the IDR's FU header: the FU indicator alone remains.
        assertThat(detect(VideoCodec.H264, rtpWithCsrcExtensionAndPadding(2, 0x7C))).isFalse();
        // Padding longer than the payload.
        byte[] overPadded = rtpWithCsrcExtensionAndPadding(1, 0x65, 0x88);
        overPadded[overPadded.length - 1] = (byte) 200;
        for (VideoCodec codec : VideoCodec.values()) {
            assertThat(detect(codec, overPadded)).as("%s", codec).isFalse();
        }
    }

    @Test
    void wrongVersionIsNeverAStart() {
        byte[] idr = rtp(0x65, 0x88, 0x84);
        idr[0] = 0x40;
        assertThat(detect(VideoCodec.H264, idr)).isFalse();
    }

    @Test
    void codecsByRtpmapName() {
        assertThat(VideoCodec.fromName("vp8")).isEqualTo(VideoCodec.VP8);
        assertThat(VideoCodec.fromName("VP9")).isEqualTo(VideoCodec.VP9);
        assertThat(VideoCodec.fromName("H264")).isEqualTo(VideoCodec.H264);
        assertThat(VideoCodec.fromName("av1")).isEqualTo(VideoCodec.AV1);
        assertThat(VideoCodec.fromName("opus")).isNull();
    }
}
