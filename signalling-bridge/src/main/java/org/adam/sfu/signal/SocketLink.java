package org.adam.sfu.signal;

import java.util.function.Consumer;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.adam.sfu.room.ClientEvent;
import org.adam.sfu.room.ClientLink;
import org.adam.sfu.room.ParticipantId;

/**
 * A participant actor's way back to its client's `/signal` socket. Called from the actor's
 * thread: Netty makes writing and closing safe from any thread, and the end of the participant is
 * handed to the socket's event loop.
 */
final class SocketLink implements ClientLink {

    private final Channel channel;
    private final ProtocolCodec codec;
    private final Consumer<ParticipantId> ended;

    /** @param ended told, on the socket's event loop, which participant ended */
    SocketLink(Channel channel, ProtocolCodec codec, Consumer<ParticipantId> ended) {
        this.channel = channel;
        this.codec = codec;
        this.ended = ended;
    }

    @Override
    public void send(ClientEvent event) {
        if (channel.isActive()) {
            channel.writeAndFlush(new TextWebSocketFrame(codec.encode(event)));
        }
    }

    @Override
    public void close() {
        channel.close();
    }

    @Override
    public void participantEnded(ParticipantId participant) {
        channel.eventLoop().execute(() -> ended.accept(participant));
    }
}
