package org.adam.sfu.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;

class RoomLogTest {

    /** Keeps each line with the MDC it had when it was logged. */
    private static final class Lines extends AppenderBase<ILoggingEvent> {
        final List<String> messages = new ArrayList<>();
        final List<Map<String, String>> mdc = new ArrayList<>();

        @Override
        protected void append(ILoggingEvent event) {
            messages.add(event.getFormattedMessage());
            mdc.add(Map.copyOf(MDC.getCopyOfContextMap() == null ? Map.of() : MDC.getCopyOfContextMap()));
        }
    }

    @Test
    void eachLineCarriesTheRoomAndTheThreadIsLeftWithout() {
        Logger logger = (Logger) LoggerFactory.getLogger("RoomLogTest");
        logger.setLevel(Level.INFO);
        logger.setAdditive(false);
        Lines lines = new Lines();
        lines.start();
        logger.addAppender(lines);
        RoomKey key = new RoomKey("neighbourhood://test", "r1");

        new RoomLog(key, () -> logger).info("participant {} left: {}", "p-1", "leave");

        assertThat(lines.messages).containsExactly("participant p-1 left: leave");
        assertThat(lines.mdc.get(0)).containsEntry("room", key.toString());
        assertThat(MDC.get("room")).isNull();
    }
}
