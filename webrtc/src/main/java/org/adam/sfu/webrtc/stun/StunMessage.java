package org.adam.sfu.webrtc.stun;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A parsed STUN message (RFC 8489). It keeps the datagram's bytes so that MESSAGE-INTEGRITY and
 * FINGERPRINT can be verified over exactly what was received; attributes are views into them.
 * Immutable; any thread.
 *
 * <p>Why it stays one class over 300 lines: it is the decoder of one RFC structure, and its
 * attribute readers (RFC 8489, 8445, 8656) are views into the one byte array it parses. Cut
 * apart, that array and the attribute table would have to be shared across classes; the encoder
 * is separate already ({@link StunMessageWriter}).
 */
public final class StunMessage {

    public static final int HEADER_LENGTH = 20;
    public static final int MAGIC_COOKIE = 0x2112A442;
    static final int FINGERPRINT_XOR = 0x5354554E;
    static final int INTEGRITY_LENGTH = 20;
    /** REALM, NONCE and reason phrases: fewer than 128 characters, at most 763 bytes (RFC 8489 14.8-14.10). */
    static final int MAX_QUOTED_TEXT_BYTES = 763;

    /** One attribute: type and where its value lies in {@link #bytes}. */
    public record Attribute(int type, int offset, int length) {
    }

    private final byte[] bytes;
    private final int type;
    private final byte[] transactionId;
    private final List<Attribute> attributes;
    private final int integrityIndex;
    private final int fingerprintIndex;

    private StunMessage(byte[] bytes, int type, byte[] transactionId, List<Attribute> attributes) {
        this.bytes = bytes;
        this.type = type;
        this.transactionId = transactionId;
        this.attributes = attributes;
        int integrity = -1;
        int fingerprint = -1;
        for (int i = 0; i < attributes.size(); i++) {
            int t = attributes.get(i).type();
            if (t == StunAttributeType.MESSAGE_INTEGRITY && integrity < 0) {
                integrity = i;
            } else if (t == StunAttributeType.FINGERPRINT && fingerprint < 0) {
                fingerprint = i;
            }
        }
        this.integrityIndex = integrity;
        this.fingerprintIndex = fingerprint;
    }

    /** Cheap check of the fixed header, for demultiplexing (RFC 8489 section 6.3). */
    public static boolean isStun(byte[] data, int offset, int length) {
        if (length < HEADER_LENGTH || (data[offset] & 0xC0) != 0) {
            return false;
        }
        int bodyLength = ((data[offset + 2] & 0xFF) << 8) | (data[offset + 3] & 0xFF);
        return readInt(data, offset + 4) == MAGIC_COOKIE && bodyLength + HEADER_LENGTH == length
                && (bodyLength & 3) == 0;
    }

    public static StunMessage parse(byte[] data, int offset, int length) throws StunParseException {
        if (length < HEADER_LENGTH) {
            throw new StunParseException("shorter than a STUN header");
        }
        if ((data[offset] & 0xC0) != 0) {
            throw new StunParseException("top two bits of a STUN message must be zero");
        }
        if (readInt(data, offset + 4) != MAGIC_COOKIE) {
            throw new StunParseException("no magic cookie");
        }
        int bodyLength = ((data[offset + 2] & 0xFF) << 8) | (data[offset + 3] & 0xFF);
        if ((bodyLength & 3) != 0) {
            throw new StunParseException("message length not a multiple of 4");
        }
        if (bodyLength + HEADER_LENGTH != length) {
            throw new StunParseException("message length " + bodyLength + " does not match datagram");
        }
        byte[] bytes = Arrays.copyOfRange(data, offset, offset + length);
        int type = ((bytes[0] & 0xFF) << 8) | (bytes[1] & 0xFF);
        byte[] transactionId = Arrays.copyOfRange(bytes, 8, 20);
        List<Attribute> attributes = new ArrayList<>();
        int position = HEADER_LENGTH;
        while (position < length) {
            if (position + 4 > length) {
                throw new StunParseException("truncated attribute header");
            }
            int attrType = ((bytes[position] & 0xFF) << 8) | (bytes[position + 1] & 0xFF);
            int attrLength = ((bytes[position + 2] & 0xFF) << 8) | (bytes[position + 3] & 0xFF);
            int valueOffset = position + 4;
            if (valueOffset + attrLength > length) {
                throw new StunParseException("attribute 0x" + Integer.toHexString(attrType) + " overruns message");
            }
            attributes.add(new Attribute(attrType, valueOffset, attrLength));
            position = valueOffset + ((attrLength + 3) & ~3);
        }
        if (position != length) {
            throw new StunParseException("attribute padding overruns message");
        }
        return new StunMessage(bytes, type, transactionId, List.copyOf(attributes));
    }

    public int type() {
        return type;
    }

    public int method() {
        return StunMessageType.method(type);
    }

    public int messageClass() {
        return StunMessageType.messageClass(type);
    }

    public byte[] transactionId() {
        return transactionId.clone();
    }

    public boolean sameTransaction(byte[] other) {
        return MessageDigest.isEqual(transactionId, other);
    }

    public List<Attribute> attributes() {
        return attributes;
    }

    public Attribute attribute(int attributeType) {
        for (Attribute a : attributes) {
            if (a.type() == attributeType) {
                return a;
            }
        }
        return null;
    }

    public boolean has(int attributeType) {
        return attribute(attributeType) != null;
    }

    public String username() {
        Attribute a = attribute(StunAttributeType.USERNAME);
        return a == null ? null : new String(bytes, a.offset(), a.length(), StandardCharsets.UTF_8);
    }

    /** PRIORITY as an unsigned 32-bit value, or -1 if absent or malformed. */
    public long priority() {
        Attribute a = attribute(StunAttributeType.PRIORITY);
        return a == null || a.length() != 4 ? -1 : readInt(bytes, a.offset()) & 0xFFFFFFFFL;
    }

    public boolean useCandidate() {
        return has(StunAttributeType.USE_CANDIDATE);
    }

    public boolean iceControlling() {
        return has(StunAttributeType.ICE_CONTROLLING);
    }

    public boolean iceControlled() {
        return has(StunAttributeType.ICE_CONTROLLED);
    }

    /** The ERROR-CODE attribute's number (e.g. 401, 487), or -1. */
    public int errorCode() {
        Attribute a = attribute(StunAttributeType.ERROR_CODE);
        if (a == null || a.length() < 4) {
            return -1;
        }
        return (bytes[a.offset() + 2] & 0x07) * 100 + (bytes[a.offset() + 3] & 0xFF);
    }

    /** XOR-MAPPED-ADDRESS (RFC 8489 section 14.2), or null if absent or malformed. */
    public InetSocketAddress xorMappedAddress() {
        try {
            return xorAddress(StunAttributeType.XOR_MAPPED_ADDRESS);
        } catch (StunParseException malformed) {
            return null;
        }
    }

    /** XOR-RELAYED-ADDRESS (RFC 8656 section 18.5), or null if absent. */
    public InetSocketAddress xorRelayedAddress() throws StunParseException {
        return xorAddress(StunAttributeType.XOR_RELAYED_ADDRESS);
    }

    /** XOR-PEER-ADDRESS (RFC 8656 section 18.3), or null if absent. */
    public InetSocketAddress xorPeerAddress() throws StunParseException {
        return xorAddress(StunAttributeType.XOR_PEER_ADDRESS);
    }

    /**
     * The first attribute of this type read as an XOR'd transport address (RFC 8489 section
     * 14.2: family 1 with 4 address bytes, family 2 with 16), or null if absent.
     *
     * @throws StunParseException if it is present but its length or family is not one of those
     */
    public InetSocketAddress xorAddress(int attributeType) throws StunParseException {
        Attribute a = attribute(attributeType);
        if (a == null) {
            return null;
        }
        if (a.length() < 4) {
            throw new StunParseException(name(attributeType) + " shorter than its family and port");
        }
        int family = bytes[a.offset() + 1] & 0xFF;
        int addressLength = family == 0x01 ? 4 : family == 0x02 ? 16 : -1;
        if (addressLength < 0) {
            throw new StunParseException(name(attributeType) + " has unknown address family " + family);
        }
        if (a.length() != 4 + addressLength) {
            throw new StunParseException(name(attributeType) + " length " + a.length() + " does not fit family " + family);
        }
        int port = (((bytes[a.offset() + 2] & 0xFF) << 8) | (bytes[a.offset() + 3] & 0xFF)) ^ (MAGIC_COOKIE >>> 16);
        byte[] address = new byte[addressLength];
        for (int i = 0; i < addressLength; i++) {
            byte mask = i < 4 ? (byte) (MAGIC_COOKIE >>> (24 - 8 * i)) : transactionId[i - 4];
            address[i] = (byte) (bytes[a.offset() + 4 + i] ^ mask);
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(address), port);
        } catch (UnknownHostException e) {
            throw new StunParseException(name(attributeType) + " address of " + addressLength + " bytes");
        }
    }

    /** LIFETIME in seconds (RFC 8656 section 18.2), or -1 if absent. */
    public long lifetime() throws StunParseException {
        return uint32(StunAttributeType.LIFETIME);
    }

    /** CHANNEL-NUMBER (RFC 8656 section 18.1), or -1 if absent; only 0x4000-0x4FFF is a channel. */
    public int channelNumber() throws StunParseException {
        long value = uint32(StunAttributeType.CHANNEL_NUMBER);
        if (value < 0) {
            return -1;
        }
        int channel = (int) (value >>> 16);
        if (channel < ChannelNumbers.FIRST || channel > ChannelNumbers.LAST) {
            throw new StunParseException("CHANNEL-NUMBER 0x" + Integer.toHexString(channel) + " outside 0x4000-0x4FFF");
        }
        return channel;
    }

    /** REQUESTED-TRANSPORT's protocol number (RFC 8656 section 18.7: 17 is UDP), or -1 if absent. */
    public int requestedTransport() throws StunParseException {
        long value = uint32(StunAttributeType.REQUESTED_TRANSPORT);
        return value < 0 ? -1 : (int) (value >>> 24);
    }

    /** REALM (RFC 8489 section 14.9), or null if absent. */
    public String realm() throws StunParseException {
        return boundedText(StunAttributeType.REALM, MAX_QUOTED_TEXT_BYTES);
    }

    /** NONCE (RFC 8489 section 14.10), or null if absent. */
    public String nonce() throws StunParseException {
        return boundedText(StunAttributeType.NONCE, MAX_QUOTED_TEXT_BYTES);
    }

    /** ERROR-CODE's reason phrase (RFC 8489 section 14.8), or null if absent. */
    public String errorReason() throws StunParseException {
        Attribute a = attribute(StunAttributeType.ERROR_CODE);
        if (a == null) {
            return null;
        }
        if (a.length() < 4) {
            throw new StunParseException("ERROR-CODE shorter than its class and number");
        }
        if (a.length() - 4 > MAX_QUOTED_TEXT_BYTES) {
            throw new StunParseException("ERROR-CODE reason longer than " + MAX_QUOTED_TEXT_BYTES + " bytes");
        }
        return new String(bytes, a.offset() + 4, a.length() - 4, StandardCharsets.UTF_8);
    }

    /** A copy of DATA's value (RFC 8656 section 18.4), or null if absent. */
    public byte[] data() {
        Attribute a = attribute(StunAttributeType.DATA);
        return a == null ? null : Arrays.copyOfRange(bytes, a.offset(), a.offset() + a.length());
    }

    public boolean hasIntegrity() {
        return integrityIndex >= 0;
    }

    public boolean hasFingerprint() {
        return fingerprintIndex >= 0;
    }

    /**
     * HMAC-SHA1 over the message up to MESSAGE-INTEGRITY, with the header length field set as if
     * that attribute ended the message (RFC 8489 section 14.5).
     */
    public boolean verifyIntegrity(byte[] key) {
        if (integrityIndex < 0 || key.length == 0) {
            return false;
        }
        Attribute mi = attributes.get(integrityIndex);
        if (mi.length() != INTEGRITY_LENGTH) {
            return false;
        }
        int covered = mi.offset() - 4;
        byte[] expected = hmacSha1(key, bytes, covered, mi.offset() + INTEGRITY_LENGTH - HEADER_LENGTH);
        return MessageDigest.isEqual(expected, Arrays.copyOfRange(bytes, mi.offset(), mi.offset() + INTEGRITY_LENGTH));
    }

    /** CRC-32 of the message up to FINGERPRINT, XOR 0x5354554e (RFC 8489 section 14.7). */
    public boolean verifyFingerprint() {
        if (fingerprintIndex < 0) {
            return false;
        }
        Attribute fp = attributes.get(fingerprintIndex);
        if (fp.length() != 4 || fingerprintIndex != attributes.size() - 1) {
            return false;
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, fp.offset() - 4);
        return ((int) crc.getValue() ^ FINGERPRINT_XOR) == readInt(bytes, fp.offset());
    }

    /** HMAC-SHA1 of {@code data[0..length)} with the STUN length field replaced by {@code lengthField}. */
    static byte[] hmacSha1(byte[] key, byte[] data, int length, int lengthField) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            mac.update(data, 0, 2);
            mac.update((byte) (lengthField >>> 8));
            mac.update((byte) lengthField);
            mac.update(data, 4, length - 4);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
        }
    }

    private long uint32(int attributeType) throws StunParseException {
        Attribute a = attribute(attributeType);
        if (a == null) {
            return -1;
        }
        if (a.length() != 4) {
            throw new StunParseException(name(attributeType) + " has length " + a.length() + ", not 4");
        }
        return readInt(bytes, a.offset()) & 0xFFFFFFFFL;
    }

    private String boundedText(int attributeType, int maxBytes) throws StunParseException {
        Attribute a = attribute(attributeType);
        if (a == null) {
            return null;
        }
        if (a.length() > maxBytes) {
            throw new StunParseException(name(attributeType) + " longer than " + maxBytes + " bytes");
        }
        return new String(bytes, a.offset(), a.length(), StandardCharsets.UTF_8);
    }

    private static String name(int attributeType) {
        return "attribute 0x" + Integer.toHexString(attributeType);
    }

    static int readInt(byte[] data, int offset) {
        return ((data[offset] & 0xFF) << 24) | ((data[offset + 1] & 0xFF) << 16)
                | ((data[offset + 2] & 0xFF) << 8) | (data[offset + 3] & 0xFF);
    }
}
