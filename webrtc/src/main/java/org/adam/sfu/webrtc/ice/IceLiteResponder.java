package org.adam.sfu.webrtc.ice;

import java.net.InetSocketAddress;
import java.util.function.Function;

import org.adam.sfu.webrtc.stun.StunAttributeType;
import org.adam.sfu.webrtc.stun.StunMessage;
import org.adam.sfu.webrtc.stun.StunMessageType;
import org.adam.sfu.webrtc.stun.StunMessageWriter;
import org.adam.sfu.webrtc.stun.StunParseException;

/**
 * Answers ICE connectivity checks arriving on the node's shared port (sans-I/O: bytes in, bytes
 * out). A check is valid when it is a Binding request whose USERNAME `localUfrag:remoteUfrag`
 * names a live session and whose MESSAGE-INTEGRITY verifies with that session's password
 * (RFC 8445 section 7.3). Stateless apart from the lookup, so one instance serves the whole port.
 */
public final class IceLiteResponder {

    /** Why a datagram got no success response; the caller counts these. */
    public enum Outcome {
        ACCEPTED, MALFORMED, NOT_A_REQUEST, NO_USERNAME, UNKNOWN_UFRAG, BAD_INTEGRITY, BAD_FINGERPRINT
    }

    /**
     * @param response bytes to send back to the sender (a success, or a 400/401 error), or null
     */
    public record Result(Outcome outcome, IceSession session, byte[] response, boolean useCandidate,
                         String localUfrag) {
        public boolean accepted() {
            return outcome == Outcome.ACCEPTED;
        }

        static Result dropped(Outcome outcome) {
            return new Result(outcome, null, null, false, null);
        }
    }

    public Result handle(byte[] data, int offset, int length, InetSocketAddress from,
                         Function<String, IceSession> sessionsByLocalUfrag) {
        StunMessage request;
        try {
            request = StunMessage.parse(data, offset, length);
        } catch (StunParseException e) {
            return Result.dropped(Outcome.MALFORMED);
        }
        if (request.type() != StunMessageType.BINDING_REQUEST) {
            // Indications (keepalives) need no answer; responses are not expected by a lite agent.
            return Result.dropped(Outcome.NOT_A_REQUEST);
        }
        if (request.hasFingerprint() && !request.verifyFingerprint()) {
            return Result.dropped(Outcome.BAD_FINGERPRINT);
        }
        String username = request.username();
        int colon = username == null ? -1 : username.indexOf(':');
        if (colon <= 0) {
            // RFC 8489 section 9.1.3: a request without the credentials we need is answered 400.
            return new Result(Outcome.NO_USERNAME, null, error(request, 400, "Bad Request"), false, null);
        }
        String localUfrag = username.substring(0, colon);
        IceSession session = sessionsByLocalUfrag.apply(localUfrag);
        if (session == null || !session.accepts(localUfrag, username.substring(colon + 1))) {
            // Not ours: stay silent rather than confirm to a scanner that the port is alive.
            return Result.dropped(Outcome.UNKNOWN_UFRAG);
        }
        // During an ICE restart the old and the new credentials are both ours: sign with the ones named.
        byte[] key = session.integrityKey(localUfrag);
        if (!request.verifyIntegrity(key)) {
            // RFC 8489 section 9.1.3: wrong credentials get a 401 (without integrity of its own).
            return new Result(Outcome.BAD_INTEGRITY, null, error(request, 401, "Unauthorized"), false, null);
        }
        byte[] response = new StunMessageWriter(StunMessageType.BINDING_SUCCESS, request.transactionId())
                .xorMappedAddress(from)
                .encode(key, true);
        return new Result(Outcome.ACCEPTED, session, response, request.has(StunAttributeType.USE_CANDIDATE),
                localUfrag);
    }

    private static byte[] error(StunMessage request, int code, String reason) {
        return new StunMessageWriter(StunMessageType.BINDING_ERROR, request.transactionId())
                .errorCode(code, reason)
                .encode(null, true);
    }
}
