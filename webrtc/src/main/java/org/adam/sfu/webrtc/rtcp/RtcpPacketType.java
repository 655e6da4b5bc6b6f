package org.adam.sfu.webrtc.rtcp;

/** RTCP packet types (RFC 3550 12.1, RFC 4585 6.1) and feedback message types. */
public final class RtcpPacketType {

    public static final int SR = 200;
    public static final int RR = 201;
    public static final int SDES = 202;
    public static final int BYE = 203;
    public static final int APP = 204;
    /** Transport-layer feedback (RFC 4585): FMT 1 generic NACK, 15 transport-cc. */
    public static final int RTPFB = 205;
    /** Payload-specific feedback (RFC 4585): FMT 1 PLI, 4 FIR (RFC 5104), 15 application (REMB). */
    public static final int PSFB = 206;

    public static final int FMT_NACK = 1;
    public static final int FMT_TRANSPORT_CC = 15;
    public static final int FMT_PLI = 1;
    public static final int FMT_FIR = 4;
    public static final int FMT_APPLICATION = 15;

    private RtcpPacketType() {
    }
}
