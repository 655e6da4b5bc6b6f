package org.adam.sfu.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import graphql.GraphqlErrorException;
import org.adam.sfu.room.RoomKey;
import org.junit.jupiter.api.Test;

class GraphqlArgumentsTest {

    private static void badRequest(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOf(GraphqlErrorException.class).hasMessage(message)
                .satisfies(e -> assertThat(((GraphqlErrorException) e).getExtensions())
                        .containsEntry("code", "bad-request"));
    }

    @Test
    void aNeighbourhoodUrlIsOneTo512Characters() {
        assertThat(GraphqlArguments.neighbourhood(GraphqlTestEnv.field("sfuConfig")
                .argument("neighbourhoodUrl", "u".repeat(512)).build())).hasSize(512);
        badRequest(() -> GraphqlArguments.neighbourhood(GraphqlTestEnv.field("sfuConfig")
                .argument("neighbourhoodUrl", "u".repeat(513)).build()), "neighbourhoodUrl must be 1-512 characters");
        badRequest(() -> GraphqlArguments.neighbourhood(GraphqlTestEnv.field("sfuConfig")
                .argument("neighbourhoodUrl", " ").build()), "neighbourhoodUrl must be 1-512 characters");
    }

    @Test
    void aRoomIdIsDecodedOrRefused() {
        RoomKey key = new RoomKey("https://n.example", "lobby");
        assertThat(GraphqlArguments.roomKey(GraphqlTestEnv.field("sfuStopRoom")
                .argument("roomId", AdminApi.encodeRoomId(key)).build())).isEqualTo(key);
        badRequest(() -> GraphqlArguments.roomKey(GraphqlTestEnv.field("sfuStopRoom").argument("roomId", "%%").build()),
                "not a room id: %%");
    }

    @Test
    void aDidMustBeAnEd25519DidKey() {
        badRequest(() -> GraphqlArguments.did("did:web:example.org"), "not an Ed25519 did:key: did:web:example.org");
    }
}
