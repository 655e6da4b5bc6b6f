package org.adam.sfu.webrtc.forward;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.adam.sfu.webrtc.transport.MediaCounters;

/** Links that keep what is sent on them, in place of a transport, for tests of the forwarding logic. */
final class RecordingLinks {

    private RecordingLinks() {
    }

    /** A receiver's connection: keeps every RTP packet sent, with where its transport-wide sequence goes. */
    static final class Receiver implements ReceiverLink {
        final List<ByteBuf> sent = new ArrayList<>();
        final List<Integer> transportSequenceOffsets = new ArrayList<>();
        final MediaCounters counters = new MediaCounters();
        boolean up = true;
        int transportCcId = -1;

        @Override
        public boolean canSend() {
            return up;
        }

        @Override
        public boolean sendRtp(ByteBuf packet, int transportSequenceOffset) {
            if (!up) {
                packet.release();
                return false;
            }
            sent.add(packet);
            transportSequenceOffsets.add(transportSequenceOffset);
            return true;
        }

        @Override
        public int transportCcExtensionId() {
            return transportCcId;
        }

        @Override
        public MediaCounters counters() {
            return counters;
        }

        @Override
        public boolean isPipe() {
            return false;
        }

        @Override
        public ByteBufAllocator allocator() {
            return ByteBufAllocator.DEFAULT;
        }

        void release() {
            sent.forEach(ByteBuf::release);
            sent.clear();
        }
    }

    /** A publisher's connection: keeps every RTCP packet sent to it. */
    static final class Publisher implements PublisherLink {
        final List<ByteBuf> rtcp = new ArrayList<>();
        final MediaCounters counters = new MediaCounters();

        @Override
        public void sendRtcp(ByteBuf packet) {
            rtcp.add(packet);
        }

        @Override
        public MediaCounters counters() {
            return counters;
        }

        @Override
        public boolean isPipe() {
            return false;
        }

        @Override
        public ByteBufAllocator allocator() {
            return ByteBufAllocator.DEFAULT;
        }

        /** The RTCP packet type (PT) and format (FMT) of packet {@code i}: "206/1" is a PLI. */
        String kind(int i) {
            ByteBuf p = rtcp.get(i);
            return p.getUnsignedByte(1) + "/" + (p.getUnsignedByte(0) & 0x1F);
        }

        void release() {
            rtcp.forEach(ByteBuf::release);
            rtcp.clear();
        }
    }

    /** A VP8 packet of stream {@code ssrc}, 20 bytes of payload; a keyframe start or a delta. */
    static ByteBuf vp8(int ssrc, int seq, long timestamp, boolean keyframe) {
        ByteBuf p = Unpooled.buffer();
        p.writeByte(0x80).writeByte(96).writeShort(seq).writeInt((int) timestamp).writeInt(ssrc);
        p.writeByte(0x10).writeByte(keyframe ? 0x00 : 0x01).writeZero(20);
        return p;
    }
}
