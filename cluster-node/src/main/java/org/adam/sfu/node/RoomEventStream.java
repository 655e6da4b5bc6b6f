package org.adam.sfu.node;

import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.adam.sfu.room.Room;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.AsPublisher;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.SourceQueueWithComplete;
import org.reactivestreams.Publisher;

/**
 * A room's roster and catalogue events as a Reactive Streams publisher, for GraphQL
 * subscriptions: a small actor watches the room ({@link Room.Watch}) and feeds a stream; when the
 * subscriber cancels, or the reader's right to watch ends, the actor unwatches and stops. Slow
 * subscribers lose the oldest events beyond a buffer of 256 rather than holding the room back.
 */
final class RoomEventStream {

    private static final AtomicLong IDS = new AtomicLong();
    private static final int BUFFER = 256;

    private enum Stop { INSTANCE }

    private RoomEventStream() {
    }

    /**
     * @param mapper an event as the subscription's payload, or null to leave it out
     * @param until  the stream completes when this does (the reader's session ended)
     */
    static Publisher<Map<String, Object>> open(ActorSystem<?> system, RecipientRef<Room.Command> room,
                                               Function<Room.Event, Map<String, Object>> mapper,
                                               CompletionStage<?> until) {
        Pair<SourceQueueWithComplete<Map<String, Object>>, Publisher<Map<String, Object>>> stream =
                Source.<Map<String, Object>>queue(BUFFER, OverflowStrategy.dropHead())
                        .toMat(Sink.asPublisher(AsPublisher.WITHOUT_FANOUT), Keep.both())
                        .run(system);
        SourceQueueWithComplete<Map<String, Object>> queue = stream.first();
        ActorRef<Object> feeder = system.systemActorOf(feeder(queue, mapper),
                "graphql-subscription-" + IDS.incrementAndGet(), Props.empty());
        ActorRef<Room.Event> events = feeder.narrow();
        room.tell(new Room.Watch(events));
        until.whenComplete((done, failure) -> queue.complete());
        queue.watchCompletion().whenComplete((done, failure) -> {
            room.tell(new Room.Unwatch(events));
            feeder.tell(Stop.INSTANCE);
        });
        return stream.second();
    }

    private static Behavior<Object> feeder(SourceQueueWithComplete<Map<String, Object>> queue,
                                           Function<Room.Event, Map<String, Object>> mapper) {
        return Behaviors.receive(Object.class)
                .onMessage(Room.Event.class, event -> {
                    Map<String, Object> payload = mapper.apply(event);
                    if (payload != null) {
                        queue.offer(payload);
                    }
                    if (event instanceof Room.Closed) {
                        queue.complete();
                    }
                    return Behaviors.same();
                })
                .onMessageEquals(Stop.INSTANCE, Behaviors::stopped)
                .build();
    }
}
