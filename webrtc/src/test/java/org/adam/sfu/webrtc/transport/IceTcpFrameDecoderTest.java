package org.adam.sfu.webrtc.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.LongAdder;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/** RFC 4571 framing of ICE-TCP and the bounds the node keeps while reading it. */
class IceTcpFrameDecoderTest {

    private final LongAdder refusals = new LongAdder();
    private final IceTcpFrameDecoder decoder = new IceTcpFrameDecoder(refusals);
    private final EmbeddedChannel channel = new EmbeddedChannel(decoder);

    /** A STUN-like frame: a first byte of 0 and {@code length} bytes in all. */
    private static byte[] stun(int length) {
        byte[] body = new byte[length];
        for (int i = 2; i < length; i++) {
            body[i] = (byte) i;
        }
        return body;
    }

    private static ByteBuf framed(byte[]... bodies) {
        ByteBuf out = Unpooled.buffer();
        for (byte[] body : bodies) {
            out.writeShort(body.length).writeBytes(body);
        }
        return out;
    }

    private void assertFrame(byte[] expected) {
        ByteBuf frame = channel.readInbound();
        try {
            assertThat(frame).as("a decoded frame").isNotNull();
            byte[] bytes = new byte[frame.readableBytes()];
            frame.readBytes(bytes);
            assertThat(bytes).isEqualTo(expected);
        } finally {
            frame.release();
        }
    }

    @Test
    void cutsFramesThatArriveSplitAtAnyByte() {
        byte[] first = stun(20);
        byte[] second = stun(120);
        ByteBuf stream = framed(first, second);
        while (stream.isReadable()) {
            channel.writeInbound(stream.readRetainedSlice(1)); // one byte per read: the worst a peer can do
        }
        stream.release();
        assertFrame(first);
        assertFrame(second);
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(channel.isOpen()).isTrue();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void cutsSeveralFramesOutOfOneRead() {
        byte[] a = stun(20);
        byte[] b = stun(28);
        byte[] c = stun(300);
        channel.writeInbound(framed(a, b, c));
        assertFrame(a);
        assertFrame(b);
        assertFrame(c);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void refusesWhatIsNotStunBeforeAuthentication() {
        // An HTTP request on the media TCP port: "GE" reads as a length of 18,245, over the bound.
        channel.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\nHost: x\r\n\r\n", java.nio.charset.StandardCharsets.US_ASCII));
        assertRefused();
    }

    @Test
    void refusesDtlsOrRtpBeforeAuthentication() {
        byte[] dtls = stun(40);
        dtls[0] = 22; // a DTLS handshake record
        channel.writeInbound(framed(dtls));
        assertRefused();
    }

    @Test
    void refusesAFrameLongerThanAStunMessageCanBeBeforeAuthentication() {
        channel.writeInbound(Unpooled.buffer().writeShort(IceTcpFrameDecoder.MAX_UNAUTHENTICATED_FRAME + 1).writeByte(0));
        assertRefused();
    }

    @Test
    void refusesFramesTooShortForAnyPacket() {
        channel.writeInbound(framed(new byte[IceTcpFrameDecoder.MIN_FRAME - 1]));
        assertRefused();
    }

    @Test
    void refusesAFirstByteOfNoKnownProtocolAfterAuthentication() {
        decoder.authenticate();
        byte[] unknown = stun(40);
        unknown[0] = 100; // RFC 7983: 64..127 is nothing WebRTC multiplexes here
        channel.writeInbound(framed(unknown));
        assertRefused();
    }

    @Test
    void afterAuthenticationTakesDtlsRtpAndFramesUpTo65535Bytes() {
        decoder.authenticate();
        byte[] dtls = stun(200);
        dtls[0] = 22;
        byte[] rtp = stun(IceTcpFrameDecoder.MAX_FRAME);
        rtp[0] = (byte) 0x80;
        channel.writeInbound(framed(dtls, rtp));
        assertFrame(dtls);
        assertFrame(rtp);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void releasesAHalfReadFrameWhenTheConnectionCloses() {
        ByteBuf partial = framed(stun(500));
        partial.writerIndex(100);
        channel.writeInbound(partial);
        assertThat((Object) channel.readInbound()).isNull();
        // finish() closes the channel: the decoder must release the 500-byte buffer it was filling
        // (the paranoid leak detector of the test run reports it otherwise).
        assertThat(channel.finish()).isFalse();
        assertThat(refusals.sum()).isZero();
    }

    @Test
    void aRefusalStopsReadingTheRestOfTheBuffer() {
        byte[] bad = stun(40);
        bad[0] = (byte) 0xC8; // RTCP before authentication
        channel.writeInbound(framed(bad, stun(20)));
        assertRefused(); // and the valid frame behind it is released unread, not decoded
    }

    private void assertRefused() {
        assertThat(channel.isOpen()).as("connection closed").isFalse();
        assertThat(refusals.sum()).isEqualTo(1);
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(channel.finish()).isFalse();
    }
}
