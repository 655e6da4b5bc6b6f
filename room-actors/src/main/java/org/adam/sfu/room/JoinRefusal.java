package org.adam.sfu.room;

/** Why a join was refused; {@link #code()} is the protocol's error code. */
public enum JoinRefusal {
    ROOM_FULL("room-full"),
    NODE_FULL("node-full"),
    BAD_REQUEST("bad-request"),
    INTERNAL("internal");

    private final String code;

    JoinRefusal(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
