package org.adam.sfu.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node with two media workers (decision 0017): two rooms that fall on different workers are
 * each carried on their own worker's UDP port, every peer connection of a room on the same one,
 * and both calls decode.
 */
class MediaWorkersTest {

    private static final int MEDIA_PORT = 42180;
    private static final Pattern CANDIDATE_PORT = Pattern.compile("a=candidate:\\S+ 1 udp \\d+ \\S+ (\\d+) typ host");
    private static TestRig rig;
    private static NodeProcess node;
    private static BrowserDriver browser;

    @BeforeAll
    static void start() throws Exception {
        rig = TestRig.single("workers", 19180, MEDIA_PORT, "--media-workers", "2");
        node = rig.node();
        browser = rig.browser();
    }

    @AfterAll
    static void stop() throws Exception {
        TestRig.close(rig);
    }

    /** A room name whose key lands on {@code worker} of two (the node places rooms by the key's hash). */
    private static String roomOnWorker(int worker) {
        while (true) {
            String room = "w" + worker + "-" + UUID.randomUUID().toString().substring(0, 8);
            if (Math.floorMod(("neighbourhood://test/" + room).hashCode(), 2) == worker) {
                return room;
            }
        }
    }

    private static int candidatePort(BrowserPage page, String connection) throws Exception {
        String sdp = page.eval("window.sfu." + connection + ".remoteDescription.sdp").asText();
        Matcher candidate = CANDIDATE_PORT.matcher(sdp);
        assertThat(candidate.find()).as("host candidate in the node's %s description", connection).isTrue();
        return Integer.parseInt(candidate.group(1));
    }

    @Test
    void roomsOnDifferentWorkersUseTheirWorkersPortsAndBothDecode() throws Exception {
        for (int worker = 0; worker < 2; worker++) {
            String room = roomOnWorker(worker);
            BrowserPage alice = browser.open(room + "-alice", SingleNodeCallTest.roomUrl(node, room, "alice"));
            BrowserPage bob = browser.open(room + "-bob", SingleNodeCallTest.roomUrl(node, room, "bob"));
            alice.awaitState("joined", Duration.ofSeconds(20));
            bob.awaitState("joined", Duration.ofSeconds(20));
            for (BrowserPage page : List.of(alice, bob)) {
                String other = (page == alice ? bob : alice).participantId();
                page.awaitInbound(s -> SingleNodeCallTest.receivesFromAll(s, List.of(other), 30),
                        Duration.ofSeconds(40));
                assertThat(candidatePort(page, "publishPc")).isEqualTo(MEDIA_PORT + worker);
                assertThat(candidatePort(page, "subscribePc")).isEqualTo(MEDIA_PORT + worker);
            }
            System.out.println("room " + room + ": both decode each other on worker " + worker
                    + ", udp port " + (MEDIA_PORT + worker));
            alice.close();
            bob.close();
        }
    }
}
