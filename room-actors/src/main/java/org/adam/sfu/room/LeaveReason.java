package org.adam.sfu.room;

/** Why a participant left a room; {@link #wireName()} is the protocol's `reason` value. */
public enum LeaveReason {
    LEAVE("leave"),
    DISCONNECTED("disconnected"),
    TIMEOUT("timeout"),
    KICKED("kicked"),
    NODE_FAILED("node-failed");

    private final String wireName;

    LeaveReason(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
