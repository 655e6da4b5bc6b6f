package org.adam.sfu.webrtc.stun;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Builds one STUN message: attributes in the order they are added, then optionally
 * MESSAGE-INTEGRITY (short-term credential: the key is the password's bytes, RFC 8489 9.1.1;
 * long-term: {@link StunLongTermKey}) and FINGERPRINT, which must come last.
 */
public final class StunMessageWriter {

    private final int type;
    private final byte[] transactionId;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream(96);

    public StunMessageWriter(int type, byte[] transactionId) {
        if (transactionId.length != 12) {
            throw new IllegalArgumentException("a transaction id has 12 bytes");
        }
        this.type = type;
        this.transactionId = transactionId.clone();
    }

    public StunMessageWriter attribute(int attributeType, byte[] value) {
        return attribute(attributeType, value, 0, value.length);
    }

    public StunMessageWriter attribute(int attributeType, byte[] value, int offset, int length) {
        if (length > 0xFFFF) {
            throw new IllegalArgumentException("a STUN attribute holds at most 65535 bytes");
        }
        body.write(attributeType >>> 8);
        body.write(attributeType);
        body.write(length >>> 8);
        body.write(length);
        body.write(value, offset, length);
        for (int pad = (4 - (length & 3)) & 3; pad > 0; pad--) {
            body.write(0);
        }
        return this;
    }

    public StunMessageWriter username(String username) {
        return attribute(StunAttributeType.USERNAME, username.getBytes(StandardCharsets.UTF_8));
    }

    public StunMessageWriter priority(long priority) {
        return attribute(StunAttributeType.PRIORITY, int32((int) priority));
    }

    public StunMessageWriter useCandidate() {
        return attribute(StunAttributeType.USE_CANDIDATE, new byte[0]);
    }

    public StunMessageWriter iceControlling(long tieBreaker) {
        return attribute(StunAttributeType.ICE_CONTROLLING, int64(tieBreaker));
    }

    public StunMessageWriter iceControlled(long tieBreaker) {
        return attribute(StunAttributeType.ICE_CONTROLLED, int64(tieBreaker));
    }

    public StunMessageWriter software(String software) {
        return attribute(StunAttributeType.SOFTWARE, software.getBytes(StandardCharsets.UTF_8));
    }

    public StunMessageWriter errorCode(int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        byte[] value = new byte[4 + text.length];
        value[2] = (byte) (code / 100);
        value[3] = (byte) (code % 100);
        System.arraycopy(text, 0, value, 4, text.length);
        return attribute(StunAttributeType.ERROR_CODE, value);
    }

    /** XOR-MAPPED-ADDRESS (RFC 8489 section 14.2) for IPv4 or IPv6. */
    public StunMessageWriter xorMappedAddress(InetSocketAddress address) {
        return xorAddress(StunAttributeType.XOR_MAPPED_ADDRESS, address);
    }

    /** XOR-PEER-ADDRESS (RFC 8656 section 18.3). */
    public StunMessageWriter xorPeerAddress(InetSocketAddress address) {
        return xorAddress(StunAttributeType.XOR_PEER_ADDRESS, address);
    }

    /** XOR-RELAYED-ADDRESS (RFC 8656 section 18.5). */
    public StunMessageWriter xorRelayedAddress(InetSocketAddress address) {
        return xorAddress(StunAttributeType.XOR_RELAYED_ADDRESS, address);
    }

    /** Any XOR'd transport address attribute, IPv4 or IPv6 (RFC 8489 section 14.2). */
    public StunMessageWriter xorAddress(int attributeType, InetSocketAddress address) {
        byte[] ip = address.getAddress().getAddress();
        byte[] value = new byte[4 + ip.length];
        value[1] = (byte) (ip.length == 4 ? 0x01 : 0x02);
        int port = address.getPort() ^ (StunMessage.MAGIC_COOKIE >>> 16);
        value[2] = (byte) (port >>> 8);
        value[3] = (byte) port;
        for (int i = 0; i < ip.length; i++) {
            byte mask = i < 4 ? (byte) (StunMessage.MAGIC_COOKIE >>> (24 - 8 * i)) : transactionId[i - 4];
            value[4 + i] = (byte) (ip[i] ^ mask);
        }
        return attribute(attributeType, value);
    }

    /** LIFETIME in seconds (RFC 8656 section 18.2). */
    public StunMessageWriter lifetime(long seconds) {
        return attribute(StunAttributeType.LIFETIME, int32((int) seconds));
    }

    /** REQUESTED-TRANSPORT (RFC 8656 section 18.7): the protocol number, then three reserved bytes. */
    public StunMessageWriter requestedTransport(int protocol) {
        return attribute(StunAttributeType.REQUESTED_TRANSPORT, int32(protocol << 24));
    }

    /** CHANNEL-NUMBER (RFC 8656 section 18.1): the number, then two reserved bytes. */
    public StunMessageWriter channelNumber(int channel) {
        return attribute(StunAttributeType.CHANNEL_NUMBER, int32(channel << 16));
    }

    /** DATA (RFC 8656 section 18.4). */
    public StunMessageWriter data(byte[] payload, int offset, int length) {
        return attribute(StunAttributeType.DATA, payload, offset, length);
    }

    public StunMessageWriter realm(String realm) {
        return attribute(StunAttributeType.REALM, realm.getBytes(StandardCharsets.UTF_8));
    }

    public StunMessageWriter nonce(String nonce) {
        return attribute(StunAttributeType.NONCE, nonce.getBytes(StandardCharsets.UTF_8));
    }

    /** The message without integrity or fingerprint. */
    public byte[] encode() {
        return encode(null, false);
    }

    /**
     * @param integrityKey key for MESSAGE-INTEGRITY, or null for none
     * @param fingerprint  whether to append FINGERPRINT
     */
    public byte[] encode(byte[] integrityKey, boolean fingerprint) {
        byte[] attributes = body.toByteArray();
        int integrityLength = integrityKey == null ? 0 : 4 + StunMessage.INTEGRITY_LENGTH;
        int fingerprintLength = fingerprint ? 8 : 0;
        int bodyLength = attributes.length + integrityLength + fingerprintLength;
        byte[] out = new byte[StunMessage.HEADER_LENGTH + bodyLength];
        out[0] = (byte) (type >>> 8);
        out[1] = (byte) type;
        out[2] = (byte) (bodyLength >>> 8);
        out[3] = (byte) bodyLength;
        System.arraycopy(int32(StunMessage.MAGIC_COOKIE), 0, out, 4, 4);
        System.arraycopy(transactionId, 0, out, 8, 12);
        System.arraycopy(attributes, 0, out, StunMessage.HEADER_LENGTH, attributes.length);
        int position = StunMessage.HEADER_LENGTH + attributes.length;
        if (integrityKey != null) {
            byte[] mac = StunMessage.hmacSha1(integrityKey, out, position,
                    position + integrityLength - StunMessage.HEADER_LENGTH);
            out[position] = (byte) (StunAttributeType.MESSAGE_INTEGRITY >>> 8);
            out[position + 1] = (byte) StunAttributeType.MESSAGE_INTEGRITY;
            out[position + 3] = (byte) StunMessage.INTEGRITY_LENGTH;
            System.arraycopy(mac, 0, out, position + 4, StunMessage.INTEGRITY_LENGTH);
            position += integrityLength;
        }
        if (fingerprint) {
            CRC32 crc = new CRC32();
            crc.update(out, 0, position);
            out[position] = (byte) (StunAttributeType.FINGERPRINT >>> 8);
            out[position + 1] = (byte) StunAttributeType.FINGERPRINT;
            out[position + 3] = 4;
            System.arraycopy(int32((int) crc.getValue() ^ StunMessage.FINGERPRINT_XOR), 0, out, position + 4, 4);
        }
        return out;
    }

    private static byte[] int32(int value) {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    private static byte[] int64(long value) {
        byte[] out = new byte[8];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (value >>> (56 - 8 * i));
        }
        return out;
    }
}
