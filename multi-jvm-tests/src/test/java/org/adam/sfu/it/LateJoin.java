package org.adam.sfu.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The late-join check for external clients: a client that joins a running call decodes every
 * publisher's first video frame within 2 s of its `joined`. It waits a little past the bound, so a
 * failure says how late the frame was and how many keyframes the node asked each publisher for.
 */
final class LateJoin {

    static final double BOUND_SECONDS = 2.0;
    private static final Duration WAIT = Duration.ofSeconds(5);

    private LateJoin() {
    }

    /** The publishers' keyframe request counts before the late joiner starts, for the report. */
    static List<Long> keyframeRequests(List<ExternalClient> publishers) {
        return publishers.stream().map(ExternalClient::keyframeRequests).toList();
    }

    /**
     * @param stack          the late joiner's stack, under which its figures go to the interop matrix
     * @param requestsBefore {@link #keyframeRequests} of the publishers taken before {@code late} started
     */
    static void assertDecodesEveryone(ExternalClient late, List<ExternalClient> publishers, String stack, String where,
                                      List<Long> requestsBefore) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (ExternalClient publisher : publishers) {
            try {
                late.awaitFirstVideoFrom(publisher.participantId(),
                        Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            } catch (AssertionError notYet) {
                // reported below with the others
            }
        }
        List<String> report = new ArrayList<>();
        for (int i = 0; i < publishers.size(); i++) {
            ExternalClient client = publishers.get(i);
            String publisher = client.participantId();
            OptionalDouble video = late.firstFrameFrom(publisher, "video");
            report.add(String.format("%s: video %s (frames decoded %d; keyframe requests the node sent it since: %d)",
                    client.name(), video.isPresent() ? String.format("%.3f s", video.getAsDouble()) : "none yet",
                    late.videoFramesFrom(publisher), client.keyframeRequests() - requestsBefore.get(i)));
        }
        System.out.printf("%s: late joiner %s, first decoded video after joined: %s%n", where, late.name(), report);
        for (ExternalClient publisher : publishers) {
            OptionalDouble video = late.firstFrameFrom(publisher.participantId(), "video");
            String what = String.format("%s: %s's first decoded video frame of %s, seconds after joined (%s)",
                    where, late.name(), publisher.name(), report);
            assertThat(video).as(what).isPresent();
            InteropResults.firstFrame(stack, video.getAsDouble() * 1000);
            assertThat(video.getAsDouble()).as(what).isLessThanOrEqualTo(BOUND_SECONDS);
        }
    }
}
