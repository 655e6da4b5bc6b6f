package org.adam.sfu.webrtc.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** One payload type per codec configuration across a bundle, whatever the publishers numbered. */
class BundlePayloadTypesTest {

    private final BundlePayloadTypes table = new BundlePayloadTypes();

    private static RtpCodec codec(int pt, String name, int clock, int channels, String fmtp) {
        return new RtpCodec(pt, name, clock, channels, fmtp, List.of());
    }

    @Test
    void publishersWhoseNumbersClashGetDistinctNumbersPerCodec() {
        // aiortc numbers Opus 96 and VP8 97; GStreamer numbers VP8 96 and its RTX 97.
        var aiortcOpus = table.assign(codec(96, "opus", 48000, 2, "minptime=10;useinbandfec=1"), false);
        var aiortcVp8 = table.assign(codec(97, "VP8", 90000, 0, ""), true);
        var gstreamerVp8 = table.assign(codec(96, "VP8", 90000, 0, ""), true);
        assertThat(aiortcVp8).as("the same codec shares a number").isEqualTo(gstreamerVp8);
        Set<Integer> numbers = new HashSet<>(List.of(aiortcOpus.payloadType(), aiortcVp8.payloadType(),
                aiortcVp8.rtxPayloadType()));
        assertThat(numbers).as("no number has two meanings").hasSize(3);
        assertThat(aiortcOpus.rtxPayloadType()).isEqualTo(-1);
    }

    @Test
    void conventionalNumbersWhenFree() {
        assertThat(table.assign(codec(120, "VP8", 90000, 0, ""), true))
                .isEqualTo(new BundlePayloadTypes.Assigned(96, 97));
        assertThat(table.assign(codec(100, "opus", 48000, 2, ""), false).payloadType()).isEqualTo(111);
        assertThat(table.assign(codec(45, "H264", 90000, 0, "packetization-mode=1;profile-level-id=42e01f"), true))
                .isEqualTo(new BundlePayloadTypes.Assigned(102, 103));
    }

    @Test
    void formatParametersMakeADifferentConfigurationButNotTheirOrderOrCase() {
        var baseline = table.assign(codec(102, "H264", 90000, 0, "packetization-mode=1;profile-level-id=42e01f"), true);
        var same = table.assign(codec(125, "h264", 90000, 0, "profile-level-id=42E01F; packetization-mode=1"), true);
        var high = table.assign(codec(102, "H264", 90000, 0, "packetization-mode=1;profile-level-id=640c1f"), true);
        assertThat(same).isEqualTo(baseline);
        assertThat(high.payloadType()).isNotIn(baseline.payloadType(), baseline.rtxPayloadType());
        assertThat(high.rtxPayloadType()).isNotIn(baseline.payloadType(), baseline.rtxPayloadType(),
                high.payloadType());
    }

    @Test
    void manyConfigurationsUseTheLowerDynamicRangeToo() {
        Set<Integer> numbers = new HashSet<>();
        for (int i = 0; i < 25; i++) {
            var assigned = table.assign(codec(96, "VP9", 90000, 0, "profile-id=" + i), true);
            numbers.add(assigned.payloadType());
            numbers.add(assigned.rtxPayloadType());
        }
        assertThat(numbers).hasSize(50).allSatisfy(pt -> assertThat(pt).matches(n -> n >= 96 || (n >= 35 && n <= 63)));
    }
}
