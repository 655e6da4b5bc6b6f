package org.adam.sfu.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One room holding Chromium, Firefox ESR, aiortc and GStreamer at once, everyone decoding everyone
 * else's video and audio. Four publishers' own payload type numbers (Opus is 96 at aiortc, 111 at
 * the browsers; VP8 96 at GStreamer, 97 at aiortc) meet in every receiver's bundle, where the node
 * numbers them once per codec; Firefox's bundle-only m-lines and webrtcbin's payload-type demux
 * both take part.
 */
@ExtendWith(InteropRecorder.class)
class MixedRoomInteropTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(40);
    private static NodeProcess node;
    private static BrowserDriver chromium;
    private static BrowserDriver firefox;
    private static final List<ExternalClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        CompletableFuture<BrowserDriver> startingFirefox = CompletableFuture.supplyAsync(() -> {
            try {
                return BrowserDriver.start(BrowserDriver.Browser.FIREFOX);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        node = NodeProcess.start("mixed", 19740, 42740);
        chromium = BrowserDriver.start();
        firefox = startingFirefox.get();
    }

    @AfterAll
    static void stop() throws Exception {
        for (ExternalClient client : clients) {
            client.close();
        }
        for (AutoCloseable closing : new AutoCloseable[] {chromium, firefox, node}) {
            if (closing != null) {
                closing.close();
            }
        }
    }

    @Test
    @InteropCell(stack = "chromium", cell = "mixed-room")
    @InteropCell(stack = "firefox-esr", cell = "mixed-room", bundlePolicy = "max-bundle")
    @InteropCell(stack = "aiortc", cell = "mixed-room")
    @InteropCell(stack = "gstreamer", cell = "mixed-room", bundlePolicy = "max-bundle")
    void chromiumFirefoxAiortcAndGstreamerDecodeEachOther() throws Exception {
        String room = "mixed-four";
        BrowserPage chrome = chromium.open("chrome", SingleNodeCallTest.roomUrl(node, room, "chrome"));
        BrowserPage fox = firefox.open("fox", SingleNodeCallTest.roomUrl(node, room, "fox"));
        ExternalClient aiortc = track(ExternalClient.python("aiortc_client.py", "aiortc", node.signalUrl(), room));
        ExternalClient gst = track(ExternalClient.python("gst_client.py", "gst", node.signalUrl(), room,
                "--bundle-policy", "max-bundle"));
        chrome.awaitState("joined", TIMEOUT);
        fox.awaitState("joined", TIMEOUT);
        String chromeId = chrome.participantId();
        String foxId = fox.participantId();
        String aiortcId = aiortc.awaitJoined(TIMEOUT);
        String gstId = gst.awaitJoined(TIMEOUT);

        for (BrowserPage page : List.of(chrome, fox)) {
            List<String> others = new ArrayList<>(List.of(chromeId, foxId, aiortcId, gstId));
            others.remove(page.participantId());
            List<BrowserPage.Inbound> stats = page.awaitInbound(
                    s -> SingleNodeCallTest.receivesFromAll(s, others, 10), TIMEOUT);
            System.out.println(page.name() + " decodes everyone: " + stats);
        }
        for (ExternalClient client : List.of(aiortc, gst)) {
            for (String other : List.of(chromeId, foxId, aiortcId, gstId)) {
                if (!other.equals(client.participantId())) {
                    client.awaitVideoFramesFrom(other, 10, TIMEOUT);
                    client.awaitFirstFrameFrom(other, "audio", TIMEOUT);
                }
            }
            System.out.println(client.name() + " decodes everyone");
        }
    }

    private static ExternalClient track(ExternalClient client) {
        clients.add(client);
        return client;
    }
}
