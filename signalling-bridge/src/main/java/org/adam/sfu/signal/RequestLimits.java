package org.adam.sfu.signal;

/**
 * The longest value the node takes in each field of a client request (protocol.md, "Precise
 * rules"). Each is checked after the frame (at most 256 KiB) is parsed and before the value is
 * used, so nothing a client sends costs the node more than its bound: a DID is never decoded, a
 * list never copied, an id never kept or echoed beyond these lengths.
 */
public final class RequestLimits {

    public static final int TYPE = 32;
    /** A request's `id`: one longer is not echoed, and the request is refused. */
    public static final int REQUEST_ID = 128;
    public static final int NEIGHBOURHOOD = 512;
    public static final int ROOM = 256;
    /** Any DID under open auth; under DID auth only an Ed25519 did:key (56 characters) is decoded. */
    public static final int DID = 256;
    public static final int NAME = 256;
    /** base64url of a 64-byte Ed25519 signature is 86 characters. */
    public static final int PROOF = 128;
    /** Participant and track ids, which the node assigns (`p-` or `t-` and 12 hex digits). */
    public static final int NODE_ID = 64;
    public static final int RESUME_TOKEN = 64;
    /** An SDP cannot be longer than the frame that carries it. */
    public static final int SDP = 262_144;
    public static final int CANDIDATE = 1024;
    public static final int SDP_MID = 64;
    public static final int MAX_SDP_MLINE_INDEX = 65_535;
    /** Track ids in one `subscribe` or `unsubscribe`. */
    public static final int TRACKS_PER_REQUEST = 512;
    /** Entries of a publish offer's `sources` (one per m-line), and the length of each mid and source. */
    public static final int SOURCES = 64;
    public static final int SOURCE = 16;

    private RequestLimits() {
    }
}
