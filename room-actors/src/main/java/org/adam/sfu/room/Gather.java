package org.adam.sfu.room;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
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

    public static <T, R> Behavior<Object> create(List<ActorRef<T>> targets, Function<ActorRef<R>, T> question,
                                                 Duration timeout, ActorRef<List<R>> replyTo) {
        return create(targets, question, timeout, list -> list, replyTo);
    }

    /** As above, wrapping the answers (e.g. in a serializable record when the reply crosses nodes). */
    public static <T, R, M> Behavior<Object> create(List<ActorRef<T>> targets, Function<ActorRef<R>, T> question,
                                                    Duration timeout, Function<List<R>, M> wrap,
                                                    ActorRef<M> replyTo) {
        return create(targets, question, timeout, (answers, unanswered) -> wrap.apply(answers), replyTo);
    }

    /**
     * As above, also telling how many targets did not answer in time, so that a reader can tell
     * a partial answer from a complete one.
     */
    @SuppressWarnings("unchecked")
    public static <T, R, M> Behavior<Object> create(List<ActorRef<T>> targets, Function<ActorRef<R>, T> question,
                                                    Duration timeout, BiFunction<List<R>, Integer, M> wrap,
                                                    ActorRef<M> replyTo) {
        return Behaviors.setup(context -> {
            if (targets.isEmpty()) {
                replyTo.tell(wrap.apply(List.of(), 0));
                return Behaviors.stopped();
            }
            ActorRef<R> self = (ActorRef<R>) (ActorRef<?>) context.getSelf();
            targets.forEach(target -> target.tell(question.apply(self)));
            List<R> collected = new ArrayList<>();
            return Behaviors.withTimers(timers -> {
                timers.startSingleTimer(Timeout.INSTANCE, timeout);
                return Behaviors.receive(Object.class)
                        .onMessageEquals(Timeout.INSTANCE, () -> {
                            replyTo.tell(wrap.apply(List.copyOf(collected), targets.size() - collected.size()));
                            return Behaviors.stopped();
                        })
                        .onAnyMessage(answer -> {
                            collected.add((R) answer);
                            if (collected.size() == targets.size()) {
                                replyTo.tell(wrap.apply(List.copyOf(collected), 0));
                                return Behaviors.stopped();
                            }
                            return Behaviors.same();
                        })
                        .build();
            });
        });
    }
}
