package org.adam.sfu.webrtc.sdp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;

/**
 * A client's answer to a subscribe offer: its transport parameters, which mids it accepted, the
 * payload types it accepted on each, and whether it takes the transport-wide sequence number.
 */
public record SubscribeAnswer(RemoteTransportParams remote, List<String> acceptedMids,
                              Map<String, List<String>> formatsByMid, boolean transportCc) {

    public static SubscribeAnswer read(String answerSdp) throws SdpParseException, SdpNegotiationException {
        SessionDescription answer = SessionDescription.parse(answerSdp);
        if (answer.media().isEmpty()) {
            throw new SdpNegotiationException("the answer has no m-lines");
        }
        MediaDescription first = answer.media().stream().filter(m -> !m.isRejected()).findFirst()
                .orElseThrow(() -> new SdpNegotiationException("the answer rejects every m-line"));
        List<String> accepted = new ArrayList<>();
        Map<String, List<String>> formats = new HashMap<>();
        boolean transportCc = false;
        for (MediaDescription m : answer.media()) {
            if (!m.isRejected() && m.mid() != null) {
                accepted.add(m.mid());
                formats.put(m.mid(), m.formats());
                transportCc |= HeaderExtensionUris.TRANSPORT_WIDE_CC.equals(
                        m.headerExtensions().get(HeaderExtensionUris.SUBSCRIBE_TRANSPORT_CC_ID));
            }
        }
        return new SubscribeAnswer(RemoteTransportParams.read(answer, first), accepted, Map.copyOf(formats),
                transportCc);
    }
}
