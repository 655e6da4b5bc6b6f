package org.adam.sfu.bench.load.media;

import org.adam.sfu.bench.load.client.ClientTransport;

/** One synthetic outgoing stream, driven by its publisher's pacing tick on the transport's event loop. */
public interface MediaSource {

    /** Sends whatever fell due up to {@code nowNanos} (queued; the caller flushes). */
    void tick(long nowNanos, ClientTransport out);

    RtpStreamWriter stream();

    /** The node asked for a keyframe of this SSRC (PLI or FIR). */
    default void requestKeyframe() {
    }
}
