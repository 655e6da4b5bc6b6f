package org.adam.sfu.webrtc.sdp;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The payload type numbers of one BUNDLE group the node offers (a subscribe connection): one
 * number per codec configuration across every m-line, as RFC 8843 9.1 requires. Publishers number
 * their codecs as they like (aiortc's 96 is Opus where Chromium's is VP8), and receivers that
 * demultiplex a bundle by payload type (GStreamer's webrtcbin) hand a packet to the decoder its
 * number names; so the node renumbers every forwarded packet into this table. A number, once
 * given, keeps its meaning for the connection's life, as m-lines and their formats do.
 *
 * <p>A codec configuration is its encoding name, clock rate, channels and format parameters:
 * two H.264 profiles, or Opus with and without in-band FEC, are different configurations.
 * Conventional numbers (those libwebrtc uses) are taken when free, so SDP reads familiarly.
 */
public final class BundlePayloadTypes {

    /** The numbers given to a forwarded codec and to its retransmission format (-1: none). */
    public record Assigned(int payloadType, int rtxPayloadType) {
    }

    private static final Map<String, Integer> CONVENTIONAL = Map.of(
            "opus", 111, "vp8", 96, "vp9", 98, "h264", 102, "av1", 45);

    private final Map<String, Integer> byConfiguration = new HashMap<>();
    private final BitSet used = new BitSet(128);

    /**
     * The numbers for {@code codec} (a publisher's, its own number ignored) and, if
     * {@code withRtx}, for its RTX format (RFC 4588, one per codec configuration).
     *
     * @throws IllegalStateException when the dynamic range is exhausted (more than about 60
     *                               configurations in one bundle)
     */
    public Assigned assign(RtpCodec codec, boolean withRtx) {
        String key = configurationKey(codec);
        int payloadType = byConfiguration.computeIfAbsent(key, k -> take(CONVENTIONAL.get(codec.lowerName())));
        int rtx = -1;
        if (withRtx) {
            rtx = byConfiguration.computeIfAbsent("rtx:" + key, k -> take(payloadType + 1));
        }
        return new Assigned(payloadType, rtx);
    }

    /** {@code preferred} if free, else the first free dynamic number (96-127, then 35-63 as JSEP allows). */
    private int take(Integer preferred) {
        if (preferred != null && preferred >= 35 && preferred <= 127 && !used.get(preferred)
                && (preferred >= 96 || preferred <= 63)) {
            used.set(preferred);
            return preferred;
        }
        for (int pt = 96; pt <= 127; pt++) {
            if (!used.get(pt)) {
                used.set(pt);
                return pt;
            }
        }
        for (int pt = 35; pt <= 63; pt++) {
            if (!used.get(pt)) {
                used.set(pt);
                return pt;
            }
        }
        throw new IllegalStateException("no payload type left in the bundle");
    }

    /** Name, clock rate, channels and the format parameters in a canonical order. */
    static String configurationKey(RtpCodec codec) {
        Map<String, String> parameters = new TreeMap<>();
        for (String part : codec.fmtp().split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                parameters.put(part.substring(0, eq).trim().toLowerCase(Locale.ROOT),
                        part.substring(eq + 1).trim().toLowerCase(Locale.ROOT));
            } else if (!part.isBlank()) {
                parameters.put(part.trim().toLowerCase(Locale.ROOT), "");
            }
        }
        return codec.lowerName() + "/" + codec.clockRate() + "/" + codec.channels() + "/" + parameters;
    }
}
