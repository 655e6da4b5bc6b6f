package org.adam.sfu.webrtc.turn;

import org.adam.sfu.webrtc.stun.StunMessageType;

/** The TURN requests the client makes (RFC 8656 sections 7-12), with their STUN methods. */
public enum TurnRequest {
    ALLOCATE(StunMessageType.METHOD_ALLOCATE),
    REFRESH(StunMessageType.METHOD_REFRESH),
    CREATE_PERMISSION(StunMessageType.METHOD_CREATE_PERMISSION),
    CHANNEL_BIND(StunMessageType.METHOD_CHANNEL_BIND);

    final int method;

    TurnRequest(int method) {
        this.method = method;
    }
}
