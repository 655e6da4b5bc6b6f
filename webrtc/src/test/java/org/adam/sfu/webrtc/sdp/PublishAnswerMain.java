package org.adam.sfu.webrtc.sdp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Answers the publish offer on standard input as the node would and prints the answer, for the
 * round trip with the stacks that made the offers (scripts/sdp-roundtrip.sh). A refused offer
 * prints the node's reason on standard error and exits with 2.
 */
public final class PublishAnswerMain {

    /** The transport parameters the tests use; a real node has its own credentials and certificate. */
    static final LocalTransportParams LOCAL = new LocalTransportParams("ufrag123", "pwd4567890123456789012345",
            "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99",
            "127.0.0.1", 40000);

    private PublishAnswerMain() {
    }

    public static void main(String[] args) throws IOException {
        String offer = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        try {
            System.out.print(PublishNegotiator.answer(offer, LOCAL).sdp());
        } catch (SdpParseException | SdpNegotiationException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }
}
