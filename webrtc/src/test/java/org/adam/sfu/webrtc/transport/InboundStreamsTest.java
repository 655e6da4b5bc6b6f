package org.adam.sfu.webrtc.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.adam.sfu.webrtc.forward.TrackForwarder;
import org.junit.jupiter.api.Test;

/** Decrypted RTP goes to its stream's forwarder by SSRC, or by payload type until its SSRC is learnt. */
class InboundStreamsTest {

    private final MediaCounters counters = new MediaCounters();
    private final InboundStreams streams = new InboundStreams(counters);

    private static ByteBuf rtp(int payloadType, int ssrc) {
        return Unpooled.buffer().writeByte(0x80).writeByte(payloadType).writeShort(1).writeInt(3000).writeInt(ssrc)
                .writeZero(20);
    }

    private static TrackForwarder audio() {
        return new TrackForwarder("t", false, null, 48000, null, 0);
    }

    @Test
    void aPacketGoesToTheForwarderOfItsSsrc() {
        TrackForwarder forwarder = audio();
        streams.add(0x1234, forwarder);
        ByteBuf packet = rtp(111, 0x1234);
        streams.deliver(packet, 0);
        assertThat(forwarder.packetsIn()).isEqualTo(1);
        assertThat(packet.refCnt()).as("the forwarder took it").isZero();
    }

    @Test
    void aPacketOfNoStreamIsDroppedCountedAndReleased() {
        streams.add(0x1234, audio());
        ByteBuf packet = rtp(111, 0x9999);
        streams.deliver(packet, 0);
        assertThat(counters.droppedUnknownSsrc.sum()).isEqualTo(1);
        assertThat(packet.refCnt()).isZero();
    }

    @Test
    void aStreamNamedByPayloadTypeIsBoundToTheSsrcOfItsFirstPacket() {
        TrackForwarder forwarder = audio();
        streams.addUnsignalledRoute(-1, "0", 111, forwarder);
        streams.deliver(rtp(111, 0x4444), 0);
        streams.deliver(rtp(111, 0x4444), 1);
        assertThat(forwarder.packetsIn()).as("the second by its SSRC").isEqualTo(2);
        assertThat(streams.bySsrc().get(0x4444)).isSameAs(forwarder);
    }

    @Test
    void removingAnUnsignalledRouteForgetsTheSsrcItWasBoundTo() {
        TrackForwarder forwarder = audio();
        streams.addUnsignalledRoute(-1, "0", 111, forwarder);
        streams.deliver(rtp(111, 0x4444), 0);
        streams.removeUnsignalledRoute("0", 111);
        assertThat(streams.isEmpty()).isTrue();
        ByteBuf late = rtp(111, 0x4444);
        streams.deliver(late, 1);
        assertThat(forwarder.packetsIn()).isEqualTo(1);
        assertThat(counters.droppedUnknownSsrc.sum()).isEqualTo(1);
    }

    @Test
    void clearForgetsEveryStream() {
        streams.add(1, audio());
        streams.add(2, audio());
        streams.clear();
        assertThat(streams.isEmpty()).isTrue();
    }
}
