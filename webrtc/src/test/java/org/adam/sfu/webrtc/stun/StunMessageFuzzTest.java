package org.adam.sfu.webrtc.stun;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Random;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.adam.sfu.webrtc.ice.IceLiteResponder;
import org.adam.sfu.webrtc.ice.IceSessions;
import org.adam.sfu.webrtc.turn.TurnClient;
import org.adam.sfu.webrtc.turn.TurnCredentials;
import org.adam.sfu.webrtc.turn.TurnStreamFramer;
import org.adam.sfu.webrtc.turn.TurnTransport;

/**
 * Coverage-guided fuzzing of STUN (RFC 8489) as the media port meets it: the parser and every
 * attribute reader (TURN's included), then the ICE-lite responder, which must answer, refuse or
 * stay silent but never throw; and the same bytes as a TURN server's answer to a client that is
 * allocating, and as a TCP stream from a TURN server. The contract: {@link StunMessage#parse}
 * and the readers return or throw {@link StunParseException}; the TURN client takes or ignores
 * input but never throws; the stream framer frames or throws {@link StunParseException}.
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
            message.data();
            readTurnAttributes(message);
        } catch (StunParseException refused) {
            // the parser's declared way to refuse
        }
        TurnClient turn = new TurnClient(new TurnCredentials("fuzz", "fuzz"), TurnTransport.UDP, new Random(1));
        turn.allocate(0);
        turn.pollTransmit();
        turn.handleInput(datagram, 0, datagram.length, 0);
        try {
            new TurnStreamFramer().feed(datagram, 0, datagram.length, (buffer, offset, length) -> { });
        } catch (StunParseException refused) {
            // not a stream a TURN server sends
        }
        StunMessage.isStun(datagram, 0, datagram.length);
        responder.handle(datagram, 0, datagram.length, SENDER, IceSessions::fuzzSession);
    }

    /** Each reader on its own, so that one refusing does not hide the others. */
    private static void readTurnAttributes(StunMessage message) {
        for (StunAttributeReader reader : new StunAttributeReader[] {StunMessage::xorRelayedAddress,
                StunMessage::xorPeerAddress, StunMessage::lifetime, StunMessage::channelNumber,
                StunMessage::requestedTransport, StunMessage::realm, StunMessage::nonce, StunMessage::errorReason}) {
            try {
                reader.read(message);
            } catch (StunParseException refused) {
                // a malformed attribute, refused as declared
            }
        }
    }

    private interface StunAttributeReader {
        Object read(StunMessage message) throws StunParseException;
    }
}
