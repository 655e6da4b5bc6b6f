package org.adam.sfu.signal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the /signal protocol's frames (protocol.md v1) as a client's text
 * reaches {@link ProtocolCodec#decode}. Seeds are one valid frame of each request type. The
 * contract: decoding returns a request whose required fields are all there, or throws
 * {@link ProtocolException} with a protocol error code; nothing else escapes.
 */
class ProtocolCodecFuzzTest {

    private final ProtocolCodec codec = new ProtocolCodec();

    @FuzzTest
    void decodesOrRefusesEveryFrame(byte[] input) {
        String frame = new String(input, StandardCharsets.UTF_8);
        try {
            ClientRequest request = codec.decode(frame);
            assertThat(request).isNotNull();
        } catch (ProtocolException refused) {
            assertThat(refused.code()).isIn(ErrorCodes.BAD_REQUEST, ErrorCodes.UNKNOWN_TYPE);
        }
    }
}
