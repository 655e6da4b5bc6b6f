package org.adam.sfu.webrtc.forward;

import static org.adam.sfu.webrtc.forward.RecordingLinks.vp8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.netty.buffer.ByteBuf;
import org.adam.sfu.webrtc.rtp.RtpPacket;
import org.adam.sfu.webrtc.rtp.VideoCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What one receiver is sent, through a recording link: its copies, retransmissions and padding
 * probes on its RTX stream, the transport-wide sequence extension, and what is counted.
 */
class DownTrackTest {

    private static final long MS = 1_000_000L;

    private final RecordingLinks.Receiver link = new RecordingLinks.Receiver();
    private final TrackForwarder layer = new TrackForwarder("t", true, VideoCodec.VP8, 90000, null, 100);
    private final DownTrack downTrack = new DownTrack(List.of(layer), 0, null, link, 555, 97, (d, l) -> { });

    {
        layer.addDownTrack(downTrack);
    }

    @AfterEach
    void release() {
        link.release();
        layer.close();
    }

    private void publish(int seq, long timestamp, boolean keyframe, long atNanos) {
        layer.forward(vp8(100, seq, timestamp, keyframe), atNanos);
    }

    @Test
    void copiesCarryTheReceiversSsrcAndPayloadTypeAndAreCounted() {
        assertThat(downTrack.takeRateBps(0)).isZero();
        publish(10, 3000, true, 0);
        publish(11, 6000, false, 0);
        assertThat(link.sent).hasSize(2);
        ByteBuf copy = link.sent.get(1);
        assertThat(RtpPacket.ssrc(copy)).isEqualTo(555);
        assertThat(RtpPacket.payloadType(copy)).isEqualTo(97);
        assertThat(RtpPacket.sequenceNumber(copy)).isEqualTo(11);
        assertThat(RtpPacket.timestamp(copy)).isEqualTo(6000);
        int length = copy.readableBytes();
        assertThat(downTrack.packetsSent()).isEqualTo(2);
        assertThat(downTrack.bytesSent()).isEqualTo(2L * length);
        assertThat(link.counters.rtpForwarded.sum()).isEqualTo(2);
        assertThat(downTrack.takeRateBps(500 * MS)).isEqualTo(2L * length * 8 * 2);
        assertThat(downTrack.takeRateBps(600 * MS)).as("nothing since").isZero();
    }

    @Test
    void aNackIsAnsweredOnTheRtxStreamWithTheOriginalSequenceFirst() {
        downTrack.setRtx(777, 98);
        publish(10, 3000, true, 0);
        publish(11, 6000, false, 0);
        assertThat(downTrack.retransmit(11, 10 * MS)).isTrue();
        assertThat(downTrack.retransmit(11, 20 * MS)).isTrue();
        ByteBuf first = link.sent.get(2);
        ByteBuf second = link.sent.get(3);
        assertThat(RtpPacket.ssrc(first)).isEqualTo(777);
        assertThat(RtpPacket.payloadType(first)).isEqualTo(98);
        assertThat(first.getUnsignedShort(RtpPacket.FIXED_HEADER)).as("original sequence (RFC 4588 4)").isEqualTo(11);
        assertThat(first.readableBytes()).isEqualTo(link.sent.get(1).readableBytes() + 2);
        assertThat(RtpPacket.sequenceNumber(second)).as("the RTX stream's own sequence")
                .isEqualTo((RtpPacket.sequenceNumber(first) + 1) & 0xFFFF);
        assertThat(link.counters.retransmissions.sum()).isEqualTo(2);
        assertThat(downTrack.packetsSent()).as("retransmissions are not media sent").isEqualTo(2);
        assertThat(downTrack.retransmit(12, 20 * MS)).as("not sent yet").isFalse();
    }

    @Test
    void noRetransmissionWithoutAnRtxStream() {
        publish(10, 3000, true, 0);
        assertThat(downTrack.retransmit(10, 0)).isFalse();
        assertThat(link.sent).hasSize(1);
    }

    @Test
    void paddingProbesGoOnTheRtxStreamAfterTheFirstMediaPacket() {
        downTrack.setRtx(777, 98);
        assertThat(downTrack.sendPadding(600)).as("nothing sent yet to stamp it after").isZero();
        publish(10, 3000, true, 0);
        int sent = downTrack.sendPadding(600);
        int each = RtpPacket.FIXED_HEADER + PaddingProbes.PADDING_PER_PACKET;
        assertThat(sent).isEqualTo(3 * each);
        assertThat(link.sent).hasSize(4);
        ByteBuf probe = link.sent.get(1);
        assertThat((int) probe.getUnsignedByte(0)).as("V=2, P=1").isEqualTo(0xA0);
        assertThat((int) probe.getUnsignedByte(probe.writerIndex() - 1)).isEqualTo(PaddingProbes.PADDING_PER_PACKET);
        assertThat(RtpPacket.ssrc(probe)).isEqualTo(777);
        assertThat(RtpPacket.timestamp(probe)).isEqualTo(3000);
        assertThat(RtpPacket.sequenceNumber(link.sent.get(2)))
                .isEqualTo((RtpPacket.sequenceNumber(probe) + 1) & 0xFFFF);
        assertThat(link.counters.paddingBytes.sum()).isEqualTo(3L * each);
    }

    @Test
    void aReceiverInBandwidthEstimationGetsOnlyTheTransportWideSequenceExtension() {
        link.transportCcId = 5;
        downTrack.setRtx(777, 98);
        publish(10, 3000, true, 0);
        ByteBuf copy = link.sent.get(0);
        assertThat((int) copy.getUnsignedByte(0) & 0x10).as("X bit").isNotZero();
        assertThat(copy.getUnsignedShort(12)).isEqualTo(0xBEDE);
        assertThat((int) copy.getUnsignedByte(16)).isEqualTo((5 << 4) | 1);
        assertThat(link.transportSequenceOffsets.get(0)).isEqualTo(17);
        downTrack.sendPadding(1);
        ByteBuf probe = link.sent.get(1);
        assertThat((int) probe.getUnsignedByte(0)).as("V=2, P=1, X=1").isEqualTo(0xB0);
        assertThat(probe.readableBytes())
                .isEqualTo(RtpPacket.FIXED_HEADER + TransportCcExtension.LENGTH + PaddingProbes.PADDING_PER_PACKET);
        assertThat(link.transportSequenceOffsets.get(1)).isEqualTo(17);
    }

    @Test
    void aDroppedSendIsNotCounted() {
        link.up = false;
        ByteBuf packet = vp8(100, 1, 0, true);
        downTrack.send(packet);
        packet.release();
        assertThat(downTrack.packetsSent()).isZero();
        assertThat(link.counters.rtpForwarded.sum()).isZero();
    }
}
