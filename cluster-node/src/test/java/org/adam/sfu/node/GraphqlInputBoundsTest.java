package org.adam.sfu.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import java.util.Map;

import graphql.GraphqlErrorException;
import org.junit.jupiter.api.Test;

class GraphqlInputBoundsTest {

    @Test
    void aDidLongerThan200CharactersIsRefusedWithItsName() {
        String did = "did:key:z" + "6".repeat(200);
        assertThatThrownBy(() -> GraphqlInputBounds.check(Map.of("did", did)))
                .isInstanceOf(GraphqlErrorException.class)
                .hasMessageContaining("'did'")
                .satisfies(e -> assertThat(((GraphqlErrorException) e).getExtensions())
                        .containsEntry("code", "bad-request"));
    }

    @Test
    void sdpIsBoundedByTheSignallingFrameLimit() {
        GraphqlInputBounds.check(Map.of("sdp", "v".repeat(GraphqlInputBounds.MAX_SDP_CHARS)));
        String overLimit = "v".repeat(GraphqlInputBounds.MAX_SDP_CHARS + 1);
        assertThatThrownBy(() -> GraphqlInputBounds.check(Map.of("offer", overLimit))).hasMessageContaining("'offer'");
    }

    @Test
    void listsAreBoundedInEntriesAndEachEntryInLength() {
        assertThatThrownBy(() -> GraphqlInputBounds.check(
                Map.of("members", Collections.nCopies(GraphqlInputBounds.MAX_LIST_ENTRIES + 1, "did:key:z6Mk"))))
                .hasMessageContaining("entries");
        assertThatThrownBy(() -> GraphqlInputBounds.check(Map.of("members", List.of("did:key:z6Mk", "x".repeat(201)))))
                .hasMessageContaining("'members'");
    }

    @Test
    void argumentsWithoutTheirOwnBoundGetTheDefault() {
        GraphqlInputBounds.check(Map.of("somethingNew", "x".repeat(GraphqlInputBounds.DEFAULT_MAX_CHARS)));
        assertThatThrownBy(() -> GraphqlInputBounds.check(
                Map.of("somethingNew", "x".repeat(GraphqlInputBounds.DEFAULT_MAX_CHARS + 1))))
                .hasMessageContaining("'somethingNew'");
    }
}
