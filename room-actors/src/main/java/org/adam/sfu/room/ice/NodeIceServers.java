package org.adam.sfu.room.ice;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.adam.sfu.room.ParticipantId;
import org.adam.sfu.room.policy.SfuConfig.IceServer;

/**
 * The STUN/TURN servers a node hands its own clients in `joined.iceServers`, besides those of the
 * neighbourhood's policy: a client behind a symmetric NAT or a UDP-blocking firewall reaches the
 * node only through a TURN relay, and the node's operator knows which relay serves its clients.
 *
 * <p>With a {@link TurnSecret}, every configured TURN server without a username gets a credential
 * issued per join ({@link TurnRestCredential}, user id the participant id), so no long-lived TURN
 * password is ever given to a browser.
 */
public final class NodeIceServers {

    /** Bounds on what an operator may configure (a node's `joined` frame stays small). */
    static final int MAX_SERVERS = 16;
    static final int MAX_URLS_PER_SERVER = 8;
    static final int MAX_TEXT = 512;

    private static final NodeIceServers NONE = new NodeIceServers(List.of(), null, Duration.ZERO, Clock.systemUTC());

    private final List<IceServer> servers;
    private final TurnSecret secret;       // null: no per-join credentials
    private final Duration credentialTtl;
    private final Clock clock;

    private NodeIceServers(List<IceServer> servers, TurnSecret secret, Duration credentialTtl, Clock clock) {
        this.servers = List.copyOf(servers);
        this.secret = secret;
        this.credentialTtl = credentialTtl;
        this.clock = clock;
    }

    /** A node that adds no servers: clients get the neighbourhood's alone. */
    public static NodeIceServers none() {
        return NONE;
    }

    /**
     * @param servers       as an operator configured them (urls, optional username and credential)
     * @param secret        the TURN REST shared secret, or null
     * @param credentialTtl how long an issued credential stays valid: longer than a call, since the
     *                      browser refreshes its TURN allocation with the credential it joined with
     * @throws IllegalArgumentException naming what is wrong with the configuration
     */
    public static NodeIceServers of(List<IceServer> servers, TurnSecret secret, Duration credentialTtl, Clock clock) {
        if (servers.size() > MAX_SERVERS) {
            throw new IllegalArgumentException("ice-servers: at most " + MAX_SERVERS + " servers");
        }
        for (IceServer server : servers) {
            validate(server);
        }
        if (secret == null) {
            // A browser refuses a whole RTCPeerConnection configuration with a TURN server it has
            // no credentials for: better the node does not start than every call fails.
            servers.stream().filter(NodeIceServers::takesRestCredential).findFirst().ifPresent(server -> {
                throw new IllegalArgumentException("ice-servers: " + server.urls().get(0)
                        + " needs a username and credential, or turn-secret to issue them");
            });
        } else {
            if (credentialTtl.isNegative() || credentialTtl.isZero()) {
                throw new IllegalArgumentException("turn-secret-ttl must be positive");
            }
            if (servers.stream().noneMatch(NodeIceServers::takesRestCredential)) {
                throw new IllegalArgumentException(
                        "turn-secret is set, but ice-servers has no turn: or turns: server without a username to use it for");
            }
        }
        return new NodeIceServers(servers, secret, credentialTtl, clock);
    }

    /**
     * What `joined.iceServers` carries for {@code participant}: the node's servers (TURN REST
     * credentials issued now), then the neighbourhood's, each distinct server once.
     */
    public List<IceServer> forParticipant(ParticipantId participant, List<IceServer> neighbourhood) {
        if (servers.isEmpty()) {
            return neighbourhood;
        }
        Set<IceServer> merged = new LinkedHashSet<>();
        TurnRestCredential credential = secret == null ? null
                : TurnRestCredential.issue(secret, participant.value(), clock.instant().plus(credentialTtl));
        for (IceServer server : servers) {
            merged.add(credential != null && takesRestCredential(server)
                    ? new IceServer(server.urls(), credential.username(), credential.credential())
                    : server);
        }
        merged.addAll(neighbourhood);
        return new ArrayList<>(merged);
    }

    public boolean isEmpty() {
        return servers.isEmpty();
    }

    private static boolean takesRestCredential(IceServer server) {
        return server.username() == null && server.urls().stream().anyMatch(NodeIceServers::isTurnUrl);
    }

    private static boolean isTurnUrl(String url) {
        return url.startsWith("turn:") || url.startsWith("turns:");
    }

    private static void validate(IceServer server) {
        if (server.urls() == null || server.urls().isEmpty() || server.urls().size() > MAX_URLS_PER_SERVER) {
            throw new IllegalArgumentException("ice-servers: each server needs 1 to " + MAX_URLS_PER_SERVER + " urls");
        }
        for (String url : server.urls()) {
            if (url == null || url.length() > MAX_TEXT
                    || !(url.startsWith("stun:") || isTurnUrl(url)) || url.indexOf(':') == url.length() - 1) {
                throw new IllegalArgumentException("ice-servers: " + url + " is not a stun:, turn: or turns: url");
            }
        }
        if ((server.username() == null) != (server.credential() == null)) {
            throw new IllegalArgumentException("ice-servers: username and credential go together ("
                    + server.urls().get(0) + ")");
        }
        if (tooLong(server.username()) || tooLong(server.credential())) {
            throw new IllegalArgumentException("ice-servers: username and credential are at most " + MAX_TEXT + " characters");
        }
    }

    private static boolean tooLong(String text) {
        return text != null && text.length() > MAX_TEXT;
    }

    @Override
    public String toString() {
        // Urls only: configured credentials and the secret stay out of logs.
        return servers.stream().map(server -> String.join(" ", server.urls())
                        + (server.username() != null ? " (configured credentials)"
                        : secret != null && takesRestCredential(server) ? " (TURN REST credentials per join)" : ""))
                .collect(java.util.stream.Collectors.joining(", "));
    }
}
