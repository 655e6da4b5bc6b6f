package org.adam.sfu.node;

import static org.adam.sfu.node.GraphqlArguments.neighbourhood;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import org.adam.sfu.room.SfuNode;
import org.adam.sfu.room.policy.NeighbourhoodDirectory;
import org.adam.sfu.room.policy.PeerElection;
import org.adam.sfu.room.policy.SfuConfig;
import org.adam.sfu.room.policy.SfuPresence;
import org.adam.sfu.room.policy.TopologyDecision;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * GraphQL fields open to everyone that tell a client where its neighbourhood's calls go: the
 * elected SFU peer, and whether to call in a mesh or through which SFU. Holds no state; called on
 * graphql-java's threads.
 */
final class PeerResolvers {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final ActorSystem<?> system;
    private final ActorRef<SfuNode.Command> node;
    private final NeighbourhoodDirectory directory;
    private final SfuPresence presence;
    private final String nodeId;

    PeerResolvers(ActorSystem<?> system, ActorRef<SfuNode.Command> node, NeighbourhoodDirectory directory,
                  SfuPresence presence, String nodeId) {
        this.system = system;
        this.node = node;
        this.directory = directory;
        this.presence = presence;
        this.nodeId = nodeId;
    }

    void wire(RuntimeWiring.Builder wiring) {
        wiring.type("Query", q -> q
                .dataFetcher("sfuPeerForNeighbourhood", this::peerForNeighbourhood)
                .dataFetcher("requestSfu", this::requestSfu));
    }

    private CompletableFuture<String> peerForNeighbourhood(DataFetchingEnvironment env) {
        SfuConfig config = directory.policy(neighbourhood(env)).effectiveConfig();
        return AskPattern.<SfuNode.Command, SfuNode.Nodes>ask(node, SfuNode.GetNodes::new, TIMEOUT, system.scheduler())
                .thenApply(nodes -> PeerElection.elect(config, nodeId, nodes.nodes()).orElse(null))
                .toCompletableFuture();
    }

    private CompletableFuture<Map<String, Object>> requestSfu(DataFetchingEnvironment env) {
        SfuConfig config = directory.policy(neighbourhood(env)).effectiveConfig();
        TopologyDecision topology = TopologyDecision.decide(config, presence.live());
        return AskPattern.<SfuNode.Command, SfuNode.Nodes>ask(node, SfuNode.GetNodes::new, TIMEOUT, system.scheduler())
                .thenApply(nodes -> {
                    String peer = topology.mesh() ? null : PeerElection.elect(config, nodeId, nodes.nodes()).orElse(null);
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("topology", topology.topology());
                    out.put("peer", peer);
                    out.put("signalUrl", nodes.nodes().stream().filter(a -> a.did().equals(peer))
                            .map(a -> a.signalUrl()).findFirst().orElse(null));
                    return out;
                }).toCompletableFuture();
    }
}
