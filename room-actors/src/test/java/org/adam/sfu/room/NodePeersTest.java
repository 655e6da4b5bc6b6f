package org.adam.sfu.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.adam.sfu.room.neighbourhood.SfuAnnounce;
import org.adam.sfu.room.policy.SfuPresence;
import org.apache.pekko.actor.testkit.typed.javadsl.TestInbox;
import org.junit.jupiter.api.Test;

class NodePeersTest {

    private final NodePeers peers = new NodePeers();
    private final TestInbox<SfuNode.Command> self = TestInbox.create();
    private final TestInbox<SfuNode.Command> b = TestInbox.create();
    private final TestInbox<SfuNode.Command> c = TestInbox.create();

    private static SfuAnnounce announce(String node, int participants, int capacity, boolean draining) {
        return new SfuAnnounce("did:key:" + node, "", participants, capacity, node, "wss://" + node + "/signal",
                0, 0, 1, draining);
    }

    @Test
    void sendsJoinsToTheLeastLoadedNodeWithRoom() {
        assertThat(peers.leastLoaded()).isEmpty();
        assertThat(peers.announced(announce("b", 5, 10, false), b.getRef())).isTrue();
        assertThat(peers.announced(announce("c", 2, 10, false), c.getRef())).isTrue();
        assertThat(peers.leastLoaded()).contains("wss://c/signal");

        assertThat(peers.announced(announce("c", 10, 10, false), c.getRef())).as("known already").isFalse();
        assertThat(peers.leastLoaded()).as("c is full").contains("wss://b/signal");
        peers.announced(announce("b", 1, 10, true), b.getRef());
        assertThat(peers.leastLoaded()).as("b is draining").isEmpty();
    }

    @Test
    void equalLoadGoesToTheLowerNodeName() {
        peers.announced(announce("c", 1, 10, false), c.getRef());
        peers.announced(announce("b", 2, 20, false), b.getRef());
        assertThat(peers.leastLoaded()).contains("wss://b/signal");
    }

    @Test
    void forgetsNodesNoLongerListedButRemembersWhereTheyServedPages() {
        SfuPresence presence = new SfuPresence();
        peers.announced(announce("b", 1, 10, false), b.getRef());
        peers.announced(announce("c", 1, 10, true), c.getRef());
        peers.publish(presence, "did:key:a", false);
        assertThat(presence.live()).containsExactlyInAnyOrder("did:key:a", "did:key:b");

        peers.listed(Set.of(self.getRef(), c.getRef()));
        assertThat(peers.forgetUnlisted()).containsExactly("b");
        peers.publish(presence, "did:key:a", true);

        assertThat(presence.live()).as("this node drains, c drains, b left").isEmpty();
        assertThat(presence.signalUrls()).containsExactlyInAnyOrder("wss://b/signal", "wss://c/signal");
        assertThat(peers.ref("b")).isEmpty();
        assertThat(peers.ref("c")).contains(c.getRef());
        assertThat(peers.withOwn(announce("a", 0, 10, false))).extracting(SfuAnnounce::node).containsExactly("a", "c");
    }

    @Test
    void announcesToEveryListedNodeButItself() {
        peers.listed(Set.of(self.getRef(), b.getRef(), c.getRef()));
        SfuNode.Announced mine = new SfuNode.Announced(announce("a", 0, 10, false), self.getRef());

        peers.tellListed(mine, self.getRef());

        b.expectMessage(mine);
        c.expectMessage(mine);
        assertThat(self.hasMessages()).isFalse();
    }
}
