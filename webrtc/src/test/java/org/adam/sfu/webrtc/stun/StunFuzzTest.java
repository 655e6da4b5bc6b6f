package org.adam.sfu.webrtc.stun;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** Random and mutated datagrams never escape the parser as anything but StunParseException. */
class StunFuzzTest {

    @Test
    void mutatedAndRandomInputNeverThrowsUnchecked() {
        Random random = new Random(5769);
        byte[][] seeds = {StunRfc5769VectorsTest.SAMPLE_REQUEST, StunRfc5769VectorsTest.IPV4_RESPONSE,
                StunRfc5769VectorsTest.IPV6_RESPONSE};
        for (int i = 0; i < 100_000; i++) {
            byte[] input;
            if (i % 2 == 0) {
                byte[] seed = seeds[random.nextInt(seeds.length)];
                input = java.util.Arrays.copyOf(seed, Math.max(0, seed.length - random.nextInt(8) + random.nextInt(8)));
                for (int flips = random.nextInt(4) + 1; flips > 0 && input.length > 0; flips--) {
                    input[random.nextInt(input.length)] ^= (byte) (1 << random.nextInt(8));
                }
            } else {
                input = new byte[random.nextInt(120)];
                random.nextBytes(input);
                if (input.length > 8) {
                    input[0] &= 0x3F;
                    input[4] = 0x21;
                    input[5] = 0x12;
                    input[6] = (byte) 0xA4;
                    input[7] = 0x42;
                }
            }
            try {
                StunMessage message = StunMessage.parse(input, 0, input.length);
                message.username();
                message.xorMappedAddress();
                message.priority();
                message.errorCode();
                message.verifyIntegrity(new byte[] {1, 2, 3});
                message.verifyFingerprint();
            } catch (StunParseException expected) {
                // refused cleanly
            }
        }
    }
}
