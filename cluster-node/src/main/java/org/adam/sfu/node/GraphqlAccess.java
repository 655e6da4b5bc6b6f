package org.adam.sfu.node;

import static org.adam.sfu.node.GraphqlErrors.error;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Predicate;

import graphql.schema.DataFetchingEnvironment;
import org.adam.sfu.room.RoomKey;

/**
 * The one place that decides whether a GraphQL caller may run a field; every resolver asks it
 * before acting. The operator (see {@link OperatorAccess}) may do everything; a call's client acts
 * on its own session only, proving it with the secret callJoin gave it, and watches only the room
 * that session is in. Holds no state of its own; called on graphql-java's threads.
 */
final class GraphqlAccess {

    private final Function<String, GraphqlCalls.Session> sessions;
    /** Under DID auth: is the session's DID still a member of its room's neighbourhood? Null under open auth. */
    private final Predicate<GraphqlCalls.Session> stillMember;

    /**
     * @param sessions    the call session of an id, or null
     * @param stillMember null when membership is not checked (open auth)
     */
    GraphqlAccess(Function<String, GraphqlCalls.Session> sessions, Predicate<GraphqlCalls.Session> stillMember) {
        this.sessions = sessions;
        this.stillMember = stillMember;
    }

    static boolean isOperator(DataFetchingEnvironment env) {
        return Boolean.TRUE.equals(env.getGraphQlContext().get(GraphqlApi.OPERATOR));
    }

    void requireOperator(DataFetchingEnvironment env) {
        if (!isOperator(env)) {
            throw error("forbidden", env.getField().getName()
                    + " is for the operator: it needs the node's bearer token");
        }
    }

    void requireStreaming(DataFetchingEnvironment env) {
        if (!Boolean.TRUE.equals(env.getGraphQlContext().get(GraphqlApi.STREAMING))) {
            throw error("bad-request",
                    "subscriptions run over the WebSocket /graphql (graphql-transport-ws), not POST");
        }
    }

    /**
     * The session the request names, when it also carries that session's secret: the participant
     * id alone is known to everyone in the room and proves nothing.
     */
    GraphqlCalls.Session ownSession(DataFetchingEnvironment env) {
        String id = env.getArgument("sessionId");
        GraphqlCalls.Session session = sessions.apply(id);
        if (session == null) {
            throw error("not-joined", "no GraphQL call session " + id);
        }
        if (!session.isOwnedBy(env.getArgument("sessionSecret"))) {
            throw error("unauthorized", "sessionSecret is not the secret callJoin gave this session");
        }
        return session;
    }

    /**
     * May the caller watch the events of the room named by `roomId`? The operator any room, for as
     * long as it likes; anyone else only the room their own session is in (and, under DID auth,
     * only while they are still a member of its neighbourhood), so a room nobody is in is never
     * started for a reader.
     *
     * @return completes when the watch must end (never, for the operator)
     */
    CompletionStage<?> watchRoom(DataFetchingEnvironment env) {
        requireStreaming(env);
        if (isOperator(env)) {
            return new CompletableFuture<Void>();
        }
        if (env.getArgument("sessionId") == null) {
            throw error("forbidden", "a room's events are for its participants (sessionId and sessionSecret"
                    + " from callJoin) and the operator");
        }
        GraphqlCalls.Session session = ownSession(env);
        RoomKey room = GraphqlArguments.roomKey(env);
        if (!room.equals(session.room)) {
            throw error("forbidden", "the session is not in room " + env.getArgument("roomId"));
        }
        if (stillMember != null && !stillMember.test(session)) {
            throw error("not-a-member", session.did + " is no longer a member of " + session.room.neighbourhood());
        }
        return session.ended;
    }
}
