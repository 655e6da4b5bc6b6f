package org.adam.sfu.webrtc.sdp;

import java.util.ArrayList;
import java.util.List;

/** A client's answer to a subscribe offer: its transport parameters and which mids it accepted. */
public record SubscribeAnswer(RemoteTransportParams remote, List<String> acceptedMids) {

    public static SubscribeAnswer read(String answerSdp) throws SdpParseException, SdpNegotiationException {
        SessionDescription answer = SessionDescription.parse(answerSdp);
        if (answer.media().isEmpty()) {
            throw new SdpNegotiationException("the answer has no m-lines");
        }
        MediaDescription first = answer.media().stream().filter(m -> !m.isRejected()).findFirst()
                .orElseThrow(() -> new SdpNegotiationException("the answer rejects every m-line"));
        List<String> accepted = new ArrayList<>();
        for (MediaDescription m : answer.media()) {
            if (!m.isRejected() && m.mid() != null) {
                accepted.add(m.mid());
            }
        }
        return new SubscribeAnswer(RemoteTransportParams.read(answer, first), accepted);
    }
}
