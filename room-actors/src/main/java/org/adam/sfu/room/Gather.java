package org.adam.sfu.room;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Asks several actors the same question and replies with every answer that arrived in time
 * (a node that does not answer is left out rather than failing the whole query). A short-lived
 * actor: spawn it anonymously; it stops after replying.
 */
public final class Gather {

    private Gather() {
    }

    private enum Timeout { INSTANCE }

    @SuppressWarnings("unchecked")
    public static <T, R> Behavior<Object> create(List<ActorRef<T>> targets, Function<ActorRef<R>, T> question,
                                                 Duration timeout, ActorRef<List<R>> replyTo) {
        return Behaviors.setup(context -> {
            if (targets.isEmpty()) {
                replyTo.tell(List.of());
                return Behaviors.stopped();
            }
            ActorRef<R> self = (ActorRef<R>) (ActorRef<?>) context.getSelf();
            targets.forEach(target -> target.tell(question.apply(self)));
            List<R> collected = new ArrayList<>();
            return Behaviors.withTimers(timers -> {
                timers.startSingleTimer(Timeout.INSTANCE, timeout);
                return Behaviors.receive(Object.class)
                        .onMessageEquals(Timeout.INSTANCE, () -> {
                            replyTo.tell(List.copyOf(collected));
                            return Behaviors.stopped();
                        })
                        .onAnyMessage(answer -> {
                            collected.add((R) answer);
                            if (collected.size() == targets.size()) {
                                replyTo.tell(List.copyOf(collected));
                                return Behaviors.stopped();
                            }
                            return Behaviors.same();
                        })
                        .build();
            });
        });
    }
}
