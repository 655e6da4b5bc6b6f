package org.adam.sfu.bench.load.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import org.junit.jupiter.api.Test;

/** A client socket's datagrams go by first byte to STUN, DTLS or SRTP, and each is released. */
class ClientDatagramDemuxTest {

    private static final InetSocketAddress SFU = new InetSocketAddress("127.0.0.1", 40000);
    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 50000);

    private final List<String> seen = new ArrayList<>();
    private boolean closed;
    private boolean failing;
    private int errors;

    private final ClientDatagramDemux.Receiver receiver = new ClientDatagramDemux.Receiver(() -> closed,
            (content, from) -> seen.add("stun from " + from.getPort()),
            content -> seen.add("dtls " + content.readableBytes()),
            (content, nanos) -> {
                if (failing) {
                    throw new IllegalStateException("a bug");
                }
                seen.add("srtp " + content.readableBytes());
            },
            () -> errors++);

    private static ByteBuf datagram(int first, int length) {
        return Unpooled.buffer(length).writeByte(first).writeZero(length - 1);
    }

    private ByteBuf deliver(EmbeddedChannel channel, ByteBuf content) {
        channel.writeInbound(new DatagramPacket(content, CLIENT, SFU));
        return content;
    }

    @Test
    void eachKindGoesWhereItsFirstByteSaysAndIsReleased() {
        EmbeddedChannel channel = new EmbeddedChannel(new ClientDatagramDemux(() -> receiver));
        List<ByteBuf> sent = List.of(deliver(channel, datagram(0, 20)), deliver(channel, datagram(22, 30)),
                deliver(channel, datagram(128, 40)), deliver(channel, datagram(191, 41)));

        assertThat(seen).containsExactly("stun from 40000", "dtls 30", "srtp 40", "srtp 41");
        assertThat(sent).allSatisfy(buf -> assertThat(buf.refCnt()).isZero());
        assertThat((Object) channel.readInbound()).isNull();
    }

    @Test
    void whatNoProtocolHereClaimsIsDroppedAndReleased() {
        EmbeddedChannel channel = new EmbeddedChannel(new ClientDatagramDemux(() -> receiver));
        List<ByteBuf> sent = List.of(deliver(channel, datagram(4, 20)), deliver(channel, datagram(19, 20)),
                deliver(channel, datagram(64, 20)), deliver(channel, datagram(127, 20)),
                deliver(channel, datagram(192, 20)), deliver(channel, datagram(128, 1)));

        assertThat(seen).isEmpty();
        assertThat(sent).allSatisfy(buf -> assertThat(buf.refCnt()).isZero());
    }

    @Test
    void nothingIsDeliveredBeforeTheConnectionExistsNorAfterItIsClosed() {
        EmbeddedChannel early = new EmbeddedChannel(new ClientDatagramDemux(() -> null));
        ByteBuf beforeConnection = deliver(early, datagram(128, 40));
        closed = true;
        EmbeddedChannel channel = new EmbeddedChannel(new ClientDatagramDemux(() -> receiver));
        ByteBuf afterClose = deliver(channel, datagram(128, 40));

        assertThat(seen).isEmpty();
        assertThat(beforeConnection.refCnt()).isZero();
        assertThat(afterClose.refCnt()).isZero();
    }

    @Test
    void aDatagramWhoseHandlingThrowsIsCountedAndTheSocketGoesOn() {
        EmbeddedChannel channel = new EmbeddedChannel(new ClientDatagramDemux(() -> receiver));
        failing = true;
        ByteBuf bad = deliver(channel, datagram(128, 40));
        failing = false;
        deliver(channel, datagram(128, 40));

        assertThat(errors).isEqualTo(1);
        assertThat(bad.refCnt()).isZero();
        assertThat(seen).containsExactly("srtp 40");
        assertThat(channel.isOpen()).isTrue();
    }
}
