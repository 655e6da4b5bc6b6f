package org.adam.sfu.webrtc.stun;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import org.adam.sfu.webrtc.Hex;
import org.junit.jupiter.api.Test;

/** RFC 5769 "Test Vectors for STUN", sections 2.1 to 2.3, byte for byte. */
class StunRfc5769VectorsTest {

    private static final byte[] PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt".getBytes(StandardCharsets.UTF_8);

    static final byte[] SAMPLE_REQUEST = Hex.bytes("""
            00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
            80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74
            00 24 00 04 6e 00 01 ff
            80 29 00 08 93 2f f9 b1 51 26 3b 36
            00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20
            00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2
            80 28 00 04 e5 7a 3b cf""");

    static final byte[] IPV4_RESPONSE = Hex.bytes("""
            01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
            80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
            00 20 00 08 00 01 a1 47 e1 12 a6 43
            00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7
            80 28 00 04 c0 7d 4c 96""");

    static final byte[] IPV6_RESPONSE = Hex.bytes("""
            01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
            80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
            00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9
            00 08 00 14 a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41
            80 28 00 04 c8 fb 0b 4c""");

    @Test
    void sampleRequestParsesAndVerifies() throws Exception {
        StunMessage request = StunMessage.parse(SAMPLE_REQUEST, 0, SAMPLE_REQUEST.length);
        assertThat(request.type()).isEqualTo(StunMessageType.BINDING_REQUEST);
        assertThat(request.username()).isEqualTo("evtj:h6vY");
        assertThat(request.priority()).isEqualTo(0x6e0001ffL);
        assertThat(request.iceControlled()).isTrue();
        assertThat(request.verifyIntegrity(PASSWORD)).isTrue();
        assertThat(request.verifyFingerprint()).isTrue();
        assertThat(request.verifyIntegrity("wrong".getBytes(StandardCharsets.UTF_8))).isFalse();
    }

    @Test
    void ipv4ResponseParsesAndVerifies() throws Exception {
        StunMessage response = StunMessage.parse(IPV4_RESPONSE, 0, IPV4_RESPONSE.length);
        assertThat(response.type()).isEqualTo(StunMessageType.BINDING_SUCCESS);
        assertThat(response.xorMappedAddress())
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853));
        assertThat(response.verifyIntegrity(PASSWORD)).isTrue();
        assertThat(response.verifyFingerprint()).isTrue();
    }

    @Test
    void ipv6ResponseParsesAndVerifies() throws Exception {
        StunMessage response = StunMessage.parse(IPV6_RESPONSE, 0, IPV6_RESPONSE.length);
        assertThat(response.xorMappedAddress()).isEqualTo(new InetSocketAddress(
                InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853));
        assertThat(response.verifyIntegrity(PASSWORD)).isTrue();
        assertThat(response.verifyFingerprint()).isTrue();
    }

    @Test
    void writerEncodesTheRfcsXorMappedAddressesAndVerifiableIntegrity() throws Exception {
        byte[] transaction = Hex.bytes("b7e7a701bc34d686fa87dfae");
        for (var expected : new Object[][] {
                {new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853), IPV4_RESPONSE},
                {new InetSocketAddress(InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853),
                        IPV6_RESPONSE}}) {
            InetSocketAddress address = (InetSocketAddress) expected[0];
            byte[] rfc = (byte[]) expected[1];
            byte[] ours = new StunMessageWriter(StunMessageType.BINDING_SUCCESS, transaction)
                    .software("test vector").xorMappedAddress(address).encode(PASSWORD, true);
            StunMessage parsed = StunMessage.parse(ours, 0, ours.length);
            StunMessage reference = StunMessage.parse(rfc, 0, rfc.length);
            StunMessage.Attribute ourXor = parsed.attribute(StunAttributeType.XOR_MAPPED_ADDRESS);
            StunMessage.Attribute rfcXor = reference.attribute(StunAttributeType.XOR_MAPPED_ADDRESS);
            assertThat(slice(ours, ourXor)).isEqualTo(slice(rfc, rfcXor));
            assertThat(parsed.verifyIntegrity(PASSWORD)).isTrue();
            assertThat(parsed.verifyFingerprint()).isTrue();
            // Same attributes and same (space) padding as the RFC would give the same bytes; the
            // writer pads with zeros, so only SOFTWARE's last byte and the MAC/CRC may differ.
            assertThat(ours.length).isEqualTo(rfc.length);
        }
    }

    @Test
    void writerReproducesTheSampleRequestUpToItsSpacePadding() throws Exception {
        byte[] transaction = Hex.bytes("b7e7a701bc34d686fa87dfae");
        byte[] ours = new StunMessageWriter(StunMessageType.BINDING_REQUEST, transaction)
                .software("STUN test client")
                .priority(0x6e0001ffL)
                .iceControlled(0x932ff9b151263b36L)
                .username("evtj:h6vY")
                .encode(PASSWORD, true);
        StunMessage parsed = StunMessage.parse(ours, 0, ours.length);
        assertThat(parsed.verifyIntegrity(PASSWORD)).isTrue();
        assertThat(parsed.verifyFingerprint()).isTrue();
        assertThat(ours.length).isEqualTo(SAMPLE_REQUEST.length);
        // Identical up to the username's padding, which the RFC fills with spaces and we with zeros.
        int usernameEnd = 20 + 20 + 8 + 12 + 4 + 9;
        assertThat(java.util.Arrays.copyOfRange(ours, 0, usernameEnd))
                .isEqualTo(java.util.Arrays.copyOfRange(SAMPLE_REQUEST, 0, usernameEnd));
    }

    private static byte[] slice(byte[] data, StunMessage.Attribute attribute) {
        return java.util.Arrays.copyOfRange(data, attribute.offset(), attribute.offset() + attribute.length());
    }
}
