package org.adam.sfu.pipe;

import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.slf4j.MDC;

/**
 * A pipe's log lines: logged as {@link PipeTransport}'s, whichever class writes them, with the
 * pipe's room in the MDC. Called on the pipe actor's thread.
 */
final class PipeLog {

    private PipeLog() {
    }

    static void info(ActorContext<?> context, PipeKey key, String format, Object... args) {
        // Pekko names an actor's logger after the class that first asks for it: keep it the pipe's.
        context.setLoggerName(PipeTransport.class);
        MDC.put("room", key.room().toString());
        try {
            context.getLog().info(format, args);
        } finally {
            MDC.remove("room");
        }
    }
}
