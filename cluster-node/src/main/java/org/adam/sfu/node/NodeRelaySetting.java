package org.adam.sfu.node;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

import com.typesafe.config.Config;
import org.adam.sfu.webrtc.transport.NodeRelaySettings;
import org.adam.sfu.webrtc.turn.TurnCredentials;
import org.adam.sfu.webrtc.turn.TurnTransport;

/**
 * The node's own TURN relay, from {@code sfu.media.relay-server} (host:port, UDP) with
 * {@code sfu.media.relay-user} and {@code relay-password}, or without a user a TURN REST
 * credential the node makes for itself from {@code sfu.turn-secret} (valid for
 * {@code sfu.turn-secret-ttl}, as the clients' are).
 */
final class NodeRelaySetting {

    private NodeRelaySetting() {
    }

    /** @return the settings, or null when no relay server is configured */
    static NodeRelaySettings read(Config c, String nodeId, Clock clock) {
        String server = c.getString("sfu.media.relay-server").trim();
        if (server.isEmpty()) {
            return null;
        }
        String user = c.getString("sfu.media.relay-user");
        Supplier<TurnCredentials> credentials;
        if (!user.isEmpty()) {
            TurnCredentials fixed = new TurnCredentials(user, c.getString("sfu.media.relay-password"));
            credentials = () -> fixed;
        } else if (!c.getString("sfu.turn-secret").isEmpty()) {
            String secret = c.getString("sfu.turn-secret");
            Duration ttl = c.getDuration("sfu.turn-secret-ttl");
            credentials = () -> TurnCredentials.restApi(secret, "node-" + nodeId,
                    clock.instant().plus(ttl).getEpochSecond());
        } else {
            throw new IllegalArgumentException("--relay-server needs --relay-user and --relay-password, or --turn-secret");
        }
        String transport = c.getString("sfu.media.relay-transport").trim();
        TurnTransport over = switch (transport) {
            case "udp" -> TurnTransport.UDP;
            case "tcp" -> TurnTransport.TCP;
            default -> throw new IllegalArgumentException("--relay-transport takes udp or tcp, not '" + transport + "'");
        };
        return new NodeRelaySettings(ServerAddress.parse(server, "--relay-server"), credentials, over);
    }
}
