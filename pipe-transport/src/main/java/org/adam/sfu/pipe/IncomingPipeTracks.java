package org.adam.sfu.pipe;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import org.adam.sfu.room.Participant;
import org.adam.sfu.room.ParticipantId;
import org.adam.sfu.room.TrackInfo;
import org.adam.sfu.webrtc.forward.TrackForwarder;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The tracks this node receives through one pipe: which local participants receive each, the
 * layers they need, and the forwarders the far node's layers arrive on. A track stays in the
 * table only while some participant here receives it, so the table is bounded by the local
 * participants' needs.
 *
 * <p>Owned by its pipe's actor ({@link PipeTransport}); only that actor's thread touches it. The
 * forwarders it holds belong to the media loop: the table only names them.
 */
final class IncomingPipeTracks {

    /** One track published on the far node, and its receivers here. */
    static final class Track {
        private final TrackInfo info;
        private final Map<ParticipantId, ActorRef<Participant.Command>> receivers = new HashMap<>();
        private final Map<ParticipantId, Integer> demand = new HashMap<>();
        /** One per layer the far node sends, lowest first; null until it says it sends. */
        private List<TrackForwarder> layers;
        /** The layers last asked of the far node; -1 before the first ask. */
        private int wanted = -1;

        Track(TrackInfo info) {
            this.info = info;
        }

        TrackInfo info() {
            return info;
        }

        /** The forwarders of the layers the far node sends, lowest first; null until it sends. */
        List<TrackForwarder> layers() {
            return layers;
        }

        boolean arrived() {
            return layers != null;
        }

        /** The far node sends the track: these forwarders take its layers in. */
        void arrive(List<TrackForwarder> forwarders) {
            layers = forwarders;
        }

        void addReceiver(ParticipantId participant, ActorRef<Participant.Command> receiver) {
            receivers.put(participant, receiver);
        }

        /** Removes a receiver and what it needed; false if it did not receive the track. */
        boolean removeReceiver(ParticipantId participant) {
            if (receivers.remove(participant) == null) {
                return false;
            }
            demand.remove(participant);
            return true;
        }

        boolean hasReceivers() {
            return !receivers.isEmpty();
        }

        /** Sets the layers one receiver needs (0: it says nothing); false if it does not receive the track. */
        boolean demand(ParticipantId participant, int mask) {
            if (!receivers.containsKey(participant)) {
                return false;
            }
            if (mask == 0) {
                demand.remove(participant);
            } else {
                demand.put(participant, mask);
            }
            return true;
        }

        /** The layers some receiver here needs; the top layer until any receiver has said. */
        int neededLayers() {
            int needed = 0;
            for (int mask : demand.values()) {
                needed |= mask;
            }
            return needed != 0 ? needed : 1 << Math.max(0, info.layers().size() - 1);
        }

        /**
         * The layers to ask the far node for now, which then count as asked; -1 if it sends
         * nothing yet or was asked for exactly these already.
         */
        int takeChangedNeed() {
            int needed = neededLayers();
            if (layers == null || needed == wanted) {
                return -1;
            }
            wanted = needed;
            return needed;
        }

        /** Tells every receiver here that the track arrives. */
        void notifyReady() {
            receivers.values().forEach(r -> r.tell(new Participant.RemoteTrackReady(info.trackId())));
        }
    }

    private final Map<String, Track> tracks = new LinkedHashMap<>();

    /**
     * Adds a receiver of {@code info}.
     * @return true if the track did not cross the pipe before
     */
    boolean want(TrackInfo info, ParticipantId participant, ActorRef<Participant.Command> receiver) {
        String id = info.trackId().value();
        Track track = tracks.get(id);
        boolean fresh = track == null;
        if (fresh) {
            track = new Track(info);
            tracks.put(id, track);
        }
        track.addReceiver(participant, receiver);
        return fresh;
    }

    /** The track, or null if nobody here receives it. */
    Track get(String trackId) {
        return tracks.get(trackId);
    }

    Track remove(String trackId) {
        return tracks.remove(trackId);
    }

    /** The ids of the tracks received, in the order they were first wanted. */
    List<String> ids() {
        return List.copyOf(tracks.keySet());
    }

    boolean isEmpty() {
        return tracks.isEmpty();
    }

    void forEach(BiConsumer<String, Track> action) {
        tracks.forEach(action);
    }

    Collection<Track> all() {
        return tracks.values();
    }

    void clear() {
        tracks.clear();
    }
}
