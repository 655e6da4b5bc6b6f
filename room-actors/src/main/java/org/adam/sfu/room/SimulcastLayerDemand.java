package org.adam.sfu.room;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A room's record of which layers of each simulcast track its subscribers need, and what each
 * publisher was last told (`publish-layers`). Entries go with the subscriber or the track they
 * are about, so what it holds is bounded by the room's tracks times its members.
 */
final class SimulcastLayerDemand {

    /** Per track, the layers (a bit per layer) each subscriber needs; no entry for "none". */
    private final Map<TrackId, Map<ParticipantId, Integer>> needs = new HashMap<>();
    /** Per track, the layers its publisher was last told anybody receives. */
    private final Map<TrackId, List<Boolean>> announced = new HashMap<>();

    /**
     * Records that {@code subscriber} needs {@code layers} of {@code track} (0: none).
     *
     * @return the layers the publisher should now be told, if that changed
     */
    Optional<List<Boolean>> update(TrackInfo track, ParticipantId subscriber, int layers) {
        if (layers == 0) {
            Map<ParticipantId, Integer> bySubscriber = needs.get(track.trackId());
            if (bySubscriber != null) {
                bySubscriber.remove(subscriber);
                if (bySubscriber.isEmpty()) {
                    needs.remove(track.trackId());
                }
            }
        } else {
            needs.computeIfAbsent(track.trackId(), t -> new HashMap<>()).put(subscriber, layers);
        }
        return changed(track);
    }

    /**
     * Forgets what {@code subscriber} needed.
     *
     * @param tracks the room's track by id (null for one no longer published)
     * @return per track it needed, the layers its publisher should now be told, where that changed
     */
    Map<TrackInfo, List<Boolean>> removeSubscriber(ParticipantId subscriber, Function<TrackId, TrackInfo> tracks) {
        Map<TrackInfo, List<Boolean>> out = new LinkedHashMap<>();
        for (TrackId trackId : List.copyOf(needs.keySet())) {
            Map<ParticipantId, Integer> bySubscriber = needs.get(trackId);
            if (bySubscriber.remove(subscriber) == null) {
                continue;
            }
            if (bySubscriber.isEmpty()) {
                needs.remove(trackId);
            }
            TrackInfo track = tracks.apply(trackId);
            if (track != null) {
                changed(track).ifPresent(active -> out.put(track, active));
            }
        }
        return out;
    }

    /** The track was unpublished: nothing about it is kept. */
    void removeTrack(TrackId trackId) {
        needs.remove(trackId);
        announced.remove(trackId);
    }

    /** How many tracks anything is kept for (bounded by the room's tracks). */
    int trackEntries() {
        java.util.Set<TrackId> all = new java.util.HashSet<>(needs.keySet());
        all.addAll(announced.keySet());
        return all.size();
    }

    private Optional<List<Boolean>> changed(TrackInfo track) {
        Map<ParticipantId, Integer> bySubscriber = needs.getOrDefault(track.trackId(), Map.of());
        List<Boolean> active = new ArrayList<>(track.layers().size());
        for (int layer = 0; layer < track.layers().size(); layer++) {
            int bit = 1 << layer;
            active.add(bySubscriber.values().stream().anyMatch(layers -> (layers & bit) != 0));
        }
        if (active.equals(announced.get(track.trackId()))) {
            return Optional.empty();
        }
        List<Boolean> frozen = List.copyOf(active);
        announced.put(track.trackId(), frozen);
        return Optional.of(frozen);
    }
}
