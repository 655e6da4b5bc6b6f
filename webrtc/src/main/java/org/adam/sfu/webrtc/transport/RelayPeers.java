package org.adam.sfu.webrtc.transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import io.netty.util.collection.IntObjectHashMap;

/**
 * The peers a worker's relay lets in (client candidate addresses), each counted by the
 * transports that asked for it, with the path key transports know it by and the TURN channel it
 * is bound to once the server confirmed one. {@link NodeRelay} talks to the server; this is its
 * bookkeeping.
 *
 * <p>Threading: the media event loop only.
 */
final class RelayPeers {

    /** Peers (client candidate addresses) let in at once; each costs a channel and its refreshes. */
    static final int MAX_PEERS = 1024;

    /** What {@link #admit} made of a transport's request. */
    enum Admission {
        /** A peer no transport had asked for: the relay must let it in. */
        NEW,
        /** Already let in for another transport: counted, nothing to do. */
        KNOWN,
        /** Too many peers already: refused. */
        FULL
    }

    /** One peer let in. */
    static final class Peer {
        final InetSocketAddress address;
        /** The path key transports know this peer by when it comes through the relay. */
        final InetSocketAddress key;
        int users;

        Peer(InetSocketAddress address) {
            this.address = address;
            this.key = NodeRelay.pathKey(address);
        }
    }

    private final Map<InetSocketAddress, Peer> peers = new HashMap<>();
    /** Bound channel -> its peer: the ChannelData read path looks up nothing else. */
    private final IntObjectHashMap<Peer> byChannel = new IntObjectHashMap<>();

    /** One more transport asks for {@code peer}. */
    Admission admit(InetSocketAddress peer) {
        Peer known = peers.get(peer);
        Admission admission = Admission.KNOWN;
        if (known == null) {
            if (peers.size() >= MAX_PEERS) {
                return Admission.FULL;
            }
            known = new Peer(peer);
            peers.put(peer, known);
            admission = Admission.NEW;
        }
        known.users++;
        return admission;
    }

    /**
     * A transport that asked for {@code peer} is gone.
     *
     * @param channel the channel the peer is bound to, or -1
     * @return whether that was its last: the peer is forgotten, and the relay should let it go
     */
    boolean release(InetSocketAddress peer, int channel) {
        Peer known = peers.get(peer);
        if (known == null || --known.users > 0) {
            return false;
        }
        peers.remove(peer);
        if (channel >= 0) {
            byChannel.remove(channel);
        }
        return true;
    }

    /** Whether another peer let in has this IP (whose permission must then stay). */
    boolean stillPermitted(InetAddress address) {
        for (InetSocketAddress other : peers.keySet()) {
            if (other.getAddress().equals(address)) {
                return true;
            }
        }
        return false;
    }

    /** The server bound {@code channel} to {@code peer}; ignored for a peer no longer let in. */
    void bound(InetSocketAddress peer, int channel) {
        Peer known = peers.get(peer);
        if (known != null) {
            byChannel.put(channel, known);
        }
    }

    /** The peer bound to {@code channel}, or null. */
    Peer byChannel(int channel) {
        return byChannel.get(channel);
    }

    /** The peer let in at {@code address}, or null. */
    Peer get(InetSocketAddress address) {
        return peers.get(address);
    }

    /** Every address let in (to bind again on a new allocation). */
    Set<InetSocketAddress> addresses() {
        return peers.keySet();
    }

    /** The allocation is gone, and its channels with it; the peers stay let in for the next one. */
    void forgetChannels() {
        byChannel.clear();
    }
}
