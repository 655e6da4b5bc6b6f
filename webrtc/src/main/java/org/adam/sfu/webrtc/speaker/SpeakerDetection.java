package org.adam.sfu.webrtc.speaker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The dominant speaker of each room, from the audio levels (RFC 6464) of the audio streams this
 * node forwards, published here or piped in from other nodes (so every node of a cascaded room
 * sees every speaker its receivers hear). Listeners (participants on this node) are told when it
 * changes, and of the current one when they start listening.
 *
 * <p>Threading: levels arrive on the media event loop ({@link LevelSink#onLevel}); the other
 * public methods may be called from any thread and run on that loop.
 */
public final class SpeakerDetection {

    /** A new dominant speaker and its latest level (0 loudest .. 127 silence). */
    public record Change(String participantId, int level) {
    }

    private final Executor loop;
    private final Map<String, RoomSpeakers> rooms = new HashMap<>();

    private static final class RoomSpeakers {
        final DominantSpeaker detector = new DominantSpeaker();
        final Map<String, LevelSink> sinks = new HashMap<>();
        final List<Consumer<Change>> listeners = new ArrayList<>();
        String current;

        boolean unused() {
            return sinks.isEmpty() && listeners.isEmpty();
        }
    }

    /** One participant's audio in one room: where its packets' levels go. */
    public final class LevelSink {
        private final String room;
        private final String participantId;
        private final DominantSpeaker.Speaker speaker;
        private final DominantSpeaker detector;
        private int streams = 1;
        private int lastLevel = 127;

        private LevelSink(String room, String participantId, DominantSpeaker detector) {
            this.room = room;
            this.participantId = participantId;
            this.detector = detector;
            this.speaker = detector.addSpeaker(participantId);
        }

        /** The stream ended. Media event loop. */
        public void close() {
            unregister(this);
        }

        /** Media event loop, per audio packet. */
        public void onLevel(int level, long nowMillis) {
            lastLevel = level;
            detector.onAudioLevel(speaker, level, nowMillis);
        }
    }

    public SpeakerDetection(Executor loop) {
        this.loop = loop;
    }

    /**
     * An audio stream of {@code participantId} in {@code room}; the sink comes back through
     * {@code registered}, on the media loop.
     */
    public void register(String room, String participantId, Consumer<LevelSink> registered) {
        loop.execute(() -> {
            RoomSpeakers speakers = rooms.computeIfAbsent(room, r -> new RoomSpeakers());
            LevelSink sink = speakers.sinks.get(participantId);
            if (sink == null) {
                sink = new LevelSink(room, participantId, speakers.detector);
                speakers.sinks.put(participantId, sink);
            } else {
                sink.streams++;
            }
            registered.accept(sink);
        });
    }

    private void unregister(LevelSink sink) {
        RoomSpeakers speakers = rooms.get(sink.room);
        if (speakers == null || speakers.sinks.get(sink.participantId) != sink || --sink.streams > 0) {
            return;
        }
        speakers.sinks.remove(sink.participantId);
        speakers.detector.removeSpeaker(sink.participantId);
        if (speakers.unused()) {
            rooms.remove(sink.room);
        }
    }

    public void listen(String room, Consumer<Change> listener) {
        loop.execute(() -> {
            RoomSpeakers speakers = rooms.computeIfAbsent(room, r -> new RoomSpeakers());
            speakers.listeners.add(listener);
            if (speakers.current != null) {
                LevelSink sink = speakers.sinks.get(speakers.current);
                listener.accept(new Change(speakers.current, sink == null ? 127 : sink.lastLevel));
            }
        });
    }

    public void unlisten(String room, Consumer<Change> listener) {
        loop.execute(() -> {
            RoomSpeakers speakers = rooms.get(room);
            if (speakers != null) {
                speakers.listeners.remove(listener);
                if (speakers.unused()) {
                    rooms.remove(room);
                }
            }
        });
    }

    /**
     * Runs every room's decision; media event loop, a few times a second, on the clock the levels
     * are given in (System.nanoTime in milliseconds).
     */
    public void evaluate(long nowMillis) {
        for (RoomSpeakers speakers : rooms.values()) {
            String dominant = speakers.detector.evaluate(nowMillis);
            if (dominant != null && !dominant.equals(speakers.current)) {
                speakers.current = dominant;
                LevelSink sink = speakers.sinks.get(dominant);
                Change change = new Change(dominant, sink == null ? 127 : sink.lastLevel);
                for (Consumer<Change> listener : speakers.listeners) {
                    listener.accept(change);
                }
            }
        }
    }
}
