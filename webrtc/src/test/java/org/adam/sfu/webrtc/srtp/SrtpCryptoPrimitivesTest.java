package org.adam.sfu.webrtc.srtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.adam.sfu.webrtc.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The counter mode, GHASH/GCM and HMAC of our own against the JDK's on random inputs and known vectors. */
class SrtpCryptoPrimitivesTest {

    private static final Random RANDOM = new Random(7714);

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    @Test
    void counterModeMatchesJdkAesCtr() throws Exception {
        for (int round = 0; round < 300; round++) {
            byte[] key = random(16);
            byte[] iv = random(16);
            iv[12] = 0; // keep the 32-bit counter from wrapping, where inc32 and 128-bit addition differ
            int length = RANDOM.nextInt(3000);
            int offset = RANDOM.nextInt(20);
            byte[] data = random(offset + length + 7);
            byte[] expected = data.clone();
            Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding");
            ctr.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            ctr.doFinal(data, offset, length, expected, offset);

            new AesCounterMode(key).crypt(iv, data, offset, length);
            assertThat(data).isEqualTo(expected);
        }
    }

    @Test
    void counterModeReusedAcrossPacketsOfGrowingLength() throws Exception {
        byte[] key = random(16);
        AesCounterMode own = new AesCounterMode(key);
        Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding");
        for (int length : new int[] {1, 2047, 2048, 2049, 5000, 33, 0, 1200}) {
            byte[] iv = random(16);
            iv[12] = 0;
            byte[] data = random(length);
            ctr.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            byte[] expected = ctr.doFinal(data);
            own.crypt(iv, data, 0, length);
            assertThat(data).isEqualTo(expected);
        }
    }

    @Test
    void rfc3711B2KeystreamFromCounterMode() {
        // Session salt F0F1...FD, SSRC 0, index 0: the counter block is the salt followed by 0000.
        byte[] iv = Hex.bytes("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000");
        byte[] data = new byte[48];
        new AesCounterMode(Hex.bytes("2B7E151628AED2A6ABF7158809CF4F3C")).crypt(iv, data, 0, 48);
        assertThat(Hex.of(data)).isEqualToIgnoringCase(
                "E03EAD0935C95E80E166B16DD92B4EB4" + "D23513162B02D0F72A43A2FE4A5F97AB" + "41E95B3BB0A2E8DD477901E4FCA894C0");
    }

    /** The allocation-free GCM primitives, each checked against the JDK and the GCM paper's vectors. */
    enum Gcm {
        OURS, OPENSSL;

        GcmCipher keyed(byte[] key) {
            if (this == OPENSSL) {
                OpensslLibrary.assumeLoadedFor(SrtpCrypto.OPENSSL);
                return new OpensslGcm(key);
            }
            return new AesGcm(key);
        }
    }

    @ParameterizedTest
    @EnumSource(Gcm.class)
    void gcmMatchesJdkAesGcmOnRandomInputs(Gcm gcm) throws Exception {
        for (int round = 0; round < 300; round++) {
            byte[] key = random(16);
            byte[] iv = random(12);
            int aadLength = RANDOM.nextInt(40);
            int textLength = RANDOM.nextInt(3000);
            byte[] buf = random(aadLength + textLength + GcmCipher.TAG);
            byte[] plain = Arrays.copyOf(buf, aadLength + textLength);
            Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
            jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
            jdk.updateAAD(plain, 0, aadLength);
            byte[] expected = jdk.doFinal(plain, aadLength, textLength);

            GcmCipher own = gcm.keyed(key);
            own.seal(iv, buf, 0, aadLength, aadLength, textLength);
            assertThat(Arrays.copyOfRange(buf, aadLength, buf.length)).isEqualTo(expected);

            assertThat(own.open(iv, buf, 0, aadLength, aadLength, textLength)).isTrue();
            assertThat(Arrays.copyOf(buf, aadLength + textLength)).isEqualTo(plain);
        }
    }

    @ParameterizedTest
    @EnumSource(Gcm.class)
    void gcmOpensWhatTheJdkSealedAndRejectsAnyFlippedBit(Gcm gcm) throws Exception {
        byte[] key = random(16);
        byte[] iv = random(12);
        byte[] aad = random(12);
        byte[] text = random(1188);
        Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
        jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
        jdk.updateAAD(aad);
        byte[] sealed = jdk.doFinal(text);
        byte[] packet = new byte[12 + sealed.length];
        System.arraycopy(aad, 0, packet, 0, 12);
        System.arraycopy(sealed, 0, packet, 12, sealed.length);
        GcmCipher own = gcm.keyed(key);
        for (int bit : new int[] {0, 95, 96, 12 * 8 + 600 * 8 + 3, packet.length * 8 - 1}) {
            byte[] tampered = packet.clone();
            tampered[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThat(own.open(iv, tampered, 0, 12, 12, text.length)).isFalse();
            // A packet failing its tag is left as it came: nothing half-decrypted is handed on.
            byte[] expectedUntouched = packet.clone();
            expectedUntouched[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThat(tampered).isEqualTo(expectedUntouched);
        }
        assertThat(own.open(iv, packet, 0, 12, 12, text.length)).isTrue();
        assertThat(Arrays.copyOfRange(packet, 12, 12 + text.length)).isEqualTo(text);
    }

    @Test
    void opensslGcmRefusesRangesOutsideTheArrayBeforeCallingIn() {
        GcmCipher gcm = Gcm.OPENSSL.keyed(random(16));
        byte[] buf = new byte[64];
        byte[] iv = new byte[12];
        assertThatThrownBy(() -> gcm.seal(iv, buf, 0, 12, 12, 40)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> gcm.open(iv, buf, 0, 12, -1, 8)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> gcm.open(iv, buf, 60, 12, 12, 8)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> gcm.seal(new byte[8], buf, 0, 12, 12, 8)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> gcm.seal(iv, buf, 0, 12, Integer.MAX_VALUE, 8)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @ParameterizedTest
    @EnumSource(Gcm.class)
    void gcmSpecTestCases2And4(Gcm gcm) {
        // McGrew and Viega, "The Galois/Counter Mode of Operation", test cases 2 and 4.
        byte[] zeros = new byte[16 + 16];
        gcm.keyed(new byte[16]).seal(new byte[12], zeros, 0, 0, 0, 16);
        assertThat(Hex.of(zeros)).isEqualTo("0388dace60b6a392f328c2b971b2fe78" + "ab6e47d42cec13bdf53a67b21257bddf");

        byte[] key = Hex.bytes("feffe9928665731c6d6a8f9467308308");
        byte[] iv = Hex.bytes("cafebabefacedbaddecaf888");
        byte[] aad = Hex.bytes("feedfacedeadbeeffeedfacedeadbeefabaddad2");
        byte[] text = Hex.bytes("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
        byte[] buf = new byte[aad.length + text.length + 16];
        System.arraycopy(aad, 0, buf, 0, aad.length);
        System.arraycopy(text, 0, buf, aad.length, text.length);
        gcm.keyed(key).seal(iv, buf, 0, aad.length, aad.length, text.length);
        assertThat(Hex.of(Arrays.copyOfRange(buf, aad.length, buf.length))).isEqualTo(
                "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
                        + "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091"
                        + "5bc94fbc3221a5db94fae95ae7121a47");
    }

    @Test
    void hmacMatchesJdkMacForShortAndLongKeys() throws Exception {
        for (int round = 0; round < 200; round++) {
            byte[] key = random(round % 3 == 0 ? 100 : 20);
            byte[] data = random(RANDOM.nextInt(3000));
            Mac jdk = Mac.getInstance("HmacSHA1");
            jdk.init(new SecretKeySpec(key, "HmacSHA1"));
            byte[] expected = jdk.doFinal(data);

            HmacSha1 own = new HmacSha1(key);
            byte[] out = new byte[24];
            own.start();
            own.update(data, 0, data.length / 2);
            own.update(data, data.length / 2, data.length - data.length / 2);
            own.finish(out, 4);
            assertThat(Arrays.copyOfRange(out, 4, 24)).isEqualTo(expected);
            // The same instance again gives the same answer: no state is left between messages.
            own.start();
            own.update(data, 0, data.length);
            own.finish(out, 0);
            assertThat(Arrays.copyOf(out, 20)).isEqualTo(expected);
        }
    }

    @Test
    void rfc2202HmacSha1TestCase2() {
        HmacSha1 mac = new HmacSha1("Jefe".getBytes(StandardCharsets.US_ASCII));
        byte[] data = "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[20];
        mac.start();
        mac.update(data, 0, data.length);
        mac.finish(out, 0);
        assertThat(Hex.of(out)).isEqualTo("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    }
}
