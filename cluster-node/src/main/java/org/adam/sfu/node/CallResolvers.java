package org.adam.sfu.node;

import static org.adam.sfu.node.GraphqlErrors.error;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import org.adam.sfu.room.ClientEvent;
import org.adam.sfu.room.Participant;
import org.adam.sfu.room.RoomKey;
import org.adam.sfu.room.TrackId;
import org.adam.sfu.room.policy.NeighbourhoodDirectory;
import org.adam.sfu.signal.ProtocolException;
import org.adam.sfu.signal.auth.AuthMode;
import org.adam.sfu.signal.auth.JoinAuthenticator;

/**
 * GraphQL fields of a call made through GraphQL alone (see {@link GraphqlCalls}): a nonce, the
 * join, the session's signals, answers, quality and leaving. Holds no state beyond the calls';
 * called on graphql-java's threads.
 */
final class CallResolvers {

    private final GraphqlCalls calls;
    private final GraphqlAccess access;
    private final SignedRequests signed;
    private final JoinAuthenticator authenticator;
    private final NeighbourhoodDirectory directory;

    CallResolvers(GraphqlCalls calls, GraphqlAccess access, SignedRequests signed, JoinAuthenticator authenticator,
                  NeighbourhoodDirectory directory) {
        this.calls = calls;
        this.access = access;
        this.signed = signed;
        this.authenticator = authenticator;
        this.directory = directory;
    }

    void wire(RuntimeWiring.Builder wiring) {
        wiring.type("Query", q -> q.dataFetcher("callNonce", this::issueNonce))
                .type("Subscription", s -> s.dataFetcher("callSignals", env -> {
                    access.requireStreaming(env);
                    return access.ownSession(env).signals();
                }))
                .type("Mutation", m -> m
                        .dataFetcher("callJoin", this::callJoin)
                        .dataFetcher("callLeave", env -> {
                            GraphqlCalls.Session session = access.ownSession(env);
                            if (!GraphqlArguments.roomKey(env).equals(session.room)) {
                                throw error("bad-request", "the session is not in room " + env.getArgument("roomId"));
                            }
                            calls.leave(session);
                            return true;
                        })
                        .dataFetcher("callAnswer", env -> {
                            calls.answer(access.ownSession(env), env.getArgument("sdp"));
                            return true;
                        })
                        .dataFetcher("callSetQuality", env -> {
                            String quality = env.getArgument("quality");
                            if (!List.of("auto", "high", "medium", "low").contains(quality)) {
                                throw error("bad-request", "quality must be auto, high, medium or low");
                            }
                            String track = env.getArgument("trackId");
                            access.ownSession(env).participant.tell(new Participant.ClientSetQuality(quality,
                                    track == null ? null : new TrackId(track)));
                            return true;
                        }));
    }

    private String issueNonce(DataFetchingEnvironment env) {
        AtomicInteger asked = env.getGraphQlContext().get(GraphqlApi.NONCES_ASKED);
        if (asked.incrementAndGet() > 1) {
            throw error("bad-request", "callNonce may be asked once per request");
        }
        return signed.issueNonce();
    }

    private CompletableFuture<Map<String, Object>> callJoin(DataFetchingEnvironment env) {
        String neighbourhood = GraphqlArguments.neighbourhood(env);
        String room = env.getArgument("roomId");
        String did = env.getArgument("did");
        if (room == null || room.isBlank() || did == null || did.isBlank()) {
            throw error("bad-request", "roomId and did are required");
        }
        if (room.length() > 256) {
            throw error("bad-request", "roomId must be 1-256 characters");
        }
        String nonce = env.getArgument("nonce");
        try {
            if (authenticator.mode() == AuthMode.DID) {
                signed.takeJoinNonce(nonce);
                authenticator.checkJoin(did, env.getArgument("proof"), nonce, neighbourhood, room, null);
                if (!directory.policy(neighbourhood).isMember(did)) {
                    throw error("not-a-member", did + " is not a member of " + neighbourhood);
                }
            }
        } catch (ProtocolException e) {
            throw error(e.code(), e.getMessage());
        }
        String name = env.getArgument("name");
        String offer = env.getArgument("offer");
        return calls.join(neighbourhood, room, did, name == null ? "" : name).thenCompose(session -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("sessionId", session.participantId.value());
            out.put("sessionSecret", session.secret);
            out.put("participantId", session.participantId.value());
            out.put("roomId", AdminApi.encodeRoomId(new RoomKey(neighbourhood, room)));
            out.put("topology", session.joined.join().topology());
            if (offer == null) {
                return CompletableFuture.completedFuture(out);
            }
            return calls.publish(session, offer).thenApply(reply -> {
                if (reply instanceof ClientEvent.Error refused) {
                    throw error(refused.code(), refused.message());
                }
                out.put("answer", ((ClientEvent.Answer) reply).sdp());
                return out;
            });
        });
    }
}
