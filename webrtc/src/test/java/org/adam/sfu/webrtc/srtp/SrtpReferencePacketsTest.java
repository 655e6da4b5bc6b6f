package org.adam.sfu.webrtc.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.adam.sfu.webrtc.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Whole-path vectors: from master key to wire bytes. RFC 7714 section 17 SRTCP (encrypted and
 * authentication-only), and the reference packets of libsrtp (the library browsers use) for both
 * profiles, which also pin down the key derivation with GCM's 12-byte salt.
 */
class SrtpReferencePacketsTest {

    private static final byte[] GCM_KEY = Hex.bytes("000102030405060708090a0b0c0d0e0f");
    private static final byte[] GCM_SALT = Hex.bytes("517569642070726f2071756f");
    /** RFC 7714 17.1: a sender report from SSRC "Mars", SRTCP index 0x5d4. */
    private static final String RTCP_PLAIN = "81c8000d4d617273"
            + "4e5450314e545032525450200000042a0000e9304c756e61"
            + "deadbeefdeadbeefdeadbeefdeadbeefdeadbeef";
    private static final String RTCP_PROTECTED = "81c8000d4d617273"
            + "63e94885dcdab67ca727d7662f6b7e997ff5c0f76c06f32dc676a5f1730d6fda4ce09b4686303ded0bb9275b"
            + "c84aa45896cf4d2fc5abf87245d9eade" + "800005d4";
    /** RFC 7714 17.3: the same report authenticated only (E flag clear). */
    private static final String RTCP_AUTH_ONLY = RTCP_PLAIN + "841dd9683dd78ec92ae58790125f62b3" + "000005d4";

    private static final byte[] REF_CM_KEY = Hex.bytes("e1f97a0d3e018be0d64fa32c06de4139");
    private static final byte[] REF_CM_SALT = Hex.bytes("0ec675ad498afeebb6960b3aabe6");
    private static final byte[] REF_GCM_KEY = Hex.bytes("000102030405060708090a0b0c0d0e0f");
    private static final byte[] REF_GCM_SALT = Hex.bytes("a0a1a2a3a4a5a6a7a8a9aaab");
    private static final String REF_RTP = "800f1234decafbadcafebabe" + "ab".repeat(16);
    private static final String REF_RTCP = "81c8000bcafebabe" + "ab".repeat(16);

    private static ByteBuf buffer(String hex) {
        ByteBuf buf = Unpooled.buffer(256);
        buf.writeBytes(Hex.bytes(hex));
        return buf;
    }

    private static String readable(ByteBuf buf) {
        byte[] bytes = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), bytes);
        buf.release();
        return Hex.of(bytes);
    }

    @ParameterizedTest
    @EnumSource(SrtpCrypto.class)
    void rfc7714Section17EncryptedSrtcpDecrypts(SrtpCrypto crypto) {
        OpensslLibrary.assumeLoadedFor(crypto);
        SrtpReceiveContext receive = new SrtpReceiveContext(AesGcmTransform.fromSessionKeys(GCM_KEY, GCM_SALT, crypto));
        ByteBuf packet = buffer(RTCP_PROTECTED);
        assertThat(receive.unprotectRtcp(packet)).isEqualTo(Hex.bytes(RTCP_PLAIN).length);
        assertThat(readable(packet)).isEqualTo(RTCP_PLAIN);
    }

    @ParameterizedTest
    @EnumSource(SrtpCrypto.class)
    void rfc7714Section17AuthenticatedOnlySrtcpVerifies(SrtpCrypto crypto) {
        OpensslLibrary.assumeLoadedFor(crypto);
        SrtpReceiveContext receive = new SrtpReceiveContext(AesGcmTransform.fromSessionKeys(GCM_KEY, GCM_SALT, crypto));
        ByteBuf packet = buffer(RTCP_AUTH_ONLY);
        assertThat(receive.unprotectRtcp(packet)).isEqualTo(Hex.bytes(RTCP_PLAIN).length);
        assertThat(readable(packet)).isEqualTo(RTCP_PLAIN);
    }

    @Test
    void libsrtpReferencePacketsAesCm() {
        SrtpSendContext send = new SrtpSendContext(SrtpProfile.AES_CM_128_HMAC_SHA1_80, REF_CM_KEY, REF_CM_SALT);
        ByteBuf rtp = buffer(REF_RTP);
        send.protectRtp(rtp);
        assertThat(readable(rtp)).isEqualTo("800f1234decafbadcafebabe"
                + "4e55dc4ce79978d88ca4d215949d2402" + "b78d6acc99ea179b8dbb");
        assertThat(secondRtcp(send)).isEqualTo("81c8000bcafebabe"
                + "7128035be487b9bdbef89041f977a5a8" + "80000001" + "993e08cd54d6c1230798");
    }

    @Test
    void libsrtpReferencePacketsAesGcm() {
        SrtpSendContext send = new SrtpSendContext(SrtpProfile.AEAD_AES_128_GCM, REF_GCM_KEY, REF_GCM_SALT);
        ByteBuf rtp = buffer(REF_RTP);
        send.protectRtp(rtp);
        assertThat(readable(rtp)).isEqualTo("800f1234decafbadcafebabe"
                + "c5002ede04cfdd2eb91159e0880aa06e" + "d2976826f796b201df3131a127e8a392");
        assertThat(secondRtcp(send)).isEqualTo("81c8000bcafebabe"
                + "c98b8b5df0392a55852b6c21ac8e7025" + "c52c6fbea2b3b446ea31123ba88ce61e" + "80000001");
    }

    /** libsrtp's sender starts SRTCP indices at 1, ours at 0: its vector is our second packet. */
    private static String secondRtcp(SrtpSendContext send) {
        ByteBuf first = buffer(REF_RTCP);
        send.protectRtcp(first);
        first.release();
        ByteBuf second = buffer(REF_RTCP);
        send.protectRtcp(second);
        return readable(second);
    }
}
