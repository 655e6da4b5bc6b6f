package org.adam.sfu.signal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.adam.sfu.room.ClientEvent;
import org.adam.sfu.room.ParticipantId;
import org.junit.jupiter.api.Test;

class SocketLinkTest {

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final List<ParticipantId> ended = new ArrayList<>();
    private final SocketLink link = new SocketLink(channel, new ProtocolCodec(), ended::add);

    @Test
    void eventsGoToTheSocketAsProtocolFrames() {
        link.send(new ClientEvent.Pong("p1"));
        TextWebSocketFrame frame = channel.readOutbound();
        assertThat(frame.text()).contains("\"type\":\"pong\"").contains("\"id\":\"p1\"");
        frame.release();
    }

    @Test
    void theEndOfTheParticipantIsHandedToTheEventLoop() {
        link.participantEnded(new ParticipantId("p1"));
        assertThat(ended).as("not on the caller's thread").isEmpty();
        channel.runPendingTasks();
        assertThat(ended).containsExactly(new ParticipantId("p1"));
    }

    @Test
    void closingTheLinkClosesTheSocketAndLaterEventsAreDropped() {
        link.close();
        assertThat(channel.isOpen()).isFalse();
        link.send(new ClientEvent.Pong("late"));
        assertThat((Object) channel.readOutbound()).isNull();
    }
}
