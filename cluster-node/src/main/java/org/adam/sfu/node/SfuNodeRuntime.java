package org.adam.sfu.node;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.adam.sfu.pipe.PipeBroker;
import org.adam.sfu.pipe.PipeManager;
import org.adam.sfu.room.ParticipantSettings;
import org.adam.sfu.room.RoomSettings;
import org.adam.sfu.room.SfuNode;
import org.adam.sfu.room.ShardedRooms;
import org.adam.sfu.room.media.MediaServices;
import org.adam.sfu.room.policy.NeighbourhoodDirectory;
import org.adam.sfu.room.policy.Neighbourhoods;
import org.adam.sfu.room.policy.SfuPresence;
import org.adam.sfu.signal.MembershipCheck;
import org.adam.sfu.signal.ProtocolCodec;
import org.adam.sfu.signal.SignalSession;
import org.adam.sfu.signal.SignalSettings;
import org.adam.sfu.signal.auth.JoinAuthenticator;
import org.adam.sfu.webrtc.transport.MediaServerConfig;
import org.adam.sfu.webrtc.transport.MediaWorkers;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running node: the actor system (a one-node cluster unless seeds are configured), the media
 * socket, the node's actors, and the HTTP port, wired together and closed in reverse order.
 */
final class SfuNodeRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SfuNodeRuntime.class);

    private final ActorSystem<Void> system;
    private final MediaWorkers media;
    private final HttpServer http;

    private SfuNodeRuntime(ActorSystem<Void> system, MediaWorkers media, HttpServer http) {
        this.system = system;
        this.media = media;
        this.http = http;
    }

    static SfuNodeRuntime start(NodeConfig config) throws Exception {
        // First: files that do not load stop the node before it joins a cluster.
        ServerTls tls = startTls(config);
        // Before anything binds: the STUN query goes out from the media port itself.
        String announcedIp = PublicAddressDiscovery.announcedIp(config);
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "adam-sfu", config.raw());
        Cluster cluster = Cluster.get(system);
        if (config.seeds().isEmpty()) {
            cluster.manager().tell(Join.create(cluster.selfMember().address()));
        }

        NeighbourhoodDirectory directory = new NeighbourhoodDirectory();
        ActorRef<Neighbourhoods.Command> neighbourhoods = system.systemActorOf(Neighbourhoods.create(directory),
                "neighbourhoods", Props.empty());
        NodeIdentity identity = NodeIdentity.loadOrCreate(config.dataDir(), config.nodeId());
        SfuPresence presence = new SfuPresence();
        config.allowedOrigins().acceptClusterNodes(presence::signalUrls);
        ShardedRooms rooms = ShardedRooms.init(system, config.nodeId(), new RoomSettings(
                config.maxParticipantsPerRoom(), config.roomIdleTimeout(), Duration.ofSeconds(3),
                neighbourhood -> directory.policy(neighbourhood).effectiveConfig(), presence::live));
        MediaWorkers media = MediaWorkers.start(new MediaServerConfig(NodeConfig.addressList(config.mediaHost()),
                config.mediaPort(), NodeConfig.addressList(announcedIp), config.consentTimeout(), config.dtlsMtu(),
                config.dtlsHandshakeTimeout(), config.maxPublisherBitrate(), config.retransmissions(),
                config.dtlsHandshakeThreads(), config.dtlsHandshakeQueue(),
                config.raw().getDuration("sfu.media.ice-restart-grace")).withIceTcp(config.iceTcp())
                        .withRelay(config.relay()).withStunServer(config.pipeStunServer())
                        .withClientChecks(config.checkClientCandidates(NodeConfig.addressList(announcedIp))),
                config.mediaWorkers());
        ActorRef<PipeManager.Command> pipes = system.systemActorOf(PipeManager.create(config.nodeId(), media),
                "pipes", Props.empty());
        SfuNode.Settings nodeSettings = new SfuNode.Settings(config.nodeId(), identity.did(), config.mode(),
                config.maxParticipantsPerNode(), config.signalUrl(),
                new ParticipantSettings(config.reconnectGrace(), Duration.ofSeconds(1),
                        config.raw().getDuration("sfu.participant.negotiation-timeout"), config.iceServers()),
                presence);
        SfuNode.Gauges gauges = new SfuNode.Gauges();
        ActorRef<SfuNode.Command> node = system.systemActorOf(SfuNode.create(nodeSettings, rooms,
                new MediaServices(media, config.nodeId(), new PipeBroker(pipes)), gauges), "sfu-node", Props.empty());
        NodeMetrics metrics = new NodeMetrics(config.nodeId(), media, gauges.participants::get);

        SignalSettings signal = new SignalSettings(config.nodeId(), config.maxFrameBytes(), config.pingInterval(),
                config.silenceTimeout(), Duration.ofSeconds(5));
        ProtocolCodec codec = new ProtocolCodec();
        JoinAuthenticator authenticator = new JoinAuthenticator(config.auth());
        ClusterAdmin clusterAdmin = new PekkoClusterAdmin(system, node, rooms);
        AdminApi admin = new AdminApi(clusterAdmin);
        GraphqlApi graphql = new GraphqlApi(system, clusterAdmin, node, rooms, neighbourhoods, directory, presence,
                identity.did(), authenticator);
        // Without a configured token the node makes its own; only then do loopback clients that
        // are not web pages act as the operator without one.
        boolean tokenConfigured = !config.adminToken().isEmpty();
        OperatorAccess operator = new OperatorAccess(
                tokenConfigured ? config.adminToken() : OperatorToken.loadOrCreate(config.dataDir(), config.nodeId()),
                !tokenConfigured && NodeConfig.isLoopback(config.httpHost()));
        MembershipCheck membership = (neighbourhood, did) -> directory.policy(neighbourhood).isMember(did);
        Supplier<SignalSession> signalSessions =
                () -> new SignalSession(signal, codec, authenticator, membership, node, system);
        AgentChannels agents = new AgentChannels(signalSessions);
        HttpServer http = HttpServer.start(config.httpHost(), config.httpPort(), tls, config.nodeId(), signal, admin,
                graphql, operator, config.allowedOrigins(), metrics, signalSessions,
                () -> new BridgeSession(system, node, neighbourhoods, agents, operator, config.nodeId(), identity.did()));

        // SIGTERM runs Pekko's coordinated shutdown (leave the cluster, hand shards over); the
        // sockets close in its service-unbind phase, after the node stops taking new work.
        org.apache.pekko.actor.CoordinatedShutdown.get(system).addTask(
                org.apache.pekko.actor.CoordinatedShutdown.PhaseServiceUnbind(), "close-http-and-media", () -> {
                    BridgeSession.leaveAll();
                    try {
                        Thread.sleep(200); // let the sfu-leave frames out before the sockets close
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    agents.close();
                    http.close();
                    if (tls != null) {
                        tls.close();
                    }
                    media.close();
                    return java.util.concurrent.CompletableFuture.completedFuture(org.apache.pekko.Done.getInstance());
                });
        LOG.info("node {} up: web client and /signal at {}://{}:{}/, media on udp {}:{}{} ({} worker(s), announced as {}), "
                        + "auth {}, cluster {} with seeds {}", config.nodeId(), tls != null ? "https" : "http",
                NodeConfig.urlHost(config.httpHost()),
                http.localAddress().getPort(), config.mediaHost(), media.localPort(),
                media.iceTcpPort() == 0 ? "" : " and ice-tcp " + media.iceTcpPort(), config.mediaWorkers(), announcedIp,
                config.auth().name().toLowerCase(), cluster.selfMember().address(), config.seeds());
        if (!config.iceServers().isEmpty()) {
            LOG.info("clients get the node's ICE servers: {}", config.iceServers());
        }
        return new SfuNodeRuntime(system, media, http);
    }

    /**
     * The HTTP port's TLS, or null for plain HTTP; with `--tls self-signed` the node's own
     * certificate is made first when it has none it can use.
     */
    private static ServerTls startTls(NodeConfig config) throws TlsCredentials.Unusable {
        TlsSettings settings = config.tls();
        if (!settings.enabled()) {
            return null;
        }
        if (settings.mode() == TlsSettings.Mode.SELF_SIGNED) {
            java.util.Set<String> names = new java.util.LinkedHashSet<>(
                    java.util.List.of(config.httpHost(), "localhost", "127.0.0.1", "::1"));
            if (config.publicIp().contains(":") || config.publicIp().matches("[0-9.]+")) {
                names.add(config.publicIp()); // an address; not a setting such as a STUN lookup
            }
            if (SelfSignedTls.ensure(settings.cert(), settings.key(), names)) {
                LOG.info("made a self-signed TLS certificate for {} in {}", names, settings.cert());
            } else {
                LOG.info("self-signed TLS certificate: the one kept in {}", settings.cert());
            }
        }
        ServerTls tls = ServerTls.load(settings.cert(), settings.key());
        tls.watch(settings.reloadInterval());
        return tls;
    }

    /** Runs the coordinated shutdown (as SIGTERM does) and waits for it. */
    @Override
    public void close() {
        LOG.info("node shutting down");
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("actor system did not terminate cleanly", e);
        }
    }
}
