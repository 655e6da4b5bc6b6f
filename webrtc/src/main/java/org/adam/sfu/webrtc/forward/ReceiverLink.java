package org.adam.sfu.webrtc.forward;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.adam.sfu.webrtc.transport.MediaCounters;
import org.adam.sfu.webrtc.transport.WebRtcTransport;

/**
 * What a {@link DownTrack} needs of the connection it sends on: whether it is up, a way to send
 * one RTP packet, and the counters and buffer pool that go with it. A seam, so the per-receiver
 * logic is tested without sockets or crypto; in the node it is always {@link #of} a transport.
 * Media event loop only.
 */
interface ReceiverLink {

    /** Whether what is sent now would leave (connected, with a peer address). */
    boolean canSend();

    /**
     * Sends {@code packet} (taking ownership), stamping the transport-wide sequence number at
     * {@code transportSequenceOffset} unless it is -1.
     *
     * @return false if the packet was dropped
     */
    boolean sendRtp(ByteBuf packet, int transportSequenceOffset);

    /** The header extension id of the transport-wide sequence number, or not positive if unused. */
    int transportCcExtensionId();

    MediaCounters counters();

    boolean isPipe();

    ByteBufAllocator allocator();

    /** {@code transport} as a link; null for null (benchmarks and tests without a receiver). */
    static ReceiverLink of(WebRtcTransport transport) {
        return transport == null ? null : new TransportLink(transport);
    }

    /** The node's link: a receiver's transport. */
    final class TransportLink implements ReceiverLink {
        private final WebRtcTransport transport;

        TransportLink(WebRtcTransport transport) {
            this.transport = transport;
        }

        @Override
        public boolean canSend() {
            return transport.canSend();
        }

        @Override
        public boolean sendRtp(ByteBuf packet, int transportSequenceOffset) {
            return transport.sendRtp(packet, transportSequenceOffset);
        }

        @Override
        public int transportCcExtensionId() {
            return transport.transportCcExtensionId();
        }

        @Override
        public MediaCounters counters() {
            return transport.counters();
        }

        @Override
        public boolean isPipe() {
            return transport.isPipe();
        }

        @Override
        public ByteBufAllocator allocator() {
            return transport.allocator();
        }
    }
}
