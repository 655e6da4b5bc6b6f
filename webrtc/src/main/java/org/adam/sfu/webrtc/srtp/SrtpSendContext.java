package org.adam.sfu.webrtc.srtp;

import io.netty.buffer.ByteBuf;
import io.netty.util.collection.IntObjectHashMap;
import org.adam.sfu.webrtc.rtp.RtpPacket;

/**
 * Protects what one transport sends: RTP with the rollover counter tracked per SSRC
 * (RFC 3711 3.3.1) and RTCP with a per-SSRC SRTCP index (3.4). Confined to one thread.
 */
public final class SrtpSendContext {

    private static final int MAX_STREAMS = 1024;

    private static final class Stream {
        final RolloverCounter rollover = new RolloverCounter();
        int srtcpIndex;
    }

    private final SrtpTransform transform;
    private final IntObjectHashMap<Stream> streams = new IntObjectHashMap<>();

    public SrtpSendContext(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        this(profile, masterKey, masterSalt, SrtpCrypto.defaultFor(profile));
    }

    public SrtpSendContext(SrtpProfile profile, byte[] masterKey, byte[] masterSalt, SrtpCrypto crypto) {
        this.transform = SrtpTransform.create(profile, masterKey, masterSalt, crypto);
    }

    SrtpSendContext(SrtpTransform transform) {
        this.transform = transform;
    }

    /**
     * Encrypts the RTP packet at [readerIndex, writerIndex) in place and appends its tag.
     * Ownership stays with the caller.
     *
     * @return the protected length, or a negative {@link SrtpError}
     */
    public int protectRtp(ByteBuf packet) {
        int headerLength = RtpPacket.headerLength(packet);
        if (headerLength < 0) {
            return SrtpError.MALFORMED;
        }
        int ssrc = RtpPacket.ssrc(packet);
        int seq = RtpPacket.sequenceNumber(packet);
        Stream stream = stream(ssrc);
        int roc = stream.rollover.estimate(seq);
        stream.rollover.update(roc, seq);
        try {
            packet.ensureWritable(transform.rtpOverhead());
            transform.protectRtp(packet, headerLength, ssrc, roc, seq);
        } catch (RuntimeException e) {
            return SrtpError.CRYPTO_FAILED;
        }
        return packet.readableBytes();
    }

    /**
     * Encrypts the RTCP compound packet in place and appends the SRTCP trailer and tag. The
     * index counts per sender SSRC (the first packet's SSRC field).
     */
    public int protectRtcp(ByteBuf packet) {
        if (packet.readableBytes() < 8) {
            return SrtpError.TOO_SHORT;
        }
        int ssrc = packet.getInt(packet.readerIndex() + 4);
        Stream stream = stream(ssrc);
        int index = stream.srtcpIndex;
        stream.srtcpIndex = (index + 1) & 0x7FFFFFFF;
        try {
            packet.ensureWritable(transform.rtcpOverhead());
            transform.protectRtcp(packet, ssrc, index);
        } catch (RuntimeException e) {
            return SrtpError.CRYPTO_FAILED;
        }
        return packet.readableBytes();
    }

    private Stream stream(int ssrc) {
        Stream stream = streams.get(ssrc);
        if (stream == null) {
            if (streams.size() >= MAX_STREAMS) {
                streams.clear();
            }
            stream = new Stream();
            streams.put(ssrc, stream);
        }
        return stream;
    }
}
