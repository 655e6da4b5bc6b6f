package org.adam.sfu.node;

import java.io.File;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import org.adam.sfu.room.ice.NodeIceServers;
import org.adam.sfu.room.policy.Neighbourhoods;
import org.adam.sfu.signal.auth.AuthMode;

/** The node's settings, read once at start from HOCON (command-line options already merged in). */
record NodeConfig(Config raw, String nodeId, String mode, AuthMode auth, String adminToken, java.nio.file.Path dataDir,
                  String httpHost, int httpPort, TlsSettings tls, AllowedOrigins allowedOrigins,
                  String signalUrl, List<String> seeds, int maxParticipantsPerNode,
                  String mediaHost, int mediaPort, int mediaWorkers, String publicIp, Duration consentTimeout, int dtlsMtu,
                  Duration dtlsHandshakeTimeout, int dtlsHandshakeThreads, int dtlsHandshakeQueue,
                  long maxPublisherBitrate, boolean retransmissions,
                  int maxParticipantsPerRoom, Duration roomIdleTimeout,
                  Duration reconnectGrace, int maxFrameBytes, Duration pingInterval, Duration silenceTimeout,
                  NodeIceServers iceServers) {

    static NodeConfig load(CommandLine.Parsed parsed) {
        Config config = ConfigFactory.parseMap(parsed.overrides(), "command line");
        if (parsed.configFile() != null) {
            File file = new File(parsed.configFile());
            if (!file.isFile()) {
                throw new IllegalArgumentException("config file not found: " + file);
            }
            config = config.withFallback(ConfigFactory.parseFile(file));
        }
        config = config
                .withFallback(ConfigFactory.defaultOverrides())
                .withFallback(ConfigFactory.defaultApplication())
                .withFallback(ConfigFactory.parseResources("sfu-node-pekko.conf"))
                .withFallback(ConfigFactory.defaultReference())
                .resolve();
        return from(config);
    }

    static NodeConfig from(Config c) {
        String nodeId = c.getString("sfu.node-id");
        if (nodeId.isBlank()) {
            nodeId = rememberedNodeId(new File(c.getString("sfu.data-dir")));
        }
        String httpHost = c.getString("sfu.http.host");
        String mediaHost = c.getString("sfu.media.host");
        String publicIp = c.getString("sfu.media.public-ip");
        if (publicIp.isBlank()) {
            publicIp = mediaHost;
        }
        String authSetting = c.getString("sfu.auth");
        AuthMode auth = authSetting.isBlank()
                ? (isLoopback(httpHost) && addressList(mediaHost).stream().allMatch(NodeConfig::isLoopback)
                        ? AuthMode.OPEN : AuthMode.DID)
                : AuthMode.parse(authSetting);
        int httpPort = c.getInt("sfu.http.port");
        TlsSettings tls = TlsSettings.from(c, java.nio.file.Path.of(c.getString("sfu.data-dir"), nodeId));
        if (!tls.enabled() && !isLoopback(httpHost) && !c.getBoolean("sfu.http.insecure")) {
            throw new IllegalArgumentException("the HTTP port would serve " + httpHost + " in plain HTTP: "
                    + "give it TLS (--tls-cert FILE --tls-key FILE, or --tls self-signed), "
                    + "or --insecure-http to serve plain HTTP off loopback anyway");
        }
        String signalUrl = c.getString("sfu.http.public-signal-url");
        if (signalUrl.isBlank()) {
            signalUrl = (tls.enabled() ? "wss://" : "ws://") + urlHost(httpHost) + ":" + httpPort + "/signal";
        }
        MediaTcpPort.settings(c.getString("sfu.media.tcp-port"), c.getInt("sfu.media.port")); // fails early if bad
        NodeRelaySetting.read(c, nodeId, java.time.Clock.systemUTC()); // likewise
        if (!List.of("auto", "on", "off").contains(c.getString("sfu.media.ice-checks").trim())) {
            throw new IllegalArgumentException("--ice-checks takes auto, on or off, not '"
                    + c.getString("sfu.media.ice-checks") + "'");
        }
        List<String> seeds = c.getStringList("sfu.cluster.seeds");
        List<String> seedAddresses = seeds.stream().map(seed -> "pekko://adam-sfu@" + seed.trim()).toList();
        // Pekko's remoting binds where the node says; keep it on the HTTP host's side of the fence.
        // Behind a router that forwards the cluster port, other nodes reach it at the router's address.
        // The node id is a cluster role, so cluster state can be read in node ids.
        String clusterHost = c.getString("sfu.cluster.host").isBlank() ? httpHost : c.getString("sfu.cluster.host").trim();
        Config withArtery = c
                .withValue("pekko.remote.artery.canonical.hostname", ConfigValueFactory.fromAnyRef(clusterHost))
                .withValue("pekko.remote.artery.bind.hostname", ConfigValueFactory.fromAnyRef(httpHost))
                .withValue("pekko.remote.artery.canonical.port",
                        ConfigValueFactory.fromAnyRef(c.getInt("sfu.cluster.port")))
                .withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(seedAddresses))
                .withValue("pekko.cluster.roles", ConfigValueFactory.fromIterable(List.of("sfu", "id=" + nodeId)))
                // Neighbourhood policies survive restarts: their replicated map is stored in LMDB.
                .withValue("pekko.cluster.distributed-data.durable.keys",
                        ConfigValueFactory.fromIterable(List.of(Neighbourhoods.KEY.id())))
                .withValue("pekko.cluster.distributed-data.durable.lmdb.dir", ConfigValueFactory.fromAnyRef(
                        new File(c.getString("sfu.data-dir"), nodeId + File.separator + "neighbourhoods").getPath()));
        return new NodeConfig(withArtery, nodeId, c.getString("sfu.mode"), auth, c.getString("sfu.admin-token"),
                java.nio.file.Path.of(c.getString("sfu.data-dir")),
                httpHost, httpPort, tls,
                AllowedOrigins.forNode(httpHost, tls.enabled(), signalUrl, c.getStringList("sfu.http.allowed-origins")),
                signalUrl, seeds, c.getInt("sfu.cluster.max-participants-per-node"), mediaHost, c.getInt("sfu.media.port"),
                c.getInt("sfu.media.workers"), publicIp,
                c.getDuration("sfu.media.consent-timeout"), c.getInt("sfu.media.dtls-mtu"),
                c.getDuration("sfu.media.dtls-handshake-timeout"), dtlsHandshakeThreads(c),
                c.getInt("sfu.media.dtls-handshake-queue"), c.getLong("sfu.media.max-publisher-bitrate"),
                c.getBoolean("sfu.media.retransmissions"),
                c.getInt("sfu.room.max-participants"), c.getDuration("sfu.room.idle-timeout"),
                c.getDuration("sfu.participant.reconnect-grace"), c.getInt("sfu.signal.max-frame-bytes"),
                c.getDuration("sfu.signal.ping-interval"), c.getDuration("sfu.signal.silence-timeout"),
                IceServersSetting.read(c));
    }

    /** The node's own TURN relay, or null. */
    org.adam.sfu.webrtc.transport.NodeRelaySettings relay() {
        return NodeRelaySetting.read(raw, nodeId, java.time.Clock.systemUTC());
    }

    /** host:port of the STUN server that {@code --public-ip auto} asks; empty if none. */
    String stunServer() {
        return raw.getString("sfu.media.stun-server");
    }

    /**
     * Whether the node checks its clients' candidates (`sfu.media.ice-checks`): "auto" when
     * {@code announced} names an address the media sockets do not bind, a node behind NAT.
     */
    boolean checkClientCandidates(List<String> announced) {
        String setting = raw.getString("sfu.media.ice-checks").trim();
        return switch (setting) {
            case "on" -> true;
            case "off" -> false;
            case "auto" -> !addressList(mediaHost).containsAll(announced);
            default -> throw new IllegalStateException("checked when the config was loaded: " + setting);
        };
    }

    /** The STUN server each pipe socket learns its server-reflexive address from, or null if none is configured. */
    java.net.InetSocketAddress pipeStunServer() {
        String setting = stunServer();
        return setting.isBlank() ? null : ServerAddress.parse(setting, "STUN server");
    }

    /** How long {@code --public-ip auto} waits for the STUN server before the node gives up starting. */
    Duration stunTimeout() {
        return raw.getDuration("sfu.media.stun-timeout");
    }

    /** The passive ICE-TCP candidate's settings, from `sfu.media.tcp-port` (checked when the config is loaded). */
    org.adam.sfu.webrtc.transport.IceTcpSettings iceTcp() {
        return MediaTcpPort.settings(raw.getString("sfu.media.tcp-port"), mediaPort);
    }

    /** 0 (the default) sizes the DTLS handshake threads by the cores. */
    private static int dtlsHandshakeThreads(Config c) {
        int configured = c.getInt("sfu.media.dtls-handshake-threads");
        return configured > 0 ? configured : org.adam.sfu.webrtc.dtls.DtlsHandshakePool.defaultThreads();
    }

    /**
     * A node without a configured id keeps the random one it got first (in its data directory),
     * so what it stores under its id (neighbourhood policies) is found again after a restart.
     */
    private static String rememberedNodeId(File dataDir) {
        File file = new File(dataDir, "node-id");
        try {
            if (file.isFile()) {
                String id = java.nio.file.Files.readString(file.toPath()).trim();
                if (!id.isEmpty()) {
                    return id;
                }
            }
            byte[] bytes = new byte[3];
            new SecureRandom().nextBytes(bytes);
            String id = "node-" + HexFormat.of().formatHex(bytes);
            java.nio.file.Files.createDirectories(dataDir.toPath());
            java.nio.file.Files.writeString(file.toPath(), id + "\n");
            return id;
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("data directory " + dataDir + " is not usable: " + e.getMessage());
        }
    }

    /** A host as a URL writes it: IPv6 literals in brackets. */
    static String urlHost(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /**
     * The addresses of a setting that takes one or several, comma-separated (`sfu.media.host`,
     * `sfu.media.public-ip`: "127.0.0.1,::1" for a dual-stack node).
     */
    static List<String> addressList(String text) {
        List<String> addresses = java.util.Arrays.stream(text.split(",")).map(String::trim)
                .filter(address -> !address.isEmpty()).toList();
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no address in '" + text + "'");
        }
        return addresses;
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
