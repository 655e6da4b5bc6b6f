package org.adam.sfu.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class NodeAdmissionTest {

    private static final Optional<String> PEER = Optional.of("wss://b.example/signal");

    @Test
    void admitsBelowCapacityWithoutAskingForAnotherNode() {
        assertThat(NodeAdmission.decide(9, 10, false, () -> {
            throw new AssertionError("no other node is needed");
        })).isEmpty();
    }

    @Test
    void aFullNodeRedirectsToAPeerWithRoomOrRefuses() {
        assertThat(NodeAdmission.decide(10, 10, false, () -> PEER)).contains(new SfuNode.Redirected(PEER.get()));
        assertThat(NodeAdmission.decide(10, 10, false, Optional::empty))
                .contains(new SfuNode.Full("this node is full (10 participants) and no other node has room"));
    }

    @Test
    void aDrainingNodeBelowCapacityRedirectsWhenItCanAndAdmitsOtherwise() {
        assertThat(NodeAdmission.decide(1, 10, true, () -> PEER)).contains(new SfuNode.Redirected(PEER.get()));
        assertThat(NodeAdmission.decide(1, 10, true, Optional::empty)).isEmpty();
    }
}
