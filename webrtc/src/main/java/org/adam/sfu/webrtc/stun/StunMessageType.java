package org.adam.sfu.webrtc.stun;

/**
 * Message class and method packed into the 14-bit type field (RFC 8489 section 5): the class
 * bits C1 and C0 sit at positions 8 and 4, between the method bits.
 */
public final class StunMessageType {

    public static final int METHOD_BINDING = 0x001;
    /** TURN methods (RFC 8656 section 17). */
    public static final int METHOD_ALLOCATE = 0x003;
    public static final int METHOD_REFRESH = 0x004;
    public static final int METHOD_SEND = 0x006;
    public static final int METHOD_DATA = 0x007;
    public static final int METHOD_CREATE_PERMISSION = 0x008;
    public static final int METHOD_CHANNEL_BIND = 0x009;

    public static final int CLASS_REQUEST = 0b00;
    public static final int CLASS_INDICATION = 0b01;
    public static final int CLASS_SUCCESS = 0b10;
    public static final int CLASS_ERROR = 0b11;

    public static final int BINDING_REQUEST = encode(METHOD_BINDING, CLASS_REQUEST);
    public static final int BINDING_INDICATION = encode(METHOD_BINDING, CLASS_INDICATION);
    public static final int BINDING_SUCCESS = encode(METHOD_BINDING, CLASS_SUCCESS);
    public static final int BINDING_ERROR = encode(METHOD_BINDING, CLASS_ERROR);

    public static int encode(int method, int messageClass) {
        return (method & 0x000F) | ((method & 0x0070) << 1) | ((method & 0x0F80) << 2)
                | ((messageClass & 0b01) << 4) | ((messageClass & 0b10) << 7);
    }

    public static int method(int type) {
        return (type & 0x000F) | ((type & 0x00E0) >> 1) | ((type & 0x3E00) >> 2);
    }

    public static int messageClass(int type) {
        return ((type >> 4) & 0b01) | ((type >> 7) & 0b10);
    }

    private StunMessageType() {
    }
}
