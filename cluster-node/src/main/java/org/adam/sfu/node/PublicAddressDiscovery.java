package org.adam.sfu.node;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;

import org.adam.sfu.webrtc.stun.StunBindingClient;
import org.adam.sfu.webrtc.stun.StunRetransmission;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --public-ip auto}: before the media sockets open, asks a STUN server which address
 * the media socket is seen from (a Binding request from the media host and the first media
 * port, RFC 8489), so a node behind a NAT announces its router's public address. Blocking, at
 * start only, with a bound: a node that cannot learn its address must not start announcing one
 * nobody can reach.
 */
final class PublicAddressDiscovery {

    private static final Logger LOG = LoggerFactory.getLogger(PublicAddressDiscovery.class);

    /** Why no address was learned; the node prints it and exits. */
    static final class Failed extends Exception {
        Failed(String message) {
            super(message);
        }
    }

    static final String AUTO = "auto";

    /**
     * The address the node announces in its ICE candidates: the configured one, or with
     * {@code auto} the one the STUN server sees the media host and port from.
     */
    static String announcedIp(NodeConfig config) throws Failed {
        if (!AUTO.equals(config.publicIp())) {
            return config.publicIp();
        }
        InetSocketAddress server = parseServer(config.stunServer());
        InetSocketAddress local = new InetSocketAddress(NodeConfig.addressList(config.mediaHost()).get(0), config.mediaPort());
        InetSocketAddress mapped = discover(local, server, config.stunTimeout());
        String ip = mapped.getAddress().getHostAddress();
        if (config.mediaPort() != 0 && mapped.getPort() != config.mediaPort()) {
            LOG.warn("STUN server {} sees media port {} as {}: the NAT does not keep the port, so clients reach "
                    + "the node only if udp port {} is forwarded to it", format(server), config.mediaPort(),
                    format(mapped), config.mediaPort());
        }
        LOG.info("public address {} learned from STUN server {} (media {} seen as {})", ip, format(server),
                format(local), format(mapped));
        return ip;
    }

    /** The STUN server's mapping of {@code local}. */
    static InetSocketAddress discover(InetSocketAddress local, InetSocketAddress stunServer, Duration bound)
            throws Failed {
        if (stunServer.isUnresolved()) {
            throw new Failed("STUN server " + stunServer.getHostString() + " does not resolve");
        }
        long start = System.nanoTime();
        long deadline = bound.toMillis();
        try (DatagramSocket socket = new DatagramSocket(null)) {
            socket.setReuseAddress(true);
            socket.bind(local);
            StunBindingClient client = new StunBindingClient(new SecureRandom(), false,
                    StunRetransmission.DEFAULT_RTO_MILLIS, 0);
            byte[] receive = new byte[1500];
            while (client.state() == StunBindingClient.State.RUNNING) {
                long now = (System.nanoTime() - start) / 1_000_000;
                if (now >= deadline) {
                    break;
                }
                byte[] out = client.pollTransmit();
                if (out != null) {
                    socket.send(new DatagramPacket(out, out.length, stunServer));
                }
                long wait = Math.min(client.pollTimeout(), deadline) - now;
                socket.setSoTimeout((int) Math.max(1, wait));
                DatagramPacket packet = new DatagramPacket(receive, receive.length);
                try {
                    socket.receive(packet);
                    if (packet.getSocketAddress().equals(stunServer)) {
                        client.handleInput(packet.getData(), packet.getOffset(), packet.getLength());
                    }
                } catch (SocketTimeoutException noAnswerYet) {
                    client.handleTimeout((System.nanoTime() - start) / 1_000_000);
                }
            }
            if (client.state() == StunBindingClient.State.SUCCEEDED) {
                return client.mappedAddress();
            }
            String why = client.state() == StunBindingClient.State.FAILED ? client.failure() : "no answer";
            throw new Failed("could not learn the public address from STUN server " + format(stunServer)
                    + " within " + bound.toMillis() + " ms: " + why);
        } catch (IOException e) {
            throw new Failed("could not ask STUN server " + format(stunServer) + " from " + format(local) + ": "
                    + e.getMessage());
        }
    }

    /** {@code host:port} or {@code [v6]:port} of a configured STUN server. */
    static InetSocketAddress parseServer(String setting) throws Failed {
        if (setting.isBlank()) {
            throw new Failed("--public-ip auto needs --stun-server host:port (sfu.media.stun-server), got '" + setting + "'");
        }
        try {
            return ServerAddress.parse(setting, "STUN server");
        } catch (IllegalArgumentException e) {
            throw new Failed(e.getMessage());
        }
    }

    private static String format(InetSocketAddress address) {
        return address.getAddress() == null ? address.toString()
                : address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    private PublicAddressDiscovery() {
    }
}
