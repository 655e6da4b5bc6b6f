package org.adam.sfu.room;

import java.util.List;

/**
 * The codec a publisher sends a track with, as negotiated on its publish connection. Subscribers
 * are offered exactly this codec, so the payload is forwarded untouched.
 */
public record CodecSpec(int payloadType, String name, int clockRate, int channels, String fmtp,
                        List<String> rtcpFeedback) {

    public CodecSpec {
        rtcpFeedback = List.copyOf(rtcpFeedback);
    }
}
