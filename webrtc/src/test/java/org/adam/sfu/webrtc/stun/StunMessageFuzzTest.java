package org.adam.sfu.webrtc.stun;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.adam.sfu.webrtc.ice.IceLiteResponder;
import org.adam.sfu.webrtc.ice.IceSessions;

/**
 * Coverage-guided fuzzing of STUN (RFC 8489) as the media port meets it: the parser and every
 * attribute reader, then the ICE-lite responder, which must answer, refuse or stay silent but
 * never throw. The contract: {@link StunMessage#parse} returns or throws
 * {@link StunParseException}; nothing else escapes.
 */
class StunMessageFuzzTest {

    private static final InetSocketAddress SENDER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 50000);
    private final IceLiteResponder responder = new IceLiteResponder();

    @FuzzTest
    void parsesOrRefusesEveryDatagram(byte[] datagram) {
        try {
            StunMessage message = StunMessage.parse(datagram, 0, datagram.length);
            message.method();
            message.messageClass();
            message.username();
            message.priority();
            message.errorCode();
            message.xorMappedAddress();
            message.useCandidate();
            message.iceControlling();
            message.iceControlled();
            message.verifyIntegrity(IceSessions.FUZZ_PASSWORD_BYTES);
            message.verifyFingerprint();
        } catch (StunParseException refused) {
            // the parser's declared way to refuse
        }
        StunMessage.isStun(datagram, 0, datagram.length);
        responder.handle(datagram, 0, datagram.length, SENDER, IceSessions::fuzzSession);
    }
}
