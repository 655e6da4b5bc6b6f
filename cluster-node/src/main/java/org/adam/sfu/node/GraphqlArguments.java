package org.adam.sfu.node;

import static org.adam.sfu.node.GraphqlErrors.error;

import graphql.schema.DataFetchingEnvironment;
import org.adam.sfu.room.RoomKey;
import org.adam.sfu.signal.auth.DidKey;

/** Arguments several resolvers share, checked the same way everywhere (`bad-request` when wrong). Stateless. */
final class GraphqlArguments {

    private GraphqlArguments() {
    }

    static String neighbourhood(DataFetchingEnvironment env) {
        String url = env.getArgument("neighbourhoodUrl");
        if (url == null || url.isBlank() || url.length() > 512) {
            throw error("bad-request", "neighbourhoodUrl must be 1-512 characters");
        }
        return url;
    }

    static String did(String did) {
        try {
            DidKey.parse(did);
            return did;
        } catch (IllegalArgumentException e) {
            throw error("bad-request", "not an Ed25519 did:key: " + did);
        }
    }

    /** The room named by the `roomId` argument, an id as {@link AdminApi#encodeRoomId} writes it. */
    static RoomKey roomKey(DataFetchingEnvironment env) {
        try {
            return AdminApi.decodeRoomId(env.getArgument("roomId"));
        } catch (IllegalArgumentException e) {
            throw error("bad-request", e.getMessage());
        }
    }
}
