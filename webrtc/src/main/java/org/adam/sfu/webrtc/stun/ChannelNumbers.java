package org.adam.sfu.webrtc.stun;

/** The range of TURN channel numbers (RFC 8656 section 12): the first two bits 01. */
public final class ChannelNumbers {

    public static final int FIRST = 0x4000;
    public static final int LAST = 0x4FFF;

    private ChannelNumbers() {
    }
}
