package org.adam.sfu.webrtc.transport;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.function.Consumer;

import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import org.adam.sfu.webrtc.stun.StunBindingClient;

/**
 * Learns a pipe socket's server-reflexive address (RFC 8445 5.1.1.1): a Binding request to the
 * node's STUN server from that socket, retransmitted until the answer or the bound. Each pipe has
 * a socket of its own, and a NAT maps each socket on its own, so each asks for itself. The result
 * (null when there was no answer in time) goes to {@code done}, once.
 *
 * <p>Confined to the media event loop.
 */
final class ReflexiveGathering {

    /** First retransmission after 100 ms, then 200, 400...: a LAN or metro STUN server answers in the first. */
    private static final long RTO_MILLIS = 100;

    private final InetSocketAddress server;
    private final StunBindingClient client;
    private final long giveUpAtMillis;
    private Consumer<InetSocketAddress> done;

    ReflexiveGathering(InetSocketAddress server, SecureRandom random, long nowMillis, long boundMillis,
                       Consumer<InetSocketAddress> done) {
        this.server = server;
        this.client = new StunBindingClient(random, false, RTO_MILLIS, nowMillis);
        this.giveUpAtMillis = nowMillis + boundMillis;
        this.done = done;
    }

    /** Sends the request or its retransmission when due; gives up at the bound. */
    void poll(Channel socket, long nowMillis) {
        if (done == null) {
            return;
        }
        client.handleTimeout(nowMillis);
        if (client.state() == StunBindingClient.State.FAILED || nowMillis >= giveUpAtMillis) {
            finish(null);
            return;
        }
        byte[] request = client.pollTransmit();
        if (request != null) {
            socket.writeAndFlush(new DatagramPacket(socket.alloc().directBuffer(request.length).writeBytes(request),
                    server));
        }
    }

    /** @return true if the datagram was the STUN server's answer (then it is consumed) */
    boolean onResponse(byte[] datagram, InetSocketAddress from) {
        if (done == null || !server.equals(from) || !client.handleInput(datagram, 0, datagram.length)) {
            return false;
        }
        finish(client.state() == StunBindingClient.State.SUCCEEDED ? client.mappedAddress() : null);
        return true;
    }

    boolean finished() {
        return done == null;
    }

    /** Ends it now (the transport closes): {@code done} hears null if it has not heard yet. */
    void finish(InetSocketAddress mapped) {
        Consumer<InetSocketAddress> callback = done;
        done = null;
        if (callback != null) {
            callback.accept(mapped);
        }
    }
}
