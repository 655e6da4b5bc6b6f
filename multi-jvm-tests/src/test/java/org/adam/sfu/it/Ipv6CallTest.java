package org.adam.sfu.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * A call over IPv6 only (issue 13, item 6): the node's HTTP port and media socket on ::1, the
 * page loaded from http://[::1]:port, and two browser pages that decode each other through it.
 *
 * <p>Chromium gathers no IPv6 candidate where the only IPv6 address is ::1 (it then takes IPv6
 * for disabled), so the test gives its own network namespace (decision 0005) an IPv6 interface:
 * a veth pair with a unique local address, removed at the end. Nothing is sent on it.
 */
class Ipv6CallTest {

    private static final Duration MEDIA_TIMEOUT = Duration.ofSeconds(45);

    @Test
    void twoParticipantsDecodeEachOtherOverIpv6Loopback() throws Exception {
        try (Ipv6Interface ipv6 = Ipv6Interface.create();
             TestRig rig = TestRig.single("ipv6", 19210, 42210,
                "--http-host", "::1", "--media-host", "::1", "--auth", "open")) {
            NodeProcess node = rig.node();
            BrowserDriver browser = rig.browser();
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
                    String pair = selectedPair(page, pc);
                    System.out.println(page.name() + " " + pc + " selected pair (local -> node): " + pair);
                    assertThat(pair).as(page.name() + " " + pc + " pair").endsWith(" -> [::1]:42210");
                }
            }
        }
    }

    /** A dual-stack node (media on 127.0.0.1 and ::1, one port) offers both and carries the call. */
    @Test
    void aDualStackNodeAnnouncesBothFamiliesAndCarriesTheCall() throws Exception {
        try (Ipv6Interface ipv6 = Ipv6Interface.create();
             TestRig rig = TestRig.single("dual", 19212, 42212, "--media-host", "127.0.0.1,::1")) {
            NodeProcess node = rig.node();
            BrowserDriver browser = rig.browser();
            BrowserPage alice = browser.open("alice", SingleNodeCallTest.roomUrl(node, "dual", "alice") + "&capture=640x360");
            alice.awaitState("joined", Duration.ofSeconds(20));
            BrowserPage bob = browser.open("bob", SingleNodeCallTest.roomUrl(node, "dual", "bob") + "&capture=640x360");
            bob.awaitState("joined", Duration.ofSeconds(20));
            String aliceId = alice.participantId();
            String bobId = bob.participantId();
            alice.awaitInbound(s -> SingleNodeCallTest.receivesFromAll(s, List.of(bobId), 30), MEDIA_TIMEOUT);
            bob.awaitInbound(s -> SingleNodeCallTest.receivesFromAll(s, List.of(aliceId), 30), MEDIA_TIMEOUT);
            for (String pc : List.of("publishPc", "subscribePc")) {
                String sdp = alice.eval("window.sfu." + pc + ".remoteDescription.sdp").asText();
                assertThat(sdp).contains(" udp 2130706431 127.0.0.1 42212 typ host")
                        .contains(" udp 2130706175 ::1 42212 typ host");
                System.out.println("dual stack: alice " + pc + " selected pair (local -> node): " + selectedPair(alice, pc));
            }
        }
    }

    /** The candidate pair the page's connection {@code pc} uses now, as "[local]:port -> [node]:port". */
    private static String selectedPair(BrowserPage page, String pc) throws Exception {
        return page.eval("(async () => { const stats = await window.sfu." + pc + ".getStats(); let pair = null;"
                + " stats.forEach((s) => { if (s.type === 'transport' && s.selectedCandidatePairId)"
                + " pair = stats.get(s.selectedCandidatePairId); });"
                + " if (!pair) return null; const end = (c) => `[${c.address}]:${c.port}`;"
                + " return end(stats.get(pair.localCandidateId)) + ' -> ' + end(stats.get(pair.remoteCandidateId)); })()")
                .asText();
    }

    /** A veth pair with an IPv6 unique local address in the test JVM's own network namespace. */
    private record Ipv6Interface(String name) implements AutoCloseable {
        static Ipv6Interface create() throws IOException, InterruptedException {
            Ipv6Interface created = new Ipv6Interface("sfuv6-" + ProcessHandle.current().pid() % 10000);
            run("ip", "link", "add", created.name, "type", "veth", "peer", "name", created.name + "p");
            try {
                run("ip", "addr", "add", "fd53:6675::2/64", "dev", created.name, "nodad");
                run("ip", "link", "set", created.name, "up");
                run("ip", "link", "set", created.name + "p", "up");
            } catch (IOException | RuntimeException e) {
                created.close();
                throw e;
            }
            return created;
        }

        @Override
        public void close() throws IOException, InterruptedException {
            run("ip", "link", "del", name); // takes its peer with it
        }

        private static void run(String... command) throws IOException, InterruptedException {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(20, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + output.trim());
            }
        }
    }
}
