package org.adam.sfu.webrtc.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** Transport-wide sequence numbers stamped on what a receiving peer is sent, and who takes them. */
class OutboundStreamsTest {

    private static final int OFFSET = 14;

    private static ByteBuf packet() {
        return Unpooled.buffer(40).writeZero(40);
    }

    @Test
    void stampsConsecutiveSequenceNumbersFromZeroAtTheGivenOffset() {
        OutboundStreams streams = OutboundStreams.forClient(new MediaCounters());
        ByteBuf first = packet();
        ByteBuf second = packet();
        streams.stampTransportSequence(first, OFFSET, 0);
        streams.stampTransportSequence(second, OFFSET, 1_000_000);
        assertThat(first.getUnsignedShort(OFFSET)).isZero();
        assertThat(second.getUnsignedShort(OFFSET)).isEqualTo(1);
        assertThat(first.getByte(OFFSET - 1)).as("nothing else written").isZero();
        assertThat(first.getByte(OFFSET + 2)).isZero();
        first.release();
        second.release();
    }

    @Test
    void theSequenceWrapsAfter65535() {
        OutboundStreams streams = OutboundStreams.forClient(new MediaCounters());
        ByteBuf packet = packet();
        for (int i = 0; i <= 0xFFFF; i++) {
            streams.stampTransportSequence(packet, OFFSET, i);
        }
        assertThat(packet.getUnsignedShort(OFFSET)).isEqualTo(0xFFFF);
        streams.stampTransportSequence(packet, OFFSET, 0x10000);
        assertThat(packet.getUnsignedShort(OFFSET)).isZero();
        packet.release();
    }

    @Test
    void aClientTakesTheExtensionItNegotiatedAndAPipeNone() {
        OutboundStreams client = OutboundStreams.forClient(new MediaCounters());
        OutboundStreams pipe = OutboundStreams.forPipe();
        assertThat(client.transportCcExtensionId()).as("until negotiated").isEqualTo(-1);
        client.useTransportCc(3);
        pipe.useTransportCc(3);
        assertThat(client.transportCcExtensionId()).isEqualTo(3);
        assertThat(pipe.transportCcExtensionId()).isEqualTo(-1);
        assertThat(pipe.downlink()).isNull();
        assertThat(client.downlink()).isNotNull();
    }

    @Test
    void thePublisherCapIsKeptAsGiven() {
        OutboundStreams streams = OutboundStreams.forPipe();
        assertThat(streams.publisherCapBps()).isZero();
        streams.capPublisher(750_000);
        assertThat(streams.publisherCapBps()).isEqualTo(750_000);
    }
}
