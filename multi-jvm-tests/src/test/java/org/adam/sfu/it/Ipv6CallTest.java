package org.adam.sfu.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * A call over IPv6 only (issue 13, item 6): the node's HTTP port and media socket on ::1, the
 * page loaded from http://[::1]:port, and two browsers' pages that decode each other through it.
 */
class Ipv6CallTest {

    private static final Duration MEDIA_TIMEOUT = Duration.ofSeconds(45);

    @Test
    void twoParticipantsDecodeEachOtherOverIpv6Loopback() throws Exception {
        try (NodeProcess node = NodeProcess.start("ipv6", 19210, 42210,
                "--http-host", "::1", "--media-host", "::1", "--auth", "open");
             BrowserDriver browser = BrowserDriver.start()) {
            assertThat(node.url("/")).startsWith("http://[::1]:19210");
            BrowserPage alice = browser.open("alice", SingleNodeCallTest.roomUrl(node, "v6", "alice") + "&capture=640x360");
            alice.awaitState("joined", Duration.ofSeconds(20));
            BrowserPage bob = browser.open("bob", SingleNodeCallTest.roomUrl(node, "v6", "bob") + "&capture=640x360");
            bob.awaitState("joined", Duration.ofSeconds(20));
            String aliceId = alice.participantId();
            String bobId = bob.participantId();
            alice.awaitInbound(s -> SingleNodeCallTest.receivesFromAll(s, List.of(bobId), 30), MEDIA_TIMEOUT);
            bob.awaitInbound(s -> SingleNodeCallTest.receivesFromAll(s, List.of(aliceId), 30), MEDIA_TIMEOUT);
            assertThat(BrowserPage.videoWidth(bob.inbound())).isEqualTo(640);
            for (BrowserPage page : List.of(alice, bob)) {
                for (String pc : List.of("publishPc", "subscribePc")) {
                    assertThat(selectedRemoteAddress(page, pc)).as(page.name() + " " + pc + " pair").isEqualTo("::1");
                }
            }
        }
    }

    /** The node's address on the pair the page's connection {@code pc} uses now. */
    private static String selectedRemoteAddress(BrowserPage page, String pc) throws Exception {
        return page.eval("(async () => { const stats = await window.sfu." + pc + ".getStats(); let pair = null;"
                + " stats.forEach((s) => { if (s.type === 'transport' && s.selectedCandidatePairId)"
                + " pair = stats.get(s.selectedCandidatePairId); });"
                + " return pair ? stats.get(pair.remoteCandidateId).address : null; })()").asText();
    }
}
