package org.adam.sfu.webrtc.turn;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.adam.sfu.webrtc.stun.ChannelNumbers;

/**
 * A TURN client's channel bindings (RFC 8656 section 12): the number given to each peer, which
 * bindings the server has confirmed, and when each is refreshed. Lookups in both directions
 * allocate nothing, for the packet path. Numbers are never reused within an allocation: RFC
 * 8656 12 forbids rebinding a number to another peer for 5 minutes, and 4,096 are plenty.
 */
final class TurnChannels {

    private final long refreshMillis;
    /** Peer -> its channel, from the ChannelBind request on (maybe not yet confirmed). */
    private final Map<InetSocketAddress, Integer> assigned = new HashMap<>();
    private final Map<InetSocketAddress, Long> refreshAt = new HashMap<>();
    /** Confirmed bindings only: the server relays ChannelData on them. */
    private final Map<InetSocketAddress, Integer> bound = new HashMap<>();
    /** Indexed by channel - 0x4000; made at the first binding (16 KiB that most clients never need). */
    private InetSocketAddress[] peerByChannel;
    private int next = ChannelNumbers.FIRST;

    TurnChannels(long refreshMillis) {
        this.refreshMillis = refreshMillis;
    }

    /** The peer's channel, or -1 if it has none yet. */
    int assignedTo(InetSocketAddress peer) {
        Integer channel = assigned.get(peer);
        return channel == null ? -1 : channel;
    }

    /** Gives the peer the next free number, to be refreshed from {@code now} on. */
    int assign(InetSocketAddress peer, long now) {
        if (next > ChannelNumbers.LAST) {
            throw new IllegalStateException("all 4096 channels are bound");
        }
        int channel = next++;
        assigned.put(peer, channel);
        refreshAt.put(peer, now + refreshMillis);
        return channel;
    }

    /** The server confirmed the binding; true the first time (not for refreshes or a dropped peer). */
    boolean confirm(InetSocketAddress peer, int channel) {
        if (!refreshAt.containsKey(peer) || bound.containsKey(peer)) {
            return false;
        }
        bound.put(peer, channel);
        if (peerByChannel == null) {
            peerByChannel = new InetSocketAddress[ChannelNumbers.LAST - ChannelNumbers.FIRST + 1];
        }
        peerByChannel[channel - ChannelNumbers.FIRST] = peer;
        return true;
    }

    /**
     * The binding failed or is no longer wanted: no more refreshes, no more ChannelData to it. Its
     * number stays used; binding the peer again takes a new one.
     */
    void drop(InetSocketAddress peer) {
        assigned.remove(peer);
        refreshAt.remove(peer);
        Integer channel = bound.remove(peer);
        if (channel != null) {
            peerByChannel[channel - ChannelNumbers.FIRST] = null;
        }
    }

    int channelOf(InetSocketAddress peer) {
        Integer channel = bound.get(peer);
        return channel == null ? -1 : channel;
    }

    InetSocketAddress peerOf(int channel) {
        if (peerByChannel == null || channel < ChannelNumbers.FIRST || channel > ChannelNumbers.LAST) {
            return null;
        }
        return peerByChannel[channel - ChannelNumbers.FIRST];
    }

    /** The peers whose binding must be refreshed now; their next refresh is set. */
    List<InetSocketAddress> dueForRefresh(long now) {
        List<InetSocketAddress> due = new ArrayList<>();
        for (Map.Entry<InetSocketAddress, Long> binding : refreshAt.entrySet()) {
            if (binding.getValue() <= now) {
                binding.setValue(now + refreshMillis);
                due.add(binding.getKey());
            }
        }
        return due;
    }

    long nextRefresh() {
        long next = Long.MAX_VALUE;
        for (long at : refreshAt.values()) {
            next = Math.min(next, at);
        }
        return next;
    }

    /** No more refreshes (the allocation is going); bound channels stay readable until then. */
    void stopRefreshing() {
        refreshAt.clear();
    }
}
