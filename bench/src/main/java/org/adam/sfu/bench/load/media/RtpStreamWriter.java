package org.adam.sfu.bench.load.media;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Writes the RTP headers of one outgoing stream (one SSRC, RFC 3550 5.1): sequence numbers and
 * timestamps from random starting points, and a constant RFC 8285 one-byte extension block (the
 * MID, the RID of a simulcast layer, an audio level) as a browser puts on every packet.
 */
public final class RtpStreamWriter {

    /** Room left after the payload for the SRTP tag (16 bytes for AES-GCM, 10 for AES-CM). */
    private static final int SRTP_ROOM = 16;

    private final int ssrc;
    private final int payloadType;
    private final byte[] extensionBlock;
    private int sequence;
    private final long timestampBase;
    private int counter;
    private long packetsSent;
    private long bytesSent;

    private RtpStreamWriter(int ssrc, int payloadType, byte[] extensionBlock, Random random) {
        this.ssrc = ssrc;
        this.payloadType = payloadType;
        this.extensionBlock = extensionBlock;
        this.sequence = random.nextInt(1 << 16);
        this.timestampBase = random.nextInt() & 0xFFFFFFFFL;
    }

    /**
     * @param midExtensionId   the MID extension's id in the publish offer
     * @param ridExtensionId   the RID extension's id, or 0 when {@code rid} is null
     * @param audioLevelId     the audio level extension's id, or 0 for none
     */
    public static RtpStreamWriter create(int ssrc, int payloadType, int midExtensionId, String mid,
                                         int ridExtensionId, String rid, int audioLevelId, Random random) {
        ByteBuf block = io.netty.buffer.Unpooled.buffer(32);
        block.writeShort(0xBEDE).writeShort(0);
        element(block, midExtensionId, mid.getBytes(StandardCharsets.US_ASCII));
        if (rid != null) {
            element(block, ridExtensionId, rid.getBytes(StandardCharsets.US_ASCII));
        }
        if (audioLevelId > 0) {
            element(block, audioLevelId, new byte[] {(byte) (0x80 | 40)}); // voice, -40 dBov (RFC 6464)
        }
        while ((block.readableBytes() & 3) != 0) {
            block.writeByte(0);
        }
        block.setShort(2, block.readableBytes() / 4 - 1);
        byte[] bytes = new byte[block.readableBytes()];
        block.readBytes(bytes);
        return new RtpStreamWriter(ssrc, payloadType, bytes, random);
    }

    private static void element(ByteBuf block, int id, byte[] data) {
        block.writeByte((id << 4) | (data.length - 1));
        block.writeBytes(data);
    }

    /**
     * A new packet with its header written and room for {@code payloadLength} bytes and the SRTP
     * tag; the caller writes the payload and owns the buffer.
     */
    public ByteBuf start(ByteBufAllocator alloc, boolean marker, long timestampTicks, int payloadLength) {
        ByteBuf packet = alloc.directBuffer(12 + extensionBlock.length + payloadLength + SRTP_ROOM);
        packet.writeByte(0x90); // V=2, X=1
        packet.writeByte((marker ? 0x80 : 0) | payloadType);
        packet.writeShort(sequence);
        packet.writeInt((int) (timestampBase + timestampTicks));
        packet.writeInt(ssrc);
        packet.writeBytes(extensionBlock);
        sequence = (sequence + 1) & 0xFFFF;
        return packet;
    }

    /** Stamps the end of the payload and counts the packet; call as the last write of a packet. */
    public void finish(ByteBuf packet, long sendNanos) {
        LoadStamp.write(packet, counter++, sendNanos);
        packetsSent++;
        bytesSent += packet.readableBytes();
    }

    public int headerLength() {
        return 12 + extensionBlock.length;
    }

    public int ssrc() {
        return ssrc;
    }

    public long packetsSent() {
        return packetsSent;
    }

    public long bytesSent() {
        return bytesSent;
    }
}
