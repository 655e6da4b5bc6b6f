package org.adam.sfu.webrtc.forward;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.adam.sfu.webrtc.transport.MediaCounters;
import org.adam.sfu.webrtc.transport.WebRtcTransport;

/**
 * What a {@link TrackForwarder} needs of the connection its stream arrives on: a way to send the
 * publisher RTCP (keyframe requests, NACKs), and the counters and buffer pool that go with it. A
 * seam, so the forwarding logic is tested without sockets or crypto; in the node it is always
 * {@link #of} a transport. Media event loop only.
 */
interface PublisherLink {

    /** Sends an RTCP compound packet to the publisher; takes ownership of {@code packet}. */
    void sendRtcp(ByteBuf packet);

    MediaCounters counters();

    /** Whether the stream comes from another node through a pipe. */
    boolean isPipe();

    ByteBufAllocator allocator();

    /** {@code transport} as a link; null for null (benchmarks and tests without a publisher). */
    static PublisherLink of(WebRtcTransport transport) {
        return transport == null ? null : new TransportLink(transport);
    }

    /** The node's link: the publisher's (or pipe's) transport. */
    final class TransportLink implements PublisherLink {
        private final WebRtcTransport transport;

        TransportLink(WebRtcTransport transport) {
            this.transport = transport;
        }

        @Override
        public void sendRtcp(ByteBuf packet) {
            transport.sendRtcp(packet);
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
