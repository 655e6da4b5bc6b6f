package org.adam.sfu.webrtc.turn;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/** What a {@link TurnClient} reports, taken with {@link TurnClient#pollEvent()}. */
public sealed interface TurnEvent {

    /** The allocation exists: peers reach the client at {@code relayed}. */
    record Allocated(InetSocketAddress relayed, InetSocketAddress mapped, long lifetimeSeconds) implements TurnEvent {
    }

    /** A Refresh kept the allocation for this many more seconds. */
    record Refreshed(long lifetimeSeconds) implements TurnEvent {
    }

    /** The relay now accepts traffic from this peer address (first installation only, not refreshes). */
    record PermissionCreated(InetAddress peer) implements TurnEvent {
    }

    /** ChannelData on {@code channel} now reaches {@code peer} (first binding only, not refreshes). */
    record ChannelBound(InetSocketAddress peer, int channel) implements TurnEvent {
    }

    /**
     * A peer's datagram that came through the relay in a Data indication, or in ChannelData
     * handed to {@link TurnClient#handleInput} (the packet path reads ChannelData in place instead).
     */
    record DataReceived(InetSocketAddress peer, byte[] data) implements TurnEvent {
    }

    /**
     * A request failed: an error response ({@code errorCode} 300-699) or no answer in time
     * ({@code errorCode} 0). A failed Allocate or Refresh leaves the client {@link TurnClient.State#FAILED}.
     *
     * @param peer the peer of a CreatePermission or ChannelBind, else null
     */
    record RequestFailed(TurnRequest request, InetSocketAddress peer, int errorCode, String reason) implements TurnEvent {
    }

    /** The allocation was released (Refresh with LIFETIME 0 answered, or given up). */
    record Deallocated() implements TurnEvent {
    }
}
