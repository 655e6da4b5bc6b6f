package org.adam.sfu.webrtc.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import org.adam.sfu.webrtc.Hex;
import org.junit.jupiter.api.Test;

/**
 * The attributes TURN adds to STUN (RFC 8656 section 18) and the long-term credential (RFC 8489
 * 9.2): the RFC 5769 2.4 vector byte for byte, round trips of every attribute (IPv6 included),
 * and malformed values refused with {@link StunParseException}.
 */
class StunTurnAttributesTest {

    /** RFC 5769 section 2.4: Sample Request with Long-Term Authentication. */
    static final byte[] LONG_TERM_REQUEST = Hex.bytes("""
            00 01 00 60 21 12 a4 42 78 ad 34 33 c6 ad 72 c0 29 da 41 2e
            00 06 00 12 e3 83 9e e3 83 88 e3 83 aa e3 83 83 e3 82 af e3 82 b9 00 00
            00 15 00 1c 66 2f 2f 34 39 39 6b 39 35 34 64 36 4f 4c 33 34 6f 4c 39 46 53 54 76 79 36 34 73 41
            00 14 00 0b 65 78 61 6d 70 6c 65 2e 6f 72 67 00
            00 08 00 14 f6 70 24 65 6d d6 4a 3e 02 b8 e0 71 2e 85 c9 a2 8c a8 96 66""");

    private static final String USERNAME = "\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9";
    /** "The<U+00AD>M<U+00AA>tr<U+2168>" after SASLprep, as the RFC gives it. */
    private static final String PASSWORD = "TheMatrIX";
    private static final String REALM = "example.org";
    private static final String NONCE = "f//499k954d6OL34oL9FSTvy64sA";
    private static final byte[] TRANSACTION = Hex.bytes("78ad3433c6ad72c029da412e");

    @Test
    void longTermRequestOfRfc5769VerifiesWithTheMd5Key() throws Exception {
        StunMessage request = StunMessage.parse(LONG_TERM_REQUEST, 0, LONG_TERM_REQUEST.length);
        assertThat(request.username()).isEqualTo(USERNAME);
        assertThat(request.realm()).isEqualTo(REALM);
        assertThat(request.nonce()).isEqualTo(NONCE);
        assertThat(request.verifyIntegrity(StunLongTermKey.of(USERNAME, REALM, PASSWORD))).isTrue();
        assertThat(request.verifyIntegrity(StunLongTermKey.of(USERNAME, REALM, "TheMatrix"))).isFalse();
        assertThat(request.verifyIntegrity(PASSWORD.getBytes(StandardCharsets.UTF_8))).isFalse();
    }

    @Test
    void writerReproducesTheLongTermRequestByteForByte() {
        byte[] ours = new StunMessageWriter(StunMessageType.BINDING_REQUEST, TRANSACTION)
                .username(USERNAME).nonce(NONCE).realm(REALM)
                .encode(StunLongTermKey.of(USERNAME, REALM, PASSWORD), false);
        assertThat(ours).isEqualTo(LONG_TERM_REQUEST);
    }

    @Test
    void xorPeerAndRelayedAddressesRoundTripForBothFamilies() throws Exception {
        for (String ip : new String[] {"192.0.2.1", "127.0.0.1", "2001:db8:1234:5678:11:2233:4455:6677", "::1"}) {
            InetSocketAddress peer = new InetSocketAddress(InetAddress.getByName(ip), 32853);
            InetSocketAddress relay = new InetSocketAddress(InetAddress.getByName(ip), 49152);
            byte[] bytes = new StunMessageWriter(StunMessageType.encode(StunMessageType.METHOD_ALLOCATE,
                    StunMessageType.CLASS_SUCCESS), TRANSACTION)
                    .xorPeerAddress(peer).xorRelayedAddress(relay).xorMappedAddress(peer).encode();
            StunMessage message = StunMessage.parse(bytes, 0, bytes.length);
            assertThat(message.xorPeerAddress()).isEqualTo(peer);
            assertThat(message.xorRelayedAddress()).isEqualTo(relay);
            assertThat(message.xorMappedAddress()).isEqualTo(peer);
        }
    }

    @Test
    void turnAttributesRoundTrip() throws Exception {
        byte[] payload = {1, 2, 3, 4, 5}; // odd length: padded to 8 on the wire
        byte[] bytes = new StunMessageWriter(StunMessageType.encode(StunMessageType.METHOD_CHANNEL_BIND,
                StunMessageType.CLASS_REQUEST), TRANSACTION)
                .lifetime(600).requestedTransport(17).channelNumber(0x4ABC).data(payload, 0, payload.length)
                .realm("turn.example").nonce("n0nce").errorCode(438, "Stale Nonce").software("adam-sfu")
                .encode();
        StunMessage message = StunMessage.parse(bytes, 0, bytes.length);
        assertThat(message.method()).isEqualTo(StunMessageType.METHOD_CHANNEL_BIND);
        assertThat(message.lifetime()).isEqualTo(600);
        assertThat(message.requestedTransport()).isEqualTo(17);
        assertThat(message.channelNumber()).isEqualTo(0x4ABC);
        assertThat(message.data()).isEqualTo(payload);
        assertThat(message.realm()).isEqualTo("turn.example");
        assertThat(message.nonce()).isEqualTo("n0nce");
        assertThat(message.errorCode()).isEqualTo(438);
        assertThat(message.errorReason()).isEqualTo("Stale Nonce");
        assertThat(message.attribute(StunAttributeType.DATA).length()).isEqualTo(5);
    }

    @Test
    void absentAttributesReadAsAbsent() throws Exception {
        byte[] bytes = new StunMessageWriter(StunMessageType.BINDING_REQUEST, TRANSACTION).encode();
        StunMessage message = StunMessage.parse(bytes, 0, bytes.length);
        assertThat(message.xorPeerAddress()).isNull();
        assertThat(message.xorRelayedAddress()).isNull();
        assertThat(message.lifetime()).isEqualTo(-1);
        assertThat(message.channelNumber()).isEqualTo(-1);
        assertThat(message.requestedTransport()).isEqualTo(-1);
        assertThat(message.realm()).isNull();
        assertThat(message.nonce()).isNull();
        assertThat(message.errorReason()).isNull();
        assertThat(message.data()).isNull();
    }

    @Test
    void malformedAddressesAreRefused() throws Exception {
        assertRefused(StunAttributeType.XOR_PEER_ADDRESS, Hex.bytes("00 01 a1 47 e1 12"), StunMessage::xorPeerAddress);
        assertRefused(StunAttributeType.XOR_PEER_ADDRESS, Hex.bytes("00 03 a1 47 e1 12 a6 43"), StunMessage::xorPeerAddress);
        // family IPv6 with an IPv4 address's length, and IPv4 with IPv6's
        assertRefused(StunAttributeType.XOR_RELAYED_ADDRESS, Hex.bytes("00 02 a1 47 e1 12 a6 43"),
                StunMessage::xorRelayedAddress);
        assertRefused(StunAttributeType.XOR_RELAYED_ADDRESS, Hex.bytes("00 01 a1 47" + " 00".repeat(16)),
                StunMessage::xorRelayedAddress);
        assertRefused(StunAttributeType.XOR_PEER_ADDRESS, Hex.bytes("00 01"), StunMessage::xorPeerAddress);
    }

    @Test
    void malformedNumbersAndOverlongTextAreRefused() throws Exception {
        assertRefused(StunAttributeType.LIFETIME, Hex.bytes("00 00 02"), StunMessage::lifetime);
        assertRefused(StunAttributeType.LIFETIME, Hex.bytes("00 00 02 58 00"), StunMessage::lifetime);
        assertRefused(StunAttributeType.REQUESTED_TRANSPORT, Hex.bytes("11"), StunMessage::requestedTransport);
        assertRefused(StunAttributeType.CHANNEL_NUMBER, Hex.bytes("40 00"), StunMessage::channelNumber);
        assertRefused(StunAttributeType.CHANNEL_NUMBER, Hex.bytes("50 00 00 00"), StunMessage::channelNumber);
        assertRefused(StunAttributeType.CHANNEL_NUMBER, Hex.bytes("3f ff 00 00"), StunMessage::channelNumber);
        assertRefused(StunAttributeType.REALM, new byte[764], StunMessage::realm);
        assertRefused(StunAttributeType.NONCE, new byte[764], StunMessage::nonce);
        assertRefused(StunAttributeType.ERROR_CODE, Hex.bytes("00 00 04"), StunMessage::errorReason);
        assertRefused(StunAttributeType.ERROR_CODE, new byte[4 + 764], StunMessage::errorReason);
    }

    @Test
    void attributeLengthsBeyondTheMessageAreRefusedByTheParser() {
        byte[] bytes = new StunMessageWriter(StunMessageType.BINDING_REQUEST, TRANSACTION).lifetime(600).encode();
        bytes[StunMessage.HEADER_LENGTH + 3] = 8; // LIFETIME claims 8 bytes; the message holds 4
        assertThatThrownBy(() -> StunMessage.parse(bytes, 0, bytes.length)).isInstanceOf(StunParseException.class);
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 4);
        truncated[3] = (byte) (truncated.length - StunMessage.HEADER_LENGTH);
        assertThatThrownBy(() -> StunMessage.parse(truncated, 0, truncated.length)).isInstanceOf(StunParseException.class);
    }

    private interface Reader {
        Object read(StunMessage message) throws StunParseException;
    }

    private static void assertRefused(int attributeType, byte[] value, Reader reader) throws Exception {
        byte[] bytes = new StunMessageWriter(StunMessageType.BINDING_REQUEST, TRANSACTION)
                .attribute(attributeType, value).encode();
        StunMessage message = StunMessage.parse(bytes, 0, bytes.length);
        assertThatThrownBy(() -> reader.read(message)).isInstanceOf(StunParseException.class);
    }
}
