package org.adam.sfu.room.neighbourhood;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.adam.sfu.room.CborSerializable;

/**
 * protocol.md `sfu-announce`: a node's identity and load. {@code roomId} is empty when the
 * announce is about the node as a whole rather than one room.
 */
public record SfuAnnounce(String did, @JsonProperty("room_id") String roomId,
                          @JsonProperty("participant_count") int participantCount,
                          @JsonProperty("capacity_hint") int capacityHint, String node,
                          @JsonProperty("signal_url") String signalUrl, @JsonProperty("cpu_load") double cpuLoad,
                          @JsonProperty("bandwidth_kbps") long bandwidthKbps, @JsonProperty("uptime_s") long uptimeS,
                          boolean draining)
        implements CborSerializable {

    @JsonProperty("type")
    public String type() {
        return "sfu-announce";
    }

    public boolean hasRoom() {
        return participantCount < capacityHint && !draining;
    }
}
