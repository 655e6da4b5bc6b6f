package org.adam.sfu.webrtc.turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.adam.sfu.webrtc.Hex;
import org.adam.sfu.webrtc.stun.StunMessageType;
import org.adam.sfu.webrtc.stun.StunMessageWriter;
import org.adam.sfu.webrtc.stun.StunParseException;
import org.junit.jupiter.api.Test;

/** Splitting a TCP stream from a TURN server by the frames' own lengths (RFC 8656 12.5). */
class TurnStreamFramerTest {

    @Test
    void splitsStunAndPaddedChannelDataHoweverTheStreamIsCut() throws Exception {
        byte[] stun = new StunMessageWriter(StunMessageType.BINDING_SUCCESS, new byte[12]).lifetime(600).encode();
        byte[] channel = new byte[12];
        ChannelData.write(channel, 0, 0x4000, new byte[] {1, 2, 3, 4, 5}, 0, 5, TurnTransport.TCP);
        byte[] big = new byte[ChannelData.paddedLength(65_535)];
        ChannelData.write(big, 0, 0x4001, new byte[65_535], 0, 65_535, TurnTransport.TCP);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(channel);
        stream.writeBytes(stun);
        stream.writeBytes(big);
        stream.writeBytes(channel);
        byte[] all = stream.toByteArray();
        for (int chunk : new int[] {1, 3, 7, 64, 1500, all.length}) {
            TurnStreamFramer framer = new TurnStreamFramer();
            List<byte[]> frames = new ArrayList<>();
            for (int i = 0; i < all.length; i += chunk) {
                framer.feed(all, i, Math.min(chunk, all.length - i),
                        (buffer, offset, length) -> frames.add(Arrays.copyOfRange(buffer, offset, offset + length)));
            }
            assertThat(frames).as("chunks of %d", chunk).hasSize(4);
            assertThat(frames.get(0)).isEqualTo(channel);
            assertThat(frames.get(1)).isEqualTo(stun);
            assertThat(frames.get(2)).isEqualTo(big);
            assertThat(frames.get(3)).isEqualTo(channel);
            assertThat(framer.buffered()).isZero();
        }
    }

    @Test
    void refusesBytesThatStartNeitherKindOfFrame() {
        TurnStreamFramer framer = new TurnStreamFramer();
        byte[] rtp = Hex.bytes("80 60 00 01");
        assertThatThrownBy(() -> framer.feed(rtp, 0, rtp.length, (b, o, l) -> { }))
                .isInstanceOf(StunParseException.class);
        byte[] oddStun = Hex.bytes("01 01 00 03 21 12 a4 42");
        assertThatThrownBy(() -> new TurnStreamFramer().feed(oddStun, 0, oddStun.length, (b, o, l) -> { }))
                .isInstanceOf(StunParseException.class);
    }
}
