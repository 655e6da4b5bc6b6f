package org.adam.sfu.room.media;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SubscribeOfferStateTest {

    @Test
    void nothingIsDueUntilSomethingChanged() {
        SubscribeOfferState state = new SubscribeOfferState();
        assertThat(state.due()).isFalse();
        state.changed();
        assertThat(state.due()).isTrue();
    }

    @Test
    void oneOfferAtATimeAndChangesMeanwhileMakeTheNextDueOnceAnswered() {
        SubscribeOfferState state = new SubscribeOfferState();
        state.changed();
        assertThat(state.offering()).isEqualTo(1);
        state.offered("offer-1");
        assertThat(state.due()).isFalse();

        state.changed();
        assertThat(state.due()).as("an offer waits for its answer").isFalse();
        assertThat(state.awaitingAnswer()).isTrue();

        state.answered();
        assertThat(state.awaitingAnswer()).isFalse();
        assertThat(state.due()).isTrue();
        assertThat(state.offering()).as("each offer one version more").isEqualTo(2);
    }

    @Test
    void theOutstandingOfferIsKeptUntilAnswered() {
        SubscribeOfferState state = new SubscribeOfferState();
        assertThat(state.outstanding()).isEmpty();
        state.changed();
        state.offering();
        state.offered("offer-1");
        assertThat(state.outstanding()).contains("offer-1");
        state.answered();
        assertThat(state.outstanding()).isEmpty();
    }

    @Test
    void anAnswerWithoutChangesLeavesNothingDue() {
        SubscribeOfferState state = new SubscribeOfferState();
        state.changed();
        state.offering();
        state.offered("offer-1");
        state.answered();
        assertThat(state.due()).isFalse();
    }
}
