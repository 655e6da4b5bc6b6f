package org.adam.sfu.signal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;

import org.junit.jupiter.api.Test;

class Base58Test {

    /** The /signal frame limit: the longest string a client can put in one field. */
    private static final int FRAME_LIMIT = 262_144;

    @Test
    void decodesKnownVectorsAndLeadingZeros() {
        assertThat(Base58.decode("2NEpo7TZRRrLZSi2U")).isEqualTo("Hello World!".getBytes(StandardCharsets.US_ASCII));
        assertThat(Base58.decode("")).isEmpty();
        assertThat(Base58.decode("1")).containsExactly(0);
        assertThat(Base58.decode("11z")).containsExactly(0, 0, 57);
        assertThat(Base58.decode("21")).containsExactly(58);
    }

    @Test
    void roundTripsRandomBytes() {
        Random random = new Random(58);
        for (int i = 0; i < 2_000; i++) {
            byte[] data = new byte[random.nextInt(40)];
            random.nextBytes(data);
            for (int z = 0; z < data.length && random.nextInt(4) == 0; z++) {
                data[z] = 0;
            }
            assertThat(Base58.decode(Base58.encode(data))).isEqualTo(data);
        }
    }

    @Test
    void refusesAFrameFullOfDigitsAtOnce() {
        for (char digit : new char[] {'1', 'z'}) {
            String huge = String.valueOf(digit).repeat(FRAME_LIMIT);
            long took = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> timeToRefuse(huge));
            assertThat(Duration.ofNanos(took)).as("refusing %s x %s", FRAME_LIMIT, digit)
                    .isLessThan(Duration.ofMillis(10));
        }
    }

    /** How long {@link Base58#decode} took to throw for {@code text} (only the call is timed). */
    private static long timeToRefuse(String text) {
        long start = System.nanoTime();
        try {
            Base58.decode(text);
        } catch (IllegalArgumentException expected) {
            long took = System.nanoTime() - start;
            assertThat(expected).hasMessageContaining("longer than");
            return took;
        }
        throw new AssertionError("decoded " + text.length() + " characters instead of refusing them");
    }

    @Test
    void decodesTheLongestAcceptedInputInWellUnderTenMilliseconds() {
        String longest = "z".repeat(Base58.MAX_DECODED_LENGTH);
        Base58.decode(longest); // warm up
        long start = System.nanoTime();
        byte[] decoded = Base58.decode(longest);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(10));
        assertThat(Base58.encode(decoded)).isEqualTo(longest);
    }

    @Test
    void refusesCharactersOutsideTheAlphabet() {
        for (String bad : new String[] {"0", "O", "I", "l", "é", "abc+"}) {
            assertThatThrownBy(() -> Base58.decode(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
