package org.adam.sfu.webrtc.srtp;

import java.util.Iterator;

import io.netty.buffer.ByteBuf;
import io.netty.util.collection.IntObjectHashMap;
import org.adam.sfu.webrtc.rtp.RtpPacket;

/**
 * Verifies and decrypts what one transport receives. Per SSRC it estimates the packet index from
 * the rollover counter (RFC 3711 3.3.1, appendix A) and rejects replays (3.3.2). A stream's state
 * is created only after its first packet authenticates, and the number of streams is bounded, so
 * a flood of made-up SSRCs costs nothing but failed tag checks. Confined to one thread.
 */
public final class SrtpReceiveContext {

    static final int MAX_STREAMS = 1024;

    private static final class Stream {
        final RolloverCounter rollover = new RolloverCounter();
        final ReplayWindow rtpWindow = new ReplayWindow();
        final ReplayWindow rtcpWindow = new ReplayWindow();
    }

    private final SrtpTransform transform;
    private final IntObjectHashMap<Stream> streams = new IntObjectHashMap<>();

    public SrtpReceiveContext(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        this(profile, masterKey, masterSalt, SrtpCrypto.defaultFor(profile));
    }

    public SrtpReceiveContext(SrtpProfile profile, byte[] masterKey, byte[] masterSalt, SrtpCrypto crypto) {
        this.transform = SrtpTransform.create(profile, masterKey, masterSalt, crypto);
    }

    SrtpReceiveContext(SrtpTransform transform) {
        this.transform = transform;
    }

    /**
     * Authenticates and decrypts the SRTP packet at [readerIndex, writerIndex) in place, then
     * drops the tag (writerIndex moves back). Ownership stays with the caller.
     *
     * @return the plain RTP length, or a negative {@link SrtpError}
     */
    public int unprotectRtp(ByteBuf packet) {
        if (packet.readableBytes() < 12 + transform.rtpOverhead()) {
            return SrtpError.TOO_SHORT;
        }
        int headerLength = RtpPacket.headerLength(packet);
        if (headerLength < 0 || headerLength > packet.readableBytes() - transform.rtpOverhead()) {
            return SrtpError.MALFORMED;
        }
        int ssrc = RtpPacket.ssrc(packet);
        int seq = RtpPacket.sequenceNumber(packet);
        Stream stream = streams.get(ssrc);
        int roc = stream == null ? 0 : stream.rollover.estimate(seq);
        long index = ((long) roc << 16) | seq;
        if (stream != null && stream.rtpWindow.isReplayOrTooOld(index)) {
            return SrtpError.REPLAYED;
        }
        boolean authentic;
        try {
            authentic = transform.unprotectRtp(packet, headerLength, ssrc, roc, seq);
        } catch (RuntimeException e) {
            return SrtpError.CRYPTO_FAILED;
        }
        if (!authentic) {
            return SrtpError.AUTH_FAILED;
        }
        if (stream == null) {
            stream = newStream(ssrc);
        }
        stream.rollover.update(roc, seq);
        stream.rtpWindow.accept(index);
        return packet.readableBytes();
    }

    /**
     * Authenticates and decrypts an SRTCP packet in place and drops its trailer and tag.
     *
     * @return the plain RTCP length, or a negative {@link SrtpError}
     */
    public int unprotectRtcp(ByteBuf packet) {
        int length = packet.readableBytes();
        if (length < 8 + transform.rtcpOverhead()) {
            return SrtpError.TOO_SHORT;
        }
        int ssrc = packet.getInt(packet.readerIndex() + 4);
        int word = packet.getInt(packet.writerIndex() - transform.rtcpIndexOffsetFromEnd());
        boolean encrypted = word < 0;
        int index = word & 0x7FFFFFFF;
        Stream stream = streams.get(ssrc);
        if (stream != null && stream.rtcpWindow.isReplayOrTooOld(index)) {
            return SrtpError.REPLAYED;
        }
        boolean authentic;
        try {
            authentic = transform.unprotectRtcp(packet, ssrc, index, encrypted);
        } catch (RuntimeException e) {
            return SrtpError.CRYPTO_FAILED;
        }
        if (!authentic) {
            return SrtpError.AUTH_FAILED;
        }
        if (stream == null) {
            stream = newStream(ssrc);
        }
        stream.rtcpWindow.accept(index);
        return packet.readableBytes();
    }

    private Stream newStream(int ssrc) {
        if (streams.size() >= MAX_STREAMS) {
            Iterator<Integer> keys = streams.keySet().iterator();
            keys.next();
            keys.remove();
        }
        Stream stream = new Stream();
        streams.put(ssrc, stream);
        return stream;
    }

    int streamCount() {
        return streams.size();
    }
}
