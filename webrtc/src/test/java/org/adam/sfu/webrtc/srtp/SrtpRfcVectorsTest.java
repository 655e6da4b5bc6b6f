package org.adam.sfu.webrtc.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.adam.sfu.webrtc.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** RFC 3711 appendix B and RFC 7714 section 16 test vectors. */
class SrtpRfcVectorsTest {

    @ParameterizedTest
    @EnumSource(SrtpCrypto.class)
    void rfc3711B2AesCmKeystream(SrtpCrypto crypto) {
        byte[] sessionKey = Hex.bytes("2B7E151628AED2A6ABF7158809CF4F3C");
        byte[] sessionSalt = Hex.bytes("F0F1F2F3F4F5F6F7F8F9FAFBFCFD");
        AesCmHmacTransform transform = new AesCmHmacTransform(crypto, sessionKey, sessionSalt, new byte[20],
                sessionKey, sessionSalt, new byte[20]);
        // SSRC 0, sequence 0, ROC 0: encrypting zeros yields the keystream itself.
        ByteBuf packet = Unpooled.buffer(12 + 48 + 10);
        packet.writeByte(0x80).writeByte(0).writeShort(0).writeInt(0).writeInt(0).writeZero(48);
        transform.protectRtp(packet, 12, 0, 0, 0);
        byte[] keystream = new byte[48];
        packet.getBytes(12, keystream);
        assertThat(Hex.of(keystream)).isEqualToIgnoringCase(
                "E03EAD0935C95E80E166B16DD92B4EB4" + "D23513162B02D0F72A43A2FE4A5F97AB" + "41E95B3BB0A2E8DD477901E4FCA894C0");
        packet.release();
    }

    @Test
    void rfc3711B3KeyDerivation() {
        byte[] masterKey = Hex.bytes("E1F97A0D3E018BE0D64FA32C06DE4139");
        byte[] masterSalt = Hex.bytes("0EC675AD498AFEEBB6960B3AABE6");
        assertThat(Hex.of(SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTP_ENCRYPTION, 16)))
                .isEqualToIgnoringCase("C61E7A93744F39EE10734AFE3FF7A087");
        assertThat(Hex.of(SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTP_SALT, 14)))
                .isEqualToIgnoringCase("30CBBC08863D8C85D49DB34A9AE1");
        assertThat(Hex.of(SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTP_AUTH, 20)))
                .isEqualToIgnoringCase("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4");
    }

    private static final byte[] GCM_KEY = Hex.bytes("000102030405060708090a0b0c0d0e0f");
    private static final byte[] GCM_SALT = Hex.bytes("517569642070726f2071756f");
    private static final byte[] RTP_HEADER = Hex.bytes("8040f17b8041f8d35501a0b2");
    private static final byte[] PLAINTEXT = "Gallia est omnis divisa in partes tres".getBytes(StandardCharsets.US_ASCII);
    private static final String CIPHERTEXT_AND_TAG = "f24de3a3fb34de6cacba861c9d7e4bcabe633bd50d294e6f42a5f47a51c7d19b36de3adf8833"
            + "899d7f27beb16a9152cf765ee4390cce";

    @ParameterizedTest
    @EnumSource(SrtpCrypto.class)
    void rfc7714Section16AeadAes128GcmEncryptsAndDecrypts(SrtpCrypto crypto) {
        OpensslLibrary.assumeLoadedFor(crypto);
        // Heap and direct: OpenSSL's cipher works on a direct buffer's memory in place. A fresh
        // transform each time, since the JDK's refuses to seal twice with one key and IV.
        for (ByteBuf packet : List.of(Unpooled.buffer(128), Unpooled.directBuffer(128))) {
            AesGcmTransform transform = AesGcmTransform.fromSessionKeys(GCM_KEY, GCM_SALT, crypto);
            packet.writeBytes(RTP_HEADER).writeBytes(PLAINTEXT);
            transform.protectRtp(packet, 12, 0x5501a0b2, 0, 0xf17b);
            byte[] sealed = new byte[packet.readableBytes() - 12];
            packet.getBytes(12, sealed);
            assertThat(Hex.of(sealed)).isEqualTo(CIPHERTEXT_AND_TAG);

            assertThat(transform.unprotectRtp(packet, 12, 0x5501a0b2, 0, 0xf17b)).isTrue();
            byte[] opened = new byte[packet.readableBytes() - 12];
            packet.getBytes(12, opened);
            assertThat(opened).isEqualTo(PLAINTEXT);
            packet.release();
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpCrypto.class)
    void rfc7714TamperedTagIsRejected(SrtpCrypto crypto) {
        OpensslLibrary.assumeLoadedFor(crypto);
        AesGcmTransform transform = AesGcmTransform.fromSessionKeys(GCM_KEY, GCM_SALT, crypto);
        for (ByteBuf packet : List.of(Unpooled.buffer(128), Unpooled.directBuffer(128))) {
            packet.writeBytes(RTP_HEADER).writeBytes(Hex.bytes(CIPHERTEXT_AND_TAG));
            packet.setByte(packet.writerIndex() - 1, packet.getByte(packet.writerIndex() - 1) ^ 1);
            byte[] before = new byte[packet.readableBytes()];
            packet.getBytes(0, before);
            assertThat(transform.unprotectRtp(packet, 12, 0x5501a0b2, 0, 0xf17b)).isFalse();
            byte[] after = new byte[packet.readableBytes()];
            packet.getBytes(0, after);
            assertThat(after).isEqualTo(before);
            packet.release();
        }
    }
}
