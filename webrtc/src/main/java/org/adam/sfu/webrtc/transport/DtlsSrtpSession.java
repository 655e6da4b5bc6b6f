package org.adam.sfu.webrtc.transport;

import java.util.ArrayDeque;

import io.netty.buffer.ByteBuf;
import org.adam.sfu.webrtc.dtls.DtlsEndpoint;
import org.adam.sfu.webrtc.dtls.DtlsResult;
import org.adam.sfu.webrtc.dtls.DtlsRole;
import org.adam.sfu.webrtc.srtp.SrtpKeys;
import org.adam.sfu.webrtc.srtp.SrtpProfile;
import org.adam.sfu.webrtc.srtp.SrtpReceiveContext;
import org.adam.sfu.webrtc.srtp.SrtpSendContext;

/**
 * One transport's DTLS-SRTP (RFC 5764): the DTLS association, the peer's records that arrive
 * before it may start, and the SRTP contexts keyed from its export.
 *
 * <p>Threading: media event loop only. The association's callbacks arrive on other threads and
 * are moved onto the loop by the transport before they reach {@link #onHandshakeComplete}.
 */
final class DtlsSrtpSession {

    /** Records the peer sends before the association may start (ICE not done yet) that are kept for it. */
    static final int MAX_EARLY_DTLS = 16;

    /** What this session needs of a DTLS association; {@link #of} adapts the node's. */
    interface Handshake {
        void start();

        void onDatagram(byte[] datagram);

        void close();

        static Handshake of(DtlsEndpoint endpoint) {
            return new Handshake() {
                @Override
                public void start() {
                    endpoint.start();
                }

                @Override
                public void onDatagram(byte[] datagram) {
                    endpoint.onDatagram(datagram);
                }

                @Override
                public void close() {
                    endpoint.close();
                }
            };
        }
    }

    private Handshake dtls;
    private final ArrayDeque<byte[]> earlyDtls = new ArrayDeque<>();
    private boolean started;
    private SrtpReceiveContext srtpIn;
    private SrtpSendContext srtpOut;

    /** The peer's description is known: the association exists, to be started once it may speak. */
    void open(Handshake handshake) {
        dtls = handshake;
    }

    /** Starts the association, once, and hands it what the peer sent meanwhile; nothing before {@link #open}. */
    void start() {
        if (started || dtls == null) {
            return;
        }
        started = true;
        dtls.start();
        while (!earlyDtls.isEmpty()) {
            dtls.onDatagram(earlyDtls.poll());
        }
    }

    /** A DTLS record from the peer: to the association, or kept (a bounded number) until it starts. */
    void onDatagram(byte[] datagram) {
        if (!started) {
            if (earlyDtls.size() < MAX_EARLY_DTLS) {
                earlyDtls.add(datagram);
            }
            return;
        }
        dtls.onDatagram(datagram);
    }

    /**
     * Keys SRTP from a finished handshake.
     *
     * @return the negotiated profile, or null if it is one this node does not know (nothing is keyed)
     */
    SrtpProfile onHandshakeComplete(DtlsResult result) {
        SrtpProfile profile = SrtpProfile.fromId(result.srtpProfileId());
        if (profile == null) {
            return null;
        }
        SrtpKeys keys = SrtpKeys.fromDtlsExport(profile, result.keyingMaterial(),
                result.localRole() == DtlsRole.CLIENT);
        srtpIn = new SrtpReceiveContext(profile, keys.remoteMasterKey(), keys.remoteMasterSalt());
        srtpOut = new SrtpSendContext(profile, keys.localMasterKey(), keys.localMasterSalt());
        return profile;
    }

    /** Whether SRTP is keyed, so the peer's packets can be decrypted. */
    boolean keyed() {
        return srtpIn != null;
    }

    /** Decrypts in place; negative if the packet fails authentication or replay checks. */
    int unprotectRtp(ByteBuf packet) {
        return srtpIn.unprotectRtp(packet);
    }

    int unprotectRtcp(ByteBuf packet) {
        return srtpIn.unprotectRtcp(packet);
    }

    /** Encrypts in place, appending the tag; negative on failure. */
    int protectRtp(ByteBuf packet) {
        return srtpOut.protectRtp(packet);
    }

    int protectRtcp(ByteBuf packet) {
        return srtpOut.protectRtcp(packet);
    }

    void close() {
        if (dtls != null) {
            dtls.close();
        }
    }
}
