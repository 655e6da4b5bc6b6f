package org.adam.sfu.room.neighbourhood;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.adam.sfu.room.CborSerializable;

/** protocol.md `sfu-leave`: a node left (the whole node when {@code roomId} is empty). */
public record SfuLeave(String did, @JsonProperty("room_id") String roomId) implements CborSerializable {

    @JsonProperty("type")
    public String type() {
        return "sfu-leave";
    }
}
