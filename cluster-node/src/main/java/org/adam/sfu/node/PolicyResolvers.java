package org.adam.sfu.node;

import static org.adam.sfu.node.GraphqlArguments.did;
import static org.adam.sfu.node.GraphqlArguments.neighbourhood;
import static org.adam.sfu.node.GraphqlErrors.error;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import graphql.GraphqlErrorException;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import org.adam.sfu.room.Room;
import org.adam.sfu.room.RoomDirectory;
import org.adam.sfu.room.policy.InvalidConfigException;
import org.adam.sfu.room.policy.NeighbourhoodDirectory;
import org.adam.sfu.room.policy.NeighbourhoodPolicy;
import org.adam.sfu.room.policy.Neighbourhoods;
import org.adam.sfu.room.policy.SfuConfig;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * GraphQL fields about a neighbourhood's policy: everyone reads its config; its owner changes the
 * config or designates its SFU peer with texts signed over a nonce; the operator sets its owner
 * and members and alone reads who the members are. Holds no state; called on graphql-java's threads.
 */
final class PolicyResolvers {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final ActorSystem<?> system;
    private final ActorRef<Neighbourhoods.Command> neighbourhoods;
    private final NeighbourhoodDirectory directory;
    private final PolicyViews views;
    private final ClusterAdmin cluster;
    private final RoomDirectory rooms;
    private final GraphqlAccess access;
    private final SignedRequests signed;

    PolicyResolvers(ActorSystem<?> system, ActorRef<Neighbourhoods.Command> neighbourhoods,
                    NeighbourhoodDirectory directory, ClusterAdmin cluster, RoomDirectory rooms, GraphqlAccess access,
                    SignedRequests signed) {
        this.system = system;
        this.neighbourhoods = neighbourhoods;
        this.directory = directory;
        this.views = new PolicyViews(directory);
        this.cluster = cluster;
        this.rooms = rooms;
        this.access = access;
        this.signed = signed;
    }

    void wire(RuntimeWiring.Builder wiring) {
        wiring.type("Query", q -> q
                        .dataFetcher("sfuConfig", env -> views.config(neighbourhood(env)))
                        .dataFetcher("getSfuConfig", env -> views.config(neighbourhood(env)))
                        .dataFetcher("sfuNeighbourhood", env -> views.neighbourhood(neighbourhood(env))))
                .type("Mutation", m -> m
                        .dataFetcher("sfuSetConfig", this::setConfig)
                        .dataFetcher("setSfuPeer", this::setSfuPeer)
                        .dataFetcher("sfuSetOwner", env -> {
                            access.requireOperator(env);
                            return save(replyTo -> new Neighbourhoods.SetOwner(neighbourhood(env),
                                    did(env.getArgument("did")), replyTo))
                                    .thenApply(p -> views.neighbourhood(neighbourhood(env)));
                        })
                        .dataFetcher("sfuSetMembers", env -> {
                            access.requireOperator(env);
                            List<String> members = new ArrayList<>();
                            for (String member : env.<List<String>>getArgument("members")) {
                                members.add(did(member));
                            }
                            return save(replyTo -> new Neighbourhoods.SetMembers(neighbourhood(env), members, replyTo))
                                    .thenApply(p -> views.neighbourhood(neighbourhood(env)));
                        }))
                // Who belongs to a neighbourhood is the operator's to read (its DIDs are its roster).
                .type("Neighbourhood", n -> n.dataFetcher("members", env -> {
                    access.requireOperator(env);
                    Map<String, Object> neighbourhood = env.getSource();
                    return neighbourhood.get("members");
                }));
    }

    private CompletableFuture<Map<String, Object>> setSfuPeer(DataFetchingEnvironment env) {
        String neighbourhood = neighbourhood(env);
        String peer = did(env.getArgument("peer"));
        String did = did(env.getArgument("did"));
        signed.verifyOwnerSignature(did, "adam-sfu-peer", neighbourhood, peer, "<peer>", env.getArgument("nonce"),
                env.getArgument("signature"));
        SfuConfig current = directory.policy(neighbourhood).effectiveConfig();
        SfuConfig designated = new SfuConfig("designated", peer, current.sfuPeers(), current.maxParticipantsPerNode(),
                current.fallback(), current.maxMeshParticipants(), current.iceServers(), current.maxParticipants(),
                current.maxBitrateKbps(), current.videoCodecs());
        return save(replyTo -> new Neighbourhoods.SetConfig(neighbourhood, designated, did, replyTo))
                .thenApply(policy -> {
                    reconsiderCalls(neighbourhood);
                    return views.config(neighbourhood);
                });
    }

    private CompletableFuture<Map<String, Object>> setConfig(DataFetchingEnvironment env) {
        String neighbourhood = neighbourhood(env);
        String configText = env.getArgument("config");
        String did = did(env.getArgument("did"));
        SfuConfig config;
        try {
            config = SfuConfig.parse(configText);
        } catch (InvalidConfigException e) {
            throw GraphqlErrorException.newErrorException().message(e.getMessage())
                    .extensions(Map.of("code", "invalid-config", "field", e.field())).build();
        }
        signed.verifyOwnerSignature(did, "adam-sfu-config", neighbourhood, configText, "<config>",
                env.getArgument("nonce"), env.getArgument("signature"));
        return save(replyTo -> new Neighbourhoods.SetConfig(neighbourhood, config, did, replyTo))
                .thenApply(policy -> {
                    reconsiderCalls(neighbourhood);
                    return views.config(neighbourhood);
                });
    }

    /** The neighbourhood's running calls decide their topology again under its new policy. */
    private void reconsiderCalls(String neighbourhood) {
        cluster.rooms().thenAccept(summaries -> {
            for (ClusterAdmin.RoomSummary room : summaries) {
                if (room.key().neighbourhood().equals(neighbourhood)) {
                    rooms.room(room.key()).tell(new Room.Reconsider());
                }
            }
        });
    }

    /** Asks for a policy change and fails with the refusal's code. */
    private CompletableFuture<NeighbourhoodPolicy> save(
            Function<ActorRef<Neighbourhoods.Outcome>, Neighbourhoods.Command> change) {
        CompletionStage<Neighbourhoods.Outcome> outcome = AskPattern.ask(neighbourhoods, change::apply, TIMEOUT,
                system.scheduler());
        return outcome.thenApply(result -> {
            if (result instanceof Neighbourhoods.Refused refused) {
                throw error(refused.code(), refused.message());
            }
            return ((Neighbourhoods.Saved) result).policy();
        }).toCompletableFuture();
    }
}
